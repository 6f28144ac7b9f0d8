"""The request fields whose rules openapi.yaml states as patterns: the API keeps exactly the
rule the document gives, so that a client (or schemathesis) can tell a valid request from
the document alone."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.api.schemas import HTTP_URL, NO_NUL, PUBLISHED
from timeline.errors import InvalidInputError
from timeline.ingest.pages import has_text, main_text

from .problems import field_errors


def test_the_published_pattern_admits_exactly_the_days_that_exist() -> None:
    # a whole Gregorian cycle (400 years: every leap-year rule) and the first years of the era
    for start in (date(1, 1, 1), date(1800, 1, 1)):
        day = start
        while day < start.replace(year=start.year + 400):
            assert re.fullmatch(PUBLISHED, day.isoformat()), day
            day += timedelta(days=1)
    for year in [*range(1, 410), 1900, 2000, 2023, 2024, 2100, 9999]:
        for month in range(1, 13):
            for day_of_month in (29, 30, 31, 32):
                text = f"{year:04d}-{month:02d}-{day_of_month:02d}"
                try:
                    date.fromisoformat(text)
                    exists = True
                except ValueError:
                    exists = False
                assert bool(re.fullmatch(PUBLISHED, text)) == exists, text


@pytest.mark.parametrize(
    "published",
    [
        "2021-07-17",
        "2024-02-29",
        "2000-02-29",
        "0001-01-01",
        "2021-07-17T09:30",
        "2021-07-17 09:30",
        "2021-07-17T09:30:15",
        "2021-07-17T09:30:15.5",
        "2021-07-17T09:30:15.123456",
        "2021-07-17T09:30Z",
        "2021-07-17T23:59:59+04:30",
        "2021-07-17T00:00-23:59",
    ],
)
def test_published_forms_are_accepted(client: FlaskClient, published: str) -> None:
    assert re.fullmatch(PUBLISHED, published)
    response = client.post("/v1/extract", json={"text": "On Friday.", "published_at": published})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    "published",
    [
        "2023-02-29",
        "1900-02-29",
        "2021-04-31",
        "0000-01-01",
        "20210717",
        "2021-W28-6",
        "2021-07",
        "2021-07-17T24:00",
        "2021-07-17T09",
        "2021-07-17T09:30:15.1234567",
        "2021-07-17T09:30+24:00",
        "2021-07-17\n",
        " 2021-07-17",
        "2021-07-17z",
    ],
)
def test_other_published_forms_are_refused(client: FlaskClient, published: str) -> None:
    assert not re.fullmatch(PUBLISHED, published)
    response = client.post("/v1/extract", json={"text": "On Friday.", "published_at": published})
    assert set(field_errors(response, "json")) == {"published_at"}


@pytest.mark.parametrize("field", ["text", "title", "source", "url"])
def test_nul_is_refused_in_every_text_field(client: FlaskClient, field: str) -> None:
    body = {"text": "On Friday.", "published_at": "2021-07-17", "url": "https://example.org/a"}
    body[field] = body.get(field, "x") + "\x00"
    assert not re.fullmatch(HTTP_URL if field == "url" else NO_NUL, body[field])
    assert set(field_errors(client.post("/v1/articles", json=body), "json")) == {field}


@pytest.mark.parametrize(
    "url", ["https://example.org/a b", "https://example.org/\x7f", "https:///path", "ftp://x/"]
)
def test_urls_with_spaces_or_controls_or_no_host_are_refused(client: FlaskClient, url: str) -> None:
    body = {"text": "On Friday.", "published_at": "2021-07-17", "url": url}
    assert set(field_errors(client.post("/v1/articles", json=body), "json")) == {"url"}


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("<p>The talks ended on Friday.</p>", "The talks ended on Friday."),
        ("The talks ended on Friday.", "The talks ended on Friday."),
        ("<div>Talks <b>ended</b>\n\n<i>on   Friday</i></div>", "Talks ended\non Friday"),
        ("<script>var x = 1;</script><p>On Friday.</p>", "On Friday."),
        ("<!-- a note --><p>On Friday.</p>", "On Friday."),
    ],
)
def test_a_page_without_an_article_keeps_its_visible_text(page: str, text: str) -> None:
    assert has_text(page)
    assert main_text(page) == text


@pytest.mark.parametrize("page", ["<p></p>", "<!-- On Friday -->", " \n<br>\t", "<a title='x'>"])
def test_a_page_with_no_text_outside_its_tags_is_refused(client: FlaskClient, page: str) -> None:
    assert not has_text(page)
    response = client.post("/v1/articles", json={"html": page, "published_at": "2021-07-17"})
    assert set(field_errors(response, "json")) == {"html"}


def test_a_fragment_is_stored_and_tagged(client: FlaskClient) -> None:
    page = "<p>The Afghan army clashed with Taliban fighters on Friday.</p>"
    response = client.post("/v1/articles", json={"html": page, "published_at": "2021-07-17"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["text"] == "The Afghan army clashed with Taliban fighters on Friday."
    mentions = client.get(response.headers["Location"] + "/mentions").get_json()["timexes"]
    assert [(m["text"], m["value"]) for m in mentions] == [("Friday", "2021-07-16")]


@given(st.text(alphabet=st.sampled_from(list("<>/!-='\" \n\tabp&;#x\x01\x0b")), max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_page_has_text_exactly_when_its_main_text_is_found(page: str) -> None:
    if has_text(page):
        assert main_text(page).strip(" \t\n\r\f\v")
    else:
        with pytest.raises(InvalidInputError):
            main_text(page)
