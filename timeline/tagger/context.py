"""What the words around a mention say: its sentence, and the tense that points back or forward.

The cue words live in ``rules/cues.tsv``; this module only weighs them by distance.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from .rulefiles import read_table

Tense = Literal["past", "future"]
# Which side of the mention a cue must stand on to count: "until" in "until Friday" points
# ahead, but "by" in "statements made Friday by a lawyer" says nothing about Friday.
Side = Literal["before", "after", "any"]
SIDES: dict[str, Side] = {"before": "before", "after": "after", "any": "any"}
# Lower-cases ASCII letters only, so that offsets stay the same.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# A sentence ends at a full stop, question or exclamation mark followed by space and a capital
# or an opening quote, or at a blank line; abbreviations ("Sept. 11") are followed by digits.
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z])|\n\s*\n")  # noqa: RUF001


SENTENCE_REACH = 200
# Characters that may open a sentence before its first word.
OPENING = " \t\n\"'“‘(_-"  # noqa: RUF001
# A quotation mark, straight, curly or doubled as in ``this''.
QUOTE = re.compile(r"[\"“”]|''|``")
# How fast a cue's weight falls with its distance to the mention (1 / distance ** DECAY).
DECAY = 2


@functools.cache
def cue_pattern() -> tuple[re.Pattern[str], dict[str, tuple[Tense, float, Side]]]:
    """All tense cues of ``rules/cues.tsv`` as one regex (a named group per row), and the
    tense, weight and side of each group. The regex reads text whose ASCII letters are
    lower-cased."""
    _, rows = read_table("cues.tsv")
    parts: list[str] = []
    weights: dict[str, tuple[Tense, float, Side]] = {}
    for number, row in enumerate(rows):
        tense: Tense = "future" if row["tense"] == "future" else "past"
        side = SIDES.get(row["side"], "any")
        name = f"cue{number}"
        parts.append(f"(?P<{name}>" + row["pattern"].replace(" ", r"\s+") + ")")
        weights[name] = (tense, float(row["weight"]), side)
    regex = re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?!\w)")
    return regex, weights


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence that holds ``text[start:end]``, or of the
    ``SENTENCE_REACH`` characters on each side when the sentence runs on longer."""
    left = max(0, start - SENTENCE_REACH)
    # The end of a sentence is known by the capital after it, so look a little past ``start``.
    for m in SENTENCE_END.finditer(text, left, start + 2):
        if m.end() <= start:
            left = m.end()
    right_match = SENTENCE_END.search(text, end, end + SENTENCE_REACH + 2)
    right = right_match.start() + 1 if right_match else min(len(text), end + SENTENCE_REACH)
    return left, right


@functools.lru_cache(maxsize=512)
def cues_between(
    text: str, lowered: str, left: int, right: int
) -> tuple[tuple[int, int, Tense, float, Side], ...]:
    """The tense cues in ``text[left:right]`` as ``(start, end, tense, weight, side)``;
    mentions of one sentence share them. ``lowered`` is ``text`` with its ASCII letters
    lower-cased. A capitalised word inside the sentence is a name, not a verb ("the United
    States"), and is no cue."""
    regex, weights = cue_pattern()
    first = left + len(text[left:right]) - len(text[left:right].lstrip(OPENING))
    return tuple(
        (m.start(), m.end(), *weights[m.lastgroup or ""])
        for m in regex.finditer(lowered, left, right)
        if m.start() == first or not text[m.start()].isupper()
    )


def tense_near(text: str, start: int, end: int, lowered: str | None = None) -> Tense | None:
    """``past`` or ``future`` as the cues of the mention's sentence say, or ``None`` when none do.

    ``lowered`` is ``text`` with its ASCII letters lower-cased (computed when not given).

    Each cue on the side it may stand on scores its weight divided by the square of its
    distance (in characters, at least 10) to the mention, so that the verb of the mention's
    own clause outweighs those of the clauses around it; the tense with the higher score
    wins. A cue with a quotation mark between it and the mention belongs to another clause
    and is skipped. Where cues overlap, the row listed first in ``cues.tsv`` counts. The mention
    itself is not read.
    """
    scores: dict[Tense, float] = {"past": 0.0, "future": 0.0}
    low = lowered if lowered is not None else text.translate(ASCII_LOWER)
    left, right = sentence_bounds(text, start, end)
    for cue_start, cue_end, tense, weight, side in cues_between(text, low, left, right):
        if cue_start < end and cue_end > start:
            continue
        before = cue_end <= start
        if (side == "before" and not before) or (side == "after" and before):
            continue
        between = text[cue_end:start] if before else text[end:cue_start]
        if QUOTE.search(between):
            continue
        distance = len(between)
        scores[tense] += weight / max(distance, 10) ** DECAY
    if scores["past"] == scores["future"]:
        return None
    return "past" if scores["past"] > scores["future"] else "future"
