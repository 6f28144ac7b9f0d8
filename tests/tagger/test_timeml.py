"""TimeML output (``timeline.tagger.timeml.to_timeml``): well-formed XML whose ``<TEXT>`` is
the input text exactly, with one ``TIMEX3`` per mention and the publication date as the DCT."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from timeline import Interval, Mention, tag
from timeline.tagger.timeml import to_timeml

DCT = "2021-07-17"
HOSTILE = (
    'Officials said <script>alert("x")</script> & "others" met on Friday, '
    "nearly 20 years after the war began; A&B's <b>talks</b> will resume on Friday."
)


def parse(document: str) -> tuple[ET.Element, ET.Element]:
    """The root of a TimeML document and its ``<TEXT>`` element."""
    root = ET.fromstring(document)
    assert root.tag == "TimeML"
    body = root.find("TEXT")
    assert body is not None
    return root, body


def text_of(element: ET.Element) -> str:
    """All the text inside ``element``, tags stripped, in document order."""
    return "".join(element.itertext())


@pytest.fixture
def hostile_mentions() -> list[Mention]:
    mentions = tag(HOSTILE, DCT)
    assert [(m.text, m.value, m.mod) for m in mentions] == [
        ("Friday", "2021-07-16", None),
        ("nearly 20 years", "P20Y", "APPROX"),
        ("Friday", "2021-07-23", None),
    ]
    return mentions


def test_markup_in_the_text_is_escaped(hostile_mentions: list[Mention]) -> None:
    document = to_timeml(HOSTILE, hostile_mentions, DCT)
    root, body = parse(document)
    assert root.find(".//script") is None
    assert root.find(".//b") is None
    assert "&lt;script&gt;" in document
    assert "A&amp;B" in document
    assert [child.tag for child in body] == ["TIMEX3"] * 3


def test_text_content_is_the_input_text(hostile_mentions: list[Mention]) -> None:
    _, body = parse(to_timeml(HOSTILE, hostile_mentions, DCT))
    assert text_of(body) == HOSTILE


def test_one_timex3_per_mention(hostile_mentions: list[Mention]) -> None:
    _, body = parse(to_timeml(HOSTILE, hostile_mentions, DCT))
    timexes = body.findall("TIMEX3")
    assert len(timexes) == len(hostile_mentions)
    for element, m in zip(timexes, hostile_mentions, strict=True):
        assert element.text == m.text
        assert element.get("type") == m.type
        assert element.get("value") == m.value
        assert element.get("mod") == m.mod  # absent (None) when the mention has no mod
    tids = [element.get("tid") for element in timexes]
    assert tids == ["t1", "t2", "t3"]


def test_timexes_are_placed_at_their_offsets(hostile_mentions: list[Mention]) -> None:
    """The text before each TIMEX3 is exactly ``text[:start]``."""
    _, body = parse(to_timeml(HOSTILE, hostile_mentions, DCT))
    before = body.text or ""
    for element, m in zip(body.findall("TIMEX3"), hostile_mentions, strict=True):
        assert before == HOSTILE[: m.start]
        before += (element.text or "") + (element.tail or "")


def test_the_dct_carries_the_publication_date() -> None:
    root, _ = parse(to_timeml("Nothing happened.", [], DCT))
    dct = root.find("DCT/TIMEX3")
    assert dct is not None
    assert dct.get("tid") == "t0"
    assert (dct.get("type"), dct.get("value")) == ("DATE", DCT)
    assert dct.get("functionInDocument") == "CREATION_TIME"
    assert dct.text == DCT


def test_a_datetime_dct_keeps_its_day_as_the_value() -> None:
    root, _ = parse(to_timeml("Nothing happened.", [], "2021-07-17T09:30:00Z"))
    dct = root.find("DCT/TIMEX3")
    assert dct is not None
    assert dct.get("value") == "2021-07-17"
    assert dct.text == "2021-07-17T09:30:00Z"


def test_a_text_without_mentions() -> None:
    _, body = parse(to_timeml("x < y & y > z", [], DCT))
    assert text_of(body) == "x < y & y > z"
    assert body.findall("TIMEX3") == []


def test_escaping_inside_a_timex3_and_its_attributes() -> None:
    text = 'Talks ran "Q3 & Q4" <late>.'
    start = text.index('"Q3')
    end = text.index("<late>")
    mention = Mention(
        start,
        end,
        text[start:end],
        "DATE",
        '2021-Q3&"Q4"',
        "START",
        Interval("2021-07-01", "2022-01-01", "quarter"),
        DCT,
        0.5,
    )
    _, body = parse(to_timeml(text, [mention], DCT))
    assert text_of(body) == text
    (element,) = body.findall("TIMEX3")
    assert element.text == '"Q3 & Q4" '
    assert element.get("value") == '2021-Q3&"Q4"'
    assert element.get("mod") == "START"


def test_mentions_are_written_in_text_order() -> None:
    text = "On Friday, and on Friday again."
    mentions = tag(text, DCT)
    assert len(mentions) == 2
    _, body = parse(to_timeml(text, list(reversed(mentions)), DCT))
    assert text_of(body) == text
    starts = [m.start for m in sorted(mentions, key=lambda m: m.start)]
    before = body.text or ""
    for element, start in zip(body.findall("TIMEX3"), starts, strict=True):
        assert len(before) == start
        before += (element.text or "") + (element.tail or "")


def test_carriage_returns_survive() -> None:
    text = "The army clashed on Friday.\r\nThe talks resume on Friday.\r\n"
    _, body = parse(to_timeml(text, tag(text, DCT), DCT))
    assert text_of(body) == text
