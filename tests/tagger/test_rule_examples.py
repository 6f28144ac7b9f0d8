"""Every example written in a rule file is a test case.

Rule tables (``*.rules.tsv``) give examples as ``text => VALUE [MOD]``, read against the
file's ``# REFERENCE:`` date; ``text => NONE`` (negative rules) means the text yields no
mention at all, or, when words of the text are in ``[brackets]``, no mention overlapping them
(the words a rule claims before a time expression that is tagged on its own).
``holidays.tsv`` gives ``text @ YYYY-MM-DD => VALUE``. ``cues.tsv`` gives sentences naming a
weekday that the row's cue points back or forward to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from timeline import Mention, tag
from timeline.tagger.context import tense_near
from timeline.tagger.rulefiles import read_table, rule_files


@dataclass(frozen=True)
class Example:
    """One example of a rule file: the text, the date it is read against, what it must give."""

    source: str
    line: int
    raw: str
    text: str
    reference: str | None
    value: str | None
    mod: str | None

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}:{self.text or self.raw}"


def split_examples(cell: str) -> list[str]:
    """The examples of an ``examples`` cell (separated by ``|``)."""
    return [e.strip() for e in cell.split("|") if e.strip()]


def parse_rule_example(source: str, line: int, raw: str, reference: str | None) -> Example:
    """``text => VALUE [MOD]``; a malformed example keeps ``value=None`` and fails its test."""
    text, sep, expected = raw.rpartition("=>")
    words = expected.split()
    if not sep or not text.strip() or not 1 <= len(words) <= 2:
        return Example(source, line, raw, text.strip(), reference, None, None)
    return Example(
        source, line, raw, text.strip(), reference, words[0], words[1] if len(words) == 2 else None
    )


def parse_holiday_example(source: str, line: int, raw: str) -> Example:
    """``text @ YYYY-MM-DD => VALUE``."""
    left, sep, expected = raw.rpartition("=>")
    text, at, anchor = left.rpartition("@")
    if not sep or not at or len(expected.split()) != 1:
        return Example(source, line, raw, "", None, None, None)
    return Example(source, line, raw, text.strip(), anchor.strip(), expected.strip(), None)


def rule_examples() -> list[Example]:
    """The examples of every rule table, in file then line order."""
    examples: list[Example] = []
    for name in rule_files():
        header, rows = read_table(name)
        for row in rows:
            for raw in split_examples(row["examples"]):
                examples.append(parse_rule_example(name, row.line, raw, header.get("REFERENCE")))
    return examples


def holiday_examples() -> list[Example]:
    """The examples of ``holidays.tsv``."""
    _, rows = read_table("holidays.tsv")
    return [
        parse_holiday_example("holidays.tsv", row.line, raw)
        for row in rows
        for raw in split_examples(row["examples"])
    ]


NONE = "NONE"  # the value of a negative example: the text yields no mention
RULE_EXAMPLES = rule_examples()
HOLIDAY_EXAMPLES = holiday_examples()


def describe(mentions: list[Mention]) -> str:
    return (
        "; ".join(f"{m.text!r} {m.type} {m.value} {m.mod or ''} [{m.rule}]" for m in mentions)
        or "nothing"
    )


def check(example: Example) -> None:
    assert example.value is not None, f"malformed example {example.raw!r}"
    assert example.reference is not None, (
        f"{example.source}: no reference date to read the example against"
    )
    text = example.text.replace("[", "").replace("]", "")
    mentions = tag(text, example.reference)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    if example.value == NONE and "[" in example.text:
        start = example.text.index("[")
        end = example.text.index("]") - 1
        over = [m for m in mentions if m.start < end and start < m.end]
        assert not over, f"{text[start:end]!r} is not a time reference, got {describe(over)}"
        return
    if example.value == NONE:
        assert not mentions, f"{text!r} is not a time reference, got {describe(mentions)}"
        return
    wanted = [
        m
        for m in mentions
        if m.value == example.value and (example.mod is None or m.mod == example.mod)
    ]
    expected = f"{example.value} {example.mod or ''}".strip()
    assert wanted, (
        f"{example.text!r} @ {example.reference}: expected {expected}, got {describe(mentions)}"
    )


WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")


def cue_examples() -> list[tuple[str, str, str]]:
    """``(id, sentence, tense)`` for every example of ``cues.tsv``."""
    _, rows = read_table("cues.tsv")
    return [
        (f"cues.tsv:{row.line}:{raw}", raw, row["tense"])
        for row in rows
        for raw in split_examples(row["examples"])
    ]


CUE_EXAMPLES = cue_examples()


@pytest.mark.parametrize(
    ("sentence", "tense"), [e[1:] for e in CUE_EXAMPLES], ids=[e[0] for e in CUE_EXAMPLES]
)
def test_cue_example(sentence: str, tense: str) -> None:
    """Each example of a tense cue names a weekday that the cue points back or forward to."""
    weekday = WEEKDAY.search(sentence)
    assert weekday, f"{sentence!r}: a cue example names a weekday"
    assert tense_near(sentence, weekday.start(), weekday.end()) == tense


def test_the_rule_files_have_examples_to_test() -> None:
    assert len(RULE_EXAMPLES) > 50
    assert len(HOLIDAY_EXAMPLES) > 10
    assert len(CUE_EXAMPLES) > 10


@pytest.mark.parametrize("example", RULE_EXAMPLES, ids=[e.id for e in RULE_EXAMPLES])
def test_rule_example(example: Example) -> None:
    check(example)


@pytest.mark.parametrize("example", HOLIDAY_EXAMPLES, ids=[e.id for e in HOLIDAY_EXAMPLES])
def test_holiday_example(example: Example) -> None:
    check(example)
