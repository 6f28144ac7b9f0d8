"""Rewriting an alternation so that the regex engine tries fewer alternatives at each place,
without changing what it matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.tagger.context import cue_pattern
from timeline.tagger.regexwords import (
    by_first_character,
    factored,
    optional_groups_as_branches,
    top_alternatives,
    unfolded,
    word_trie,
)
from timeline.tagger.rulefiles import read_table


def test_top_alternatives_split_only_outside_groups_and_classes() -> None:
    assert top_alternatives(r"a|b(?:c|d)|[|]e|\|f") == ["a", "b(?:c|d)", "[|]e", r"\|f"]


def test_a_leading_group_is_spelt_out_in_the_order_it_is_tried() -> None:
    assert unfolded("(?:a|b)c") == ["ac", "bc"]
    assert unfolded("(?:(?:a|b) )?c") == ["a c", "b c", "c"]
    assert unfolded("(?:a|b)+c") == ["(?:a|b)+c"]
    assert unfolded("(?:a|b)??c") == ["(?:a|b)??c"]


def test_alternatives_that_share_a_first_character_share_it() -> None:
    assert factored(["ab", "c", "ad"]) == "a(?:b|d)|c"
    # one that does not begin with a plain character keeps its place between the others
    assert factored(["ab", r"\w+", "ad"]) == r"ab|\w+|ad"
    assert factored(["a?b", "ab"]) == "a?b|ab"


# Alternatives over a small alphabet, with the syntax the cue rows use.
PIECES = ["a", "b", "ab", "ba", "aa", r"\w+b", "(?:a|b)", "(?:ab|a)?", "b?", "(?!a)", " "]
ALTERNATIVE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALTERNATIVE, min_size=1, max_size=8), st.text(alphabet="ab c", max_size=12))
def test_the_factored_alternation_matches_what_the_plain_one_matches(
    alternatives: list[str], text: str
) -> None:
    spelt = [more for alternative in alternatives for more in unfolded(alternative)]
    plain = re.compile("(?:" + "|".join(alternatives) + r")(?!\w)")
    fast = re.compile("(?:" + factored(spelt) + r")(?!\w)")
    for at in range(len(text) + 1):
        expected, got = plain.match(text, at), fast.match(text, at)
        assert (got and got.span()) == (expected and expected.span())


def plain_cues() -> re.Pattern[str]:
    """The cue rows joined in their order, one named group each: what :func:`cue_pattern`
    must find."""
    _, rows = read_table("cues.tsv")
    parts = [
        f"(?P<cue{number}>" + row["pattern"].replace(" ", r"\s+") + ")"
        for number, row in enumerate(rows)
    ]
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?!\w)")


def cue_texts() -> list[str]:
    _, rows = read_table("cues.tsv")
    return [e.strip().lower() for row in rows for e in row["examples"].split("|") if e.strip()]


CUE_TEXTS = cue_texts()


def same_cues(text: str) -> None:
    regex, weights = cue_pattern()
    plain = plain_cues()
    expected = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
    got = [(m.span(), m.lastgroup) for m in regex.finditer(text)]
    assert [span for span, _ in got] == [span for span, _ in expected]
    for (_, name), (_, row) in zip(got, expected, strict=True):
        assert name is not None and row is not None
        assert name.split("_")[0] == row and weights[name] == weights[name.split("_")[0] + "_0"]


def test_the_cue_regex_finds_the_cues_of_the_rows_in_their_order() -> None:
    for text in CUE_TEXTS:
        same_cues(text)
    same_cues(" ".join(CUE_TEXTS))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(CUE_TEXTS), min_size=1, max_size=4), st.sampled_from(" ,'-"))
def test_the_cue_regex_finds_the_cues_of_the_rows_in_mixed_text(
    parts: list[str], glue: str
) -> None:
    words = glue.join(parts).split(" ")
    same_cues(" ".join(words[1:] + words[:1]))


def test_an_optional_group_becomes_a_choice_with_nothing() -> None:
    assert optional_groups_as_branches("(?:ab)?c") == "(?:ab|)c"
    assert optional_groups_as_branches("(?P<x>a(?:b)?)?c") == "(?:(?P<x>a(?:b|))|)c"
    # look-arounds, lazy or other repeats, classes and escapes are left alone
    for kept in [r"(?=a)?b", r"(?:a)??b", r"(?:a)*b", r"[(?:a)?]", r"\(?:a\)?", r"(?P=x)?"]:
        assert optional_groups_as_branches(kept) == kept


OPTIONAL_PIECES = ["a", "b", " ", "(?:a|ab)?", "(?P<g{}>b a?)?", "(?:(?:a)?b)?", r"\w", "[ab]?"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(OPTIONAL_PIECES), min_size=1, max_size=5),
    st.text(alphabet="ab ", max_size=10),
)
def test_a_choice_with_nothing_matches_what_the_optional_group_matches(
    pieces: list[str], text: str
) -> None:
    pattern = "".join(piece.format(n) for n, piece in enumerate(pieces))
    plain = re.compile(pattern, re.IGNORECASE)
    fast = re.compile(optional_groups_as_branches(pattern), re.IGNORECASE)
    assert fast.groupindex == plain.groupindex
    for at in range(len(text) + 1):
        expected, got = plain.match(text, at), fast.match(text, at)
        assert (got and (got.span(), got.groups())) == (
            expected and (expected.span(), expected.groups())
        )


FIRST_WORDS = ["a", "am", "ago", "day", "days", "daily", "b", "x-ray", "o'clock", "é"]
FIRST_PATTERNS = [r"[ap]\.?m\.?", r"b\.c\.?", r"bce?", r"fy\d{2,4}", r"(?=\d)(?:1\d{3}|\d\ds)"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(FIRST_WORDS), min_size=1),
    st.lists(st.sampled_from(FIRST_PATTERNS), unique=True),
    st.text(alphabet="abdaymxo'clé-fyc.p1s9 ", max_size=40),
)
def test_words_by_first_character_find_what_the_trie_then_the_patterns_find(
    words: list[str], patterns: list[str], text: str
) -> None:
    plain = re.compile("(?:" + "|".join([word_trie(words), *patterns]) + r")(?!\w)")
    fast = re.compile("(?:" + by_first_character(words, patterns) + r")(?!\w)")
    for at in range(len(text) + 1):
        expected, got = plain.match(text, at), fast.match(text, at)
        assert (got and got.span()) == (expected and expected.span()), at


def test_words_by_first_character_begin_with_it() -> None:
    found = by_first_character(["day", "daily", "ago"], [r"[ap]m", r"(?=\d)\d\ds"])
    assert found == r"a(?:go|m)|da(?:ily|y)|pm|(?=\d)\d\ds"
    # a pattern that may begin with a word's first character keeps its place after them all
    for late in [r"\w+day", r"(?:a|b)go", "x?ago"]:
        assert by_first_character(["day", "ago"], [late]) == word_trie(["day", "ago"]) + "|" + late
