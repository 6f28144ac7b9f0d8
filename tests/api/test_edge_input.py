"""Input at the edges of what the types hold is a 4xx problem document or a sensible answer,
never a 500 (issue 13, item 6): an integer of more digits than Python converts in a JSON
body, the last and first days a date holds, line breaks in a title exported to iCalendar,
NUL in a text field (PostgreSQL refuses it even in a ``WHERE``), cursors beyond an INTEGER
column (32 bits on PostgreSQL), a PATCH that changes nothing, and CSV cells that are formulas
after white space. A small fuzz of the query parameters of the timelines and the article
list ends the file.

Run with ``TIMELINE_TEST_DATABASE_URL=postgresql+psycopg://...`` for the PostgreSQL cases.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from typing import Any
from urllib.parse import urlencode

import icalendar
import marshmallow as ma
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webargs.fields import DelimitedList

from timeline.api import schemas
from timeline.store.timelines import CURSOR, MAX_INTEGER

from .problems import assert_problem, field_errors

SOURCE = {"kind": "feed", "url": "https://news.example/feed.xml", "interval_seconds": 3600}
# One more digit than Python turns into an int (4300 by default).
LONG_INTEGER = "1" * (sys.get_int_max_str_digits() + 1)


def events(client: FlaskClient, path: str, **query: Any) -> list[dict[str, Any]]:
    """The entries of a JSON timeline page (200 expected)."""
    response = client.get(path, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    found: list[dict[str, Any]] = response.get_json()["events"]
    return found


@pytest.fixture
def source_id(client: FlaskClient) -> int:
    response = client.post("/v1/sources", json=SOURCE)
    assert response.status_code == 201, response.get_data(as_text=True)
    number: int = response.get_json()["id"]
    return number


# An integer too long to read


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("POST", "/v1/extract", "text"),
        ("POST", "/v1/articles", "text"),
        ("POST", "/v1/sources", "interval_seconds"),
        ("PATCH", "/v1/sources/{id}", "interval_seconds"),
    ],
)
def test_an_integer_of_too_many_digits_is_a_400(
    client: FlaskClient, source_id: int, method: str, path: str, field: str
) -> None:
    body = f'{{"{field}": {LONG_INTEGER}}}'
    response = client.open(
        path.format(id=source_id), method=method, data=body, content_type="application/json"
    )
    problem = assert_problem(response, 400)
    assert "digits" in problem["detail"]


def test_a_long_integer_within_the_limit_is_a_422_of_its_field(client: FlaskClient) -> None:
    body = (
        f'{{"kind": "feed", "url": "https://a.example/", "interval_seconds": {LONG_INTEGER[1:]}}}'
    )
    response = client.post("/v1/sources", data=body, content_type="application/json")
    assert "interval_seconds" in field_errors(response, "json")


# The first and last days


@pytest.mark.parametrize("within", ["false", "true"])
@pytest.mark.parametrize("article", [False, True])
def test_the_last_and_first_days_are_windows_without_an_end(
    client: FlaskClient, seed_article: dict[str, Any], within: str, article: bool
) -> None:
    path = f"/v1/articles/{seed_article['id']}/timeline" if article else "/v1/timeline"
    every = events(client, path, limit=100)
    assert every
    assert events(client, path, limit=100, within=within, to="9999-12-31") == every
    assert events(client, path, limit=100, within=within, **{"from": "0001-01-01"}) == every
    assert events(client, path, within=within, **{"from": "9999-12-31"}) == []
    assert events(client, path, within=within, to="0001-01-01") == []


@pytest.mark.parametrize("name", ["from", "to"])
@pytest.mark.parametrize("day", ["0000-12-31", "10000-01-01", "9999-12-32"])
def test_a_day_no_date_holds_is_a_422(client: FlaskClient, name: str, day: str) -> None:
    assert name in field_errors(client.get("/v1/timeline", query_string={name: day}), "query")


# Line breaks in iCalendar


def unescaped(text: str) -> str:
    """An iCalendar TEXT value as it reads (RFC 5545, 3.3.11: backslash escapes)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r"])
