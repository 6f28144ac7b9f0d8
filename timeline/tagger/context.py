"""What the words around a mention say: its sentence, and the tense that points back or forward.

The cue words live in ``rules/cues.tsv``; this module only weighs them by distance.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from .rulefiles import read_table

Tense = Literal["past", "future"]
# A sentence ends at a full stop, question or exclamation mark followed by space and a capital
# or an opening quote, or at a blank line; abbreviations ("Sept. 11") are followed by digits.
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z])|\n\s*\n")  # noqa: RUF001


@functools.cache
def cue_pattern() -> tuple[re.Pattern[str], dict[str, tuple[Tense, float]]]:
    """All tense cues of ``rules/cues.tsv`` as one regex (a named group per row), and the
    tense and weight of each group."""
    _, rows = read_table("cues.tsv")
    parts: list[str] = []
    weights: dict[str, tuple[Tense, float]] = {}
    for number, row in enumerate(rows):
        tense: Tense = "future" if row["tense"] == "future" else "past"
        name = f"cue{number}"
        parts.append(f"(?P<{name}>" + row["pattern"].replace(" ", r"\s+") + ")")
        weights[name] = (tense, float(row["weight"]))
    regex = re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
    return regex, weights


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence that holds ``text[start:end]``."""
    left = 0
    for m in SENTENCE_END.finditer(text, max(0, start - 400), start):
        left = m.end()
    right_match = SENTENCE_END.search(text, end, end + 400)
    right = right_match.start() + 1 if right_match else min(len(text), end + 400)
    return left, right


def tense_near(text: str, start: int, end: int) -> Tense | None:
    """``past`` or ``future`` as the cues of the mention's sentence say, or ``None`` when none do.

    Each cue scores its weight divided by its distance (in characters, at least 10) to the
    mention; the tense with the higher score wins. Where cues overlap, the row listed first
    in ``cues.tsv`` counts. The mention itself is not read.
    """
    left, right = sentence_bounds(text, start, end)
    regex, weights = cue_pattern()
    scores: dict[Tense, float] = {"past": 0.0, "future": 0.0}
    for m in regex.finditer(text, left, right):
        if m.start() < end and m.end() > start:
            continue
        tense, weight = weights[m.lastgroup or ""]
        distance = start - m.end() if m.end() <= start else m.start() - end
        scores[tense] += weight / max(distance, 10)
    if scores["past"] == scores["future"]:
        return None
    return "past" if scores["past"] > scores["future"] else "future"
