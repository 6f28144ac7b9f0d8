"""What the words around a mention say: its sentence, and the tense that points back or forward.

The cue words live in ``rules/cues.tsv``; this module only weighs them by distance.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from . import tablecache
from .lexicon import load_lexicon
from .model import quick_init
from .regexwords import (
    factored,
    finite_words,
    optional_groups_as_branches,
    top_alternatives,
    unfolded,
    word_trie,
)
from .rulefiles import read_table

Tense = Literal["past", "future"]
# A cue says which way its clause points; a lean ("until", "by") is read only when no cue does.
Kind = Literal["cue", "lean"]
# Which side of the mention a cue must stand on to count: "until" in "until Friday" points
# ahead, but "by" in "statements made Friday by a lawyer" says nothing about Friday.
Side = Literal["before", "after", "any"]
SIDES: dict[str, Side] = {"before": "before", "after": "after", "any": "any"}
# Lower-cases ASCII letters only, so that offsets stay the same.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@functools.cache
def sentence_end() -> re.Pattern[str]:
    """Where a sentence ends: at a full stop, question or exclamation mark followed by space
    and a capital or an opening quote, or at a blank line. Abbreviations ("Sept. 11") are
    followed by digits; "p.m." followed by a time zone (the lexicon's ``tz``: "at 5 p.m. EST
    on Friday") ends no sentence either, nor does a title or an initial before a name (the
    lexicon's ``title``: "Gov. Ann Lee", "Mary K. Dunn"; :func:`not_after_title`)."""
    zone = load_lexicon().body("tz")
    closing = r"[\"'”’)]*"  # noqa: RUF001
    opening = r"[\"“‘(]?"  # noqa: RUF001
    # "[.!?]<rest>|\n\s*\n", begun with one character class (see the note above QUOTE)
    return re.compile(
        r"[.!?\n](?:(?<=[.!?])" + not_after_title() + closing + r"\s+(?!" + zone + r"\b)"
        r"(?=" + opening + r"[A-Z])|(?<=\n)\s*\n)"
    )


def not_after_title() -> str:
    """Look-behinds that fail when the full stop just matched ends a word of the lexicon's
    ``title`` class ("Gov. Smith", "John P. Smith"), standing alone (after a space, a
    bracket, a quote or the start of the text): one look-behind per length of word, as
    Python's look-behinds have a fixed width."""
    by_length: dict[int, set[str]] = {}
    fixed: list[str] = []
    for entry in load_lexicon().classes["title"]:
        words = finite_words(entry.pattern)
        if words is None:
            fixed.append(entry.pattern)
        else:
            for word in words:
                by_length.setdefault(len(word), set()).add(word)
    parts = [f"(?i:{word_trie(words)})" for _, words in sorted(by_length.items())] + fixed
    return "".join(rf"(?<!(?<![\w.]){part}\.)" for part in parts)


SENTENCE_REACH = 200
# Characters that may open a sentence before its first word.
OPENING = " \t\n\"'“‘(_-"  # noqa: RUF001
# The alternations searched for in sentences are begun with one character class that holds
# the first character of every match, each alternative going on after a look-behind at the
# character matched: the regex engine then skips to the characters of the class, where an
# alternation that begins with a class is tried at every character, three times as slow.
# A quotation mark, straight, curly or doubled as in ``this'': "[\"“”]|''|``".
QUOTE = re.compile(r"[\"“”'`](?:(?<=[\"“”])|(?<=')'|(?<=`)`)")
# How fast a cue's weight falls with its distance to the mention (1 / distance ** DECAY),
# counted in characters, at least NEAREST ("said Tuesday" is nearer than "said on Tuesday").
DECAY = 2
NEAREST = 1
# A comma, semicolon, colon, bracket or dash between a cue and the mention ends a clause: each
# adds CLAUSE_BREAK characters to the distance ("The suspect, arrested on Tuesday, will appear"
# dates the arrest, not the appearance).
CLAUSE_BREAK = 20
# "[,;:()\[\]–—_]|--", begun with one character class as QUOTE is.  # noqa: RUF003
# Not the comma inside a figure ("cut 6,000 jobs in January").
BREAKS = re.compile(r"[,;:()\[\]–—_-](?:(?<!-)|-)(?<!\d,(?=\d))")  # noqa: RUF001
# A time adjunct mostly follows the verb it dates ("resigned on Tuesday"): a cue after the
# mention counts this much of one before it.
AFTER = 0.25
# A cue of the mention's own clause (no break between) at most this many characters away says
# its tense for sure ("resigned in September").
SURE_REACH = 20


class Cue(NamedTuple):
    """A tense cue found in a sentence: where it is, and what its row of ``cues.tsv`` says (a
    tuple: a sentence holds a few, made and read for each mention that asks its tense)."""

    start: int
    end: int
    tense: Tense
    kind: Kind
    weight: float
    side: Side


@functools.cache
def cue_pattern() -> tuple[re.Pattern[str], dict[str, tuple[Tense, Kind, float, Side]]]:
    """All tense cues of ``rules/cues.tsv`` as one regex, and the tense, kind, weight and
    side of each of its named groups. The regex reads text whose ASCII letters are
    lower-cased; it is written by :func:`cue_table`, kept in the cache of
    :mod:`.tablecache`."""
    table = tablecache.cached("cues", cue_table)
    if not _is_cue_table(table):
        table = cue_table()
    weights = {
        name: (TENSES[tense], KINDS[kind], float(weight), SIDES[side])
        for name, (tense, kind, weight, side) in table["weights"].items()
    }
    return re.compile(table["pattern"]), weights


TENSES: dict[str, Tense] = {"past": "past", "future": "future"}
KINDS: dict[str, Kind] = {"cue": "cue", "lean": "lean"}


def cue_table() -> dict[str, Any]:
    """The regex of :func:`cue_pattern` and the tense, kind, weight and side of each of its
    named groups, as JSON.

    The regex finds what the rows joined by ``|`` in their order would find, but is written
    so that the regex engine tries at each word only the cues that can begin with its first
    letter (:func:`.regexwords.factored`): each row is spelt out into its alternatives
    (:func:`.regexwords.unfolded`), each of which ends with an empty group named after its
    row, so that ``lastgroup`` tells which row matched."""
    _, rows = read_table("cues.tsv")
    alternatives: list[str] = []
    weights: dict[str, list[str | float]] = {}
    for number, row in enumerate(rows):
        tense = "future" if row["tense"] == "future" else "past"
        kind = "lean" if row["kind"] == "lean" else "cue"
        side = row["side"] if row["side"] in SIDES else "any"
        pattern = row["pattern"].replace(" ", r"\s+")
        if re.compile(pattern).groups:
            raise ValueError(f"cues.tsv: a capturing group in {row['pattern']!r}")
        spelt = [more for branch in top_alternatives(pattern) for more in unfolded(branch)]
        for index, alternative in enumerate(spelt):
            name = f"cue{number}_{index}"
            alternatives.append(f"{alternative}(?P<{name}>)")
            weights[name] = [tense, kind, float(row["weight"]), side]
    body = optional_groups_as_branches(factored(alternatives))
    return {"pattern": r"(?<![\w'])(?:" + body + r")(?!\w)", "weights": weights}


def _is_cue_table(value: Any) -> bool:
    """Whether ``value`` has the shape :func:`cue_table` gives."""
    if not isinstance(value, dict) or not isinstance(value.get("pattern"), str):
        return False
    weights = value.get("weights")
    return isinstance(weights, dict) and all(
        isinstance(w, list)
        and len(w) == 4
        and w[0] in TENSES
        and w[1] in KINDS
        and isinstance(w[2], (int, float))
        and w[3] in SIDES
        for w in weights.values()
    )


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence that holds ``text[start:end]``, or of the
    ``SENTENCE_REACH`` characters on each side when the sentence runs on longer."""
    left = max(0, start - SENTENCE_REACH)
    # The end of a sentence is known by the capital after it, so look a little past ``start``.
    end_of_sentence = sentence_end()
    for m in end_of_sentence.finditer(text, left, start + 2):
        if m.end() <= start:
            left = m.end()
    right_match = end_of_sentence.search(text, end, end + SENTENCE_REACH + 2)
    right = right_match.start() + 1 if right_match else min(len(text), end + SENTENCE_REACH)
    return left, right


@functools.lru_cache(maxsize=512)
def cues_between(text: str, lowered: str, left: int, right: int) -> tuple[Cue, ...]:
    """The tense cues in ``text[left:right]``; mentions of one sentence share them.
    ``lowered`` is ``text`` with its ASCII letters lower-cased. A capitalised word inside the
    sentence is a name, not a verb ("the United States"), and is no cue."""
    regex, weights = cue_pattern()
    first = left + len(text[left:right]) - len(text[left:right].lstrip(OPENING))
    return tuple(
        Cue._make(m.span() + weights[m.lastgroup or ""])
        for m in regex.finditer(lowered, left, right)
        if m.start() == first or not text[m.start()].isupper()
    )


@quick_init
@dataclass(frozen=True)
class Reading:
    """The tense the words around a mention point to, and whether a cue of its own clause
    close by says so (``sure``) rather than cues further off or a lean."""

    tense: Tense | None
    sure: bool = False


def tense_near(text: str, start: int, end: int, lowered: str | None = None) -> Tense | None:
    """``past`` or ``future`` as the cues of the mention's sentence say, or ``None`` when none
    do (see :func:`read_tense`)."""
    return read_tense(text, start, end, lowered).tense


def read_tense(text: str, start: int, end: int, lowered: str | None = None) -> Reading:
    """The tense the cues of the mention's sentence point to.

    ``lowered`` is ``text`` with its ASCII letters lower-cased (computed when not given).

    Each cue on the side it may stand on scores its weight divided by the square of its
    distance to the mention (:func:`distance`), so that the verb of the mention's own clause
    outweighs those of the clauses around it; the tense with the higher score wins. A cue
    after the mention counts ``AFTER`` of one before it. A cue with a quotation mark between
    it and the mention belongs to another clause and is skipped. The leans
    ("until", "by") are weighed the same way, but only when no cue says anything. Where cues
    overlap, the row listed first in ``cues.tsv`` counts. The mention itself is not read.
    The comma after a mention that opens the sentence ("In September, the minister resigned")
    is no break. The reading is sure when a cue of the winning tense stands in the mention's
    clause within ``SURE_REACH`` characters.
    """
    low = lowered if lowered is not None else text.translate(ASCII_LOWER)
    left, right = sentence_bounds(text, start, end)
    scores: dict[Kind, dict[Tense, float]] = {
        "cue": {"past": 0.0, "future": 0.0},
        "lean": {"past": 0.0, "future": 0.0},
    }
    close: set[Tense] = set()
    cues = cues_between(text, low, left, right)
    # "In September, the minister resigned": the comma after a phrase that opens the sentence
    # does not end the clause of the verb that follows.
    fronted = not BREAKS.search(text, left, start) and not any(c.end <= start for c in cues)
    for cue_start, cue_end, tense, kind, weight, side in cues:
        if cue_end <= start:  # before the mention: the words from its end to the mention's
            if side == "after":
                continue
            gap_start, gap_end, opening = cue_end, start, False
        elif cue_start >= end:  # after it: from the mention's end to its start
            if side == "before":
                continue
            gap_start, gap_end, weight, opening = end, cue_start, weight * AFTER, fronted
        else:  # in the mention
            continue
        if QUOTE.search(text, gap_start, gap_end):
            continue
        far = distance_in(text, gap_start, gap_end, opening)
        scores[kind][tense] += weight / far**DECAY
        if kind == "cue" and far <= SURE_REACH:
            close.add(tense)
    for kind, score in scores.items():  # the cues first, then the leans
        if score["past"] != score["future"]:
            tense = "past" if score["past"] > score["future"] else "future"
            return Reading(tense, kind == "cue" and tense in close)
    return Reading(None)


def distance(between: str, opening: bool = False) -> int:
    """How far a cue is from the mention: the characters between them, at least ``NEAREST``,
    and ``CLAUSE_BREAK`` more for each comma, colon, bracket or dash (but the first, after a
    mention that ``opening`` a sentence)."""
    return distance_in(between, 0, len(between), opening)


def distance_in(text: str, start: int, end: int, opening: bool = False) -> int:
    """:func:`distance` of ``text[start:end]``, read in place (QUOTE and BREAKS look behind
    only at the character they have just matched, so that they find in the text between
    ``start`` and ``end`` what they find in the slice)."""
    breaks = len(BREAKS.findall(text, start, end))
    if opening and breaks:
        breaks -= 1
    return max(end - start, NEAREST) + CLAUSE_BREAK * breaks
