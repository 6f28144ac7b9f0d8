"""The seed article (``seeds/doha-talks-2021-07-17.json``) as a golden case: the Doha talks report
published on Saturday 17 July 2021, the day after the Friday it describes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from timeline import Mention, tag

SEED = Path("seeds") / "doha-talks-2021-07-17.json"
PUBLISHED = "2021-07-17"
NEXT_DAY = "2021-07-18"


@pytest.fixture(scope="module")
def article(repo_root: Path) -> dict[str, Any]:
    """The seed article, in the project's article format."""
    path = repo_root / SEED
    if not path.exists():
        pytest.fail(f"the seed article {SEED} is missing from the repository")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def text(article: dict[str, Any]) -> str:
    body: str = article["text"]
    return body


@pytest.fixture(scope="module")
def mentions(article: dict[str, Any]) -> list[Mention]:
    """The article tagged the way the product reads it: its own date, language and region."""
    return tag(
        article["text"],
        article["published_at"],
        language=article.get("language") or "en",
        region=article.get("region"),
    )


def spans(text: str, words: str) -> list[tuple[int, int]]:
    """Where ``words`` stand in ``text`` as whole words."""
    found = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text)]
    assert found, f"{words!r} is not in the seed article"
    return found


def mention_over(mentions: list[Mention], span: tuple[int, int]) -> Mention:
    """The one mention that overlaps ``span``."""
    start, end = span
    hits = [m for m in mentions if m.start < end and m.end > start]
    assert len(hits) == 1, (
        f"expected one mention over {span}, got {[(m.text, m.value) for m in hits]}"
    )
    return hits[0]


def only(mentions: list[Mention], text: str, words: str) -> Mention:
    (span,) = spans(text, words)
    return mention_over(mentions, span)


def test_seed_is_the_doha_article(article: dict[str, Any]) -> None:
    assert article["published_at"].startswith(PUBLISHED)
    assert "Doha" in article["text"]
    assert "Source link" not in article["text"]


def test_offsets_point_into_the_text(text: str, mentions: list[Mention]) -> None:
    assert mentions
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text


def test_both_fridays_are_the_day_before_publication(text: str, mentions: list[Mention]) -> None:
    fridays = spans(text, "Friday")
    assert len(fridays) == 2
    for span in fridays:
        m = mention_over(mentions, span)
        assert (m.type, m.value) == ("DATE", "2021-07-16"), f"{m.text!r} at {m.start}"


def test_september_11(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "September 11, 2001")
    assert (m.text, m.type, m.value) == ("September 11, 2001", "DATE", "2001-09-11")


def test_nearly_20_years(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "nearly 20 years")
    assert (m.type, m.value, m.mod) == ("DURATION", "P20Y", "APPROX")


def ends_at_publication(m: Mention) -> str:
    """The start of a vague past interval that ends with the publication day."""
    assert m.interval is not None, f"{m.text!r} has no interval"
    assert m.interval.end is not None and m.interval.end[:10] in (PUBLISHED, NEXT_DAY)
    assert m.interval.start is not None
    assert m.interval.start[:10] < PUBLISHED
    return m.interval.start


def test_recent_weeks_end_at_publication(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "recent weeks")
    assert m.value == "PXW"
    ends_at_publication(m)


def test_recent_months_reach_further_back_than_recent_weeks(
    text: str, mentions: list[Mention]
) -> None:
    months = only(mentions, text, "recent months")
    weeks = only(mentions, text, "recent weeks")
    assert months.value == "PXM"
    assert ends_at_publication(months) < ends_at_publication(weeks)


def test_upcoming_eid_al_adha(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "Eid al-Adha")
    assert m.text.endswith("Eid al-Adha")
    assert (m.type, m.value) == ("DATE", "2021-07-20")


def test_now_is_the_present(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "now")
    assert (m.text, m.value) == ("now", "PRESENT_REF")


def test_several_months(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "several months")
    assert (m.text, m.type, m.value) == ("several months", "DURATION", "PXM")


def test_for_a_long_time(text: str, mentions: list[Mention]) -> None:
    m = only(mentions, text, "For a long time")
    assert m.type == "DURATION"
    assert m.value == "PXY"


def test_a_percentage_is_not_a_time(text: str, mentions: list[Mention]) -> None:
    ((start, end),) = spans(text, "50")
    assert not [m for m in mentions if m.start < end and m.end > start]
