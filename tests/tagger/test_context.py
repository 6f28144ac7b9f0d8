"""The sentence around a mention and the tense its words point to."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.tagger import context
from timeline.tagger.context import QUOTE, distance, distance_in, sentence_bounds, tense_near
from timeline.tagger.lexicon import load_lexicon


def test_a_mention_that_opens_a_sentence_is_not_in_the_one_before() -> None:
    text = "The army withdrew. Earlier that day, the envoys met."
    start = text.index("Earlier")
    left, right = sentence_bounds(text, start, start + len("Earlier that day"))
    assert text[left:right] == "Earlier that day, the envoys met."


def test_a_mention_that_ends_a_sentence_is_not_in_the_one_after() -> None:
    text = "The envoys met on Friday. They will meet again."
    start = text.index("Friday")
    left, right = sentence_bounds(text, start, start + len("Friday"))
    assert text[left:right] == "The envoys met on Friday."


def test_the_sentence_before_lends_no_tense_cue() -> None:
    text = "The army will withdraw. Friday the envoys met."
    start = text.index("Friday")
    assert tense_near(text, start, start + len("Friday")) == "past"


@pytest.mark.parametrize(
    "sentence",
    [
        "Gov. Ann Lee signed the bill on Friday.",
        "The board named Dr. Omar Reyes chairman on Friday.",
        "Troops under Lt. Gen. Ruth Kane withdrew on Friday.",
        "The plant in St. Louis closed on Friday.",
        "Mary K. Dunn resigned on Friday.",
        "On Friday, Mrs. Dunn met Sen. Bo Tate and Rep. Al Wren.",
        "The court heard Doe vs. Smith Holdings on Friday.",
    ],
)
def test_a_title_or_an_initial_ends_no_sentence(sentence: str) -> None:
    text = f"The mill was sold. {sentence} Talks go on."
    start = text.index("Friday")
    left, right = sentence_bounds(text, start, start + len("Friday"))
    assert text[left:right] == sentence


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("The plant was sold to Acme Co. The deal closed on Friday.", "The deal closed"),
        ("The fund is run by Bay Capital Inc. It opened on Friday.", "It opened"),
        ("The firm left the U.S. It moved on Friday.", "It moved"),
        ("The talks were held in Washington, D.C. They ended on Friday.", "They ended"),
    ],
)
def test_a_company_word_or_a_country_may_end_a_sentence(text: str, sentence: str) -> None:
    start = text.index("Friday")
    left, _ = sentence_bounds(text, start, start + len("Friday"))
    assert text[left:].startswith(sentence)


def test_a_verb_in_eed_is_no_past_cue() -> None:
    text = "Ms. Lo, 61, will succeed Tom R. Ode on Friday, after Mr. Ode retires."
    start = text.index("Friday")
    assert tense_near(text, start, start + len("Friday")) == "future"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .!?\n-,;:()[]\u2013\u2014_'`\"\u201c\u201dTGov", max_size=60))
def test_the_sentence_regexes_find_what_their_plain_alternations_find(text: str) -> None:
    zone = load_lexicon().body("tz")
    plain_end = (
        r"[.!?]" + context.not_after_title() + r"[\"'”’)]*\s+(?!" + zone + r"\b)"  # noqa: RUF001
        r"(?=[\"“‘(]?[A-Z])|\n\s*\n"  # noqa: RUF001
    )
    plain = {
        context.sentence_end(): plain_end,
        context.QUOTE: r"[\"“”]|''|``",
        context.BREAKS: r"[,;:()\[\]–—_]|--",  # noqa: RUF001
    }
    for written, alternation in plain.items():
        expected = [m.span() for m in re.finditer(alternation, text)]
        assert [m.span() for m in written.finditer(text)] == expected, alternation


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab ,;:-—_()[]\"“”'`", max_size=40),
    st.integers(0, 40),
    st.integers(0, 40),
    st.booleans(),
)
def test_the_gap_is_read_in_place_as_in_a_slice(
    text: str, start: int, end: int, opening: bool
) -> None:
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    between = text[start:end]
    assert distance_in(text, start, end, opening) == distance(between, opening)
    assert bool(QUOTE.search(text, start, end)) == bool(QUOTE.search(between))
