"""What the words around a mention say: its sentence, and the tense that points back or forward.

The cue words live in ``rules/cues.tsv``; this module only weighs them by distance.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from .rulefiles import read_table

Tense = Literal["past", "future"]
# Lower-cases ASCII letters only, so that offsets stay the same.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# A sentence ends at a full stop, question or exclamation mark followed by space and a capital
# or an opening quote, or at a blank line; abbreviations ("Sept. 11") are followed by digits.
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z])|\n\s*\n")  # noqa: RUF001


SENTENCE_REACH = 200


@functools.cache
def cue_pattern() -> tuple[re.Pattern[str], dict[str, tuple[Tense, float]]]:
    """All tense cues of ``rules/cues.tsv`` as one regex (a named group per row), and the
    tense and weight of each group. The regex reads text whose ASCII letters are lower-cased."""
    _, rows = read_table("cues.tsv")
    parts: list[str] = []
    weights: dict[str, tuple[Tense, float]] = {}
    for number, row in enumerate(rows):
        tense: Tense = "future" if row["tense"] == "future" else "past"
        name = f"cue{number}"
        parts.append(f"(?P<{name}>" + row["pattern"].replace(" ", r"\s+") + ")")
        weights[name] = (tense, float(row["weight"]))
    regex = re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?!\w)")
    return regex, weights


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence that holds ``text[start:end]``, or of the
    ``SENTENCE_REACH`` characters on each side when the sentence runs on longer."""
    left = max(0, start - SENTENCE_REACH)
    for m in SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right_match = SENTENCE_END.search(text, end, end + SENTENCE_REACH)
    right = right_match.start() + 1 if right_match else min(len(text), end + SENTENCE_REACH)
    return left, right


@functools.lru_cache(maxsize=512)
def cues_between(text: str, left: int, right: int) -> tuple[tuple[int, int, Tense, float], ...]:
    """The tense cues in ``text[left:right]`` as ``(start, end, tense, weight)``; mentions of
    one sentence share them."""
    regex, weights = cue_pattern()
    return tuple(
        (m.start(), m.end(), *weights[m.lastgroup or ""]) for m in regex.finditer(text, left, right)
    )


def tense_near(text: str, start: int, end: int, lowered: str | None = None) -> Tense | None:
    """``past`` or ``future`` as the cues of the mention's sentence say, or ``None`` when none do.

    ``lowered`` is ``text`` with its ASCII letters lower-cased (computed when not given).

    Each cue scores its weight divided by its distance (in characters, at least 10) to the
    mention; the tense with the higher score wins. Where cues overlap, the row listed first
    in ``cues.tsv`` counts. The mention itself is not read.
    """
    scores: dict[Tense, float] = {"past": 0.0, "future": 0.0}
    low = lowered if lowered is not None else text.translate(ASCII_LOWER)
    for cue_start, cue_end, tense, weight in cues_between(low, *sentence_bounds(text, start, end)):
        if cue_start < end and cue_end > start:
            continue
        distance = start - cue_end if cue_end <= start else cue_start - end
        scores[tense] += weight / max(distance, 10)
    if scores["past"] == scores["future"]:
        return None
    return "past" if scores["past"] > scores["future"] else "future"