def test_a_line_break_in_a_title_keeps_the_calendar_valid(
    client: FlaskClient, seed: dict[str, Any], brk: str
) -> None:
    title = f"Talks in Doha;{brk}day two, and\x0bafter"
    response = client.post("/v1/articles", json={**seed, "title": title})
    assert response.status_code == 201, response.get_data(as_text=True)
    ics = client.get(f"/v1/articles/{response.get_json()['id']}/timeline?format=ics")
    assert ics.status_code == 200, ics.get_data(as_text=True)
    assert all(len(line) <= 75 for line in ics.data.split(b"\r\n"))  # folded
    calendar = icalendar.Calendar.from_ical(ics.data)
    assert calendar.errors == []
    name = unescaped(str(calendar["x-wr-calname"]))  # icalendar keeps an X- property raw
    assert name == "Talks in Doha;\nday two, and after"  # a break is LF; \x0b is no TEXT
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries and all(e.errors == [] for e in calendar.walk("VEVENT"))


# NUL in text fields


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/v1/articles", "source", "Al\x00Jazeera"),
        ("/v1/articles", "language", "en\x00"),
        ("/v1/articles", "q", "Doha\x00talks"),
        ("/v1/timeline", "source", "Al\x00Jazeera"),
        ("/v1/timeline", "q", "\x00"),
        ("/v1/timeline", "cursor", "2021-07-16\x00~2021-07-17~3~1~1"),
        ("/v1/articles/{id}/timeline", "source", "\x00"),
        ("/v1/articles/{id}/timeline", "cursor", "1\x00"),
    ],
)
def test_nul_in_a_query_field_is_a_422_naming_it(
    client: FlaskClient, seed_article: dict[str, Any], path: str, name: str, value: str
) -> None:
    response = client.get(path.format(id=seed_article["id"]), query_string={name: value})
    assert name in field_errors(response, "query")


@pytest.mark.parametrize("name", ["source", "language", "title", "url", "region"])
def test_nul_in_a_body_field_is_a_422_naming_it(
    client: FlaskClient, seed: dict[str, Any], name: str
) -> None:
    response = client.post("/v1/articles", json={**seed, name: "x\x00"})
    assert name in field_errors(response, "json")


def request_schemas() -> list[type[schemas.Strict]]:
    """Every schema that reads a request (the ``Strict`` ones), however deep."""
    found, todo = [], list(schemas.Strict.__subclasses__())
    while todo:
        schema = todo.pop()
        found.append(schema)
        todo.extend(schema.__subclasses__())
    return found


@pytest.mark.parametrize("schema", request_schemas(), ids=lambda s: s.__name__)
def test_no_string_field_of_a_request_takes_nul(schema: type[ma.Schema]) -> None:
    strings = {
        name: field
        for name, field in schema().fields.items()
        if isinstance(field, ma.fields.String)
        or (isinstance(field, DelimitedList) and isinstance(field.inner, ma.fields.String))
    }
    no_strings = (schemas.PageQuery, schemas.ArticlePostQuery, schemas.EventQuery)
    assert strings or schema in no_strings
    for name, field in strings.items():
        assert isinstance(field.inner if isinstance(field, DelimitedList) else field, schemas.Text)
        key = field.data_key or name
        with pytest.raises(ma.ValidationError) as refused:
            schema().load({key: "a\x00"}, partial=True)
        assert key in refused.value.messages


# Cursors beyond an INTEGER column


@pytest.mark.parametrize("cursor", [str(MAX_INTEGER + 1), "9999999999"])
def test_an_article_cursor_beyond_an_integer_is_an_empty_page(
    client: FlaskClient, seed_article: dict[str, Any], cursor: str
) -> None:
    path = f"/v1/articles/{seed_article['id']}/timeline"
    assert events(client, path, cursor=cursor) == []
    assert events(client, path, cursor=str(MAX_INTEGER)) == []


@pytest.mark.parametrize("place", [2, 3, 4])
def test_a_timeline_cursor_beyond_an_integer_pages_on_after_its_interval(
    client: FlaskClient, seed_article: dict[str, Any], place: int
) -> None:
    """A cursor's rank, article or id beyond an INTEGER is read as the largest INTEGER: the
    page after it is the one after every stored entry of that interval (and rank)."""
    every = events(client, "/v1/timeline", limit=100)
    first = client.get("/v1/timeline", query_string={"limit": 1}).get_json()["next_cursor"]
    parts = first.split("~")
    parts[place] = "9999999999"
    after = [e["id"] for e in events(client, "/v1/timeline", limit=100, cursor="~".join(parts))]
    later = [
        e["id"]
        for e in every
        if (e["interval"]["start"], e["interval"]["end"])
        > (
            parts[0],
            parts[1],
        )
    ]
    assert later
    if place == 2:  # no rank is larger: every entry of a later interval, and only those
        assert after == later
    else:  # the same interval may hold a larger rank: a suffix of the rest, with the later
        assert after == [e["id"] for e in every][-len(after) :]
        assert every[0]["id"] not in after and set(later) <= set(after)


# A PATCH that changes nothing


@pytest.mark.parametrize("body", [None, {}])
def test_a_patch_of_a_source_without_a_change_is_a_422(
    client: FlaskClient, source_id: int, body: dict[str, Any] | None
) -> None:
    path = f"/v1/sources/{source_id}"
    response = client.patch(path) if body is None else client.patch(path, json=body)
    assert "_schema" in field_errors(response, "json")
    assert client.get(path).get_json()["interval_seconds"] == SOURCE["interval_seconds"]


def test_the_contract_requires_a_change_of_a_source(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["components"]["schemas"]["SourceUpdate"]["minProperties"] == 1


# Formulas after white space in CSV


@pytest.mark.parametrize("space", [" ", "  ", "\t", "\n", "\u00a0", " \r\n "])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_csv_cell_is_no_formula_after_white_space(
    client: FlaskClient, seed: dict[str, Any], space: str, start: str
) -> None:
    source = f"{space}{start}HYPERLINK(1)"
    response = client.post("/v1/articles", json={**seed, "source": source})
    assert response.status_code == 201, response.get_data(as_text=True)
    text = client.get("/v1/timeline", query_string={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(row["sources"] == "'" + source for row in rows)


def test_a_csv_cell_with_a_formula_character_inside_stays_as_it_is(
    client: FlaskClient, seed: dict[str, Any]
) -> None:
    client.post("/v1/articles", json={**seed, "source": "Al Jazeera = news"})
    text = client.get("/v1/timeline", query_string={"format": "csv"}).text
    assert {row["sources"] for row in csv.DictReader(io.StringIO(text))} == {"Al Jazeera = news"}


# A fuzz of the query parameters: never a 5xx

FILTERS = ["q", "source", "article", "from", "to", "within", "kind", "limit", "cursor", "format"]
QUERIES = {
    "/v1/timeline": FILTERS,
    "/v1/articles/{id}/timeline": FILTERS,
    "/v1/articles": [
        "cursor",
        "limit",
        "source",
        "language",
        "published_from",
        "published_to",
        "q",
    ],
}
EDGES = [
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "10000-01-01",
    "2021-02-29",
    str(MAX_INTEGER + 1),
    str(2**63),
    str(-(2**31) - 1),
    "9" * 30,
    "1e5",
    "",
    " ",
    ",",
    "\x00",
    "\ud800",
    "true",
    "ics",
    "csv",
    "timeml",
    "event,state",
    "2021-07-16~2021-07-17~2147483648~1~1",
]
VALUES = st.one_of(
    st.sampled_from(EDGES),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.from_regex(CURSOR, fullmatch=True),
    st.dates().map(str),
)


@pytest.mark.parametrize("path", sorted(QUERIES))
def test_no_query_of_a_listing_is_a_5xx(
    client: FlaskClient, seed_article: dict[str, Any], path: str
) -> None:
    names = QUERIES[path]

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=2))
    def check(query: dict[str, str]) -> None:
        string = urlencode(query, encoding="utf-8", errors="surrogatepass")
        response = client.get(f"{path.format(id=seed_article['id'])}?{string}")
        assert response.status_code < 500, (query, response.get_data(as_text=True))
        if response.status_code >= 400:
            assert_problem(response, response.status_code)

    check()
