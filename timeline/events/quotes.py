"""Dates inside quoted words from another time.

A relative date inside a quotation ("'We will meet on Monday,' he wrote in a letter dated 2
May 2019") counts from when the words were said or written, not from the article's
publication. The tagger reads it against the publication date. Where the quotation's
sentences name the day the words were said ("'Today we begin,' she said in a speech on
Friday"), the quotation is read again against that day (:func:`quoted_moves`: "Today" is
that Friday). Where they give it another time by a full date, with its year, that lies more
than ``ELSEWHEN_DAYS`` away from publication, the entry is also marked uncertain rather
than silently dated by the publication (:func:`quoted_elsewhen`).

Quotations are found by their marks (straight, curly or doubled as in ``this''), paired
within a paragraph; an unclosed one runs to the end of its paragraph, as a quoted paragraph
does in news copy.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date

from ..tagger import tag
from ..tagger.context import sentence_bounds
from ..tagger.model import Mention
from .periods import Moved

__all__ = ["quotation_of", "quotations", "quoted_elsewhen", "quoted_moves"]

OPENING = re.compile(r"[“]|``")
CLOSING = re.compile(r"[”]|''")
STRAIGHT = '"'
# Every mark, a doubled one before a single character (read left to right, as a reader does).
MARK = re.compile(r"``|''|[“”\"]")
PARAGRAPH = re.compile(r"\n\s*\n")
# A year, as a full date written out has one ("2 May 2019", "May 2, 2019").
YEAR = re.compile(r"\b\d{4}\b")
# How far from publication the date of a quotation must lie to be another time.
ELSEWHEN_DAYS = 7
# The granularities of a reference that names the day words were said on.
DAY_GRANULARITIES = frozenset({"day", "part-of-day"})
# The granularities of a reference inside a quotation said in a year only that are read
# against that year ("next year", "this decade"), and the month a year's quotation is read in.
YEAR_GRANULARITIES = frozenset({"year", "decade", "century"})
MID_YEAR = 7


def quotations(text: str) -> list[tuple[int, int]]:
    """The spans ``[start, end)`` of the quotations of ``text``, in order, marks excluded."""
    found: list[tuple[int, int]] = []
    starts = [0, *(m.end() for m in PARAGRAPH.finditer(text))]
    ends = [*(m.start() for m in PARAGRAPH.finditer(text)), len(text)]
    for left, right in zip(starts, ends, strict=True):
        opened: int | None = None
        for mark in MARK.finditer(text, left, right):  # the marks only, left to right
            at, char = mark.start(), mark.group()
            opens = OPENING.fullmatch(char) is not None or (char == STRAIGHT and opened is None)
            closes = CLOSING.fullmatch(char) is not None or (
                char == STRAIGHT and opened is not None
            )
            if opens and opened is None:
                opened = mark.end()
            elif closes and opened is not None:
                found.append((opened, at))
                opened = None
        if opened is not None:
            found.append((opened, right))
    return found


def quotation_of(spans: Sequence[tuple[int, int]], mention: Mention) -> tuple[int, int] | None:
    """The quotation of ``spans`` (:func:`quotations`, in order) that holds ``mention``, found
    by bisection, or ``None``."""
    i = bisect.bisect_right(spans, mention.start, key=lambda span: span[0]) - 1
    if i < 0 or not (spans[i][0] <= mention.start and mention.end <= spans[i][1]):
        return None
    return spans[i]


def within(mentions: Sequence[Mention], left: int, right: int) -> Sequence[Mention]:
    """The mentions (in text order) that start in ``[left, right)``, found by bisection."""
    first = bisect.bisect_left(mentions, left, key=lambda m: m.start)
    last = bisect.bisect_left(mentions, right, key=lambda m: m.start)
    return mentions[first:last]


def quoted_elsewhen(
    text: str,
    mention: Mention,
    mentions: Sequence[Mention],
    published: date,
    quotes: Sequence[tuple[int, int]] | None = None,
) -> bool:
    """Whether ``mention`` is a relative date inside a quotation that the words around it
    (its sentences, to the end of the one the quotation ends in) date to another time: a
    full date outside the quotation, more than ``ELSEWHEN_DAYS`` from ``published``.
    ``quotes`` are the text's :func:`quotations` (found when not given)."""
    if YEAR.search(mention.text):
        return False  # "on 2 May 2019" inside a quotation is dated by its own words
    spans = quotes if quotes is not None else quotations(text)
    found = quotation_of(spans, mention)
    if found is None:
        return False
    start, end = found
    left = sentence_bounds(text, start, start)[0]
    right = sentence_bounds(text, end, end)[1]
    for other in within(mentions, left, right):
        inside_sentence = left <= other.start and other.end <= right
        in_quote = start <= other.start < end
        if not inside_sentence or in_quote or not YEAR.search(other.text):
            continue
        if other.interval is None or other.interval.start is None:
            continue
        try:
            day = date.fromisoformat(other.interval.start[:10])
        except ValueError:
            continue
        if abs((day - published).days) > ELSEWHEN_DAYS:
            return True
    return False


def quoted_moves(
    text: str,
    published: date,
    mentions: Sequence[Mention],
    quotes: Sequence[tuple[int, int]] | None = None,
) -> dict[int, Moved]:
    """The references inside a quotation said on another day than publication, read against
    that day, by index in ``mentions`` ("'Today we begin,' the president said in a speech on
    Friday": "Today" is that Friday): the day is the reference to a day nearest the
    quotation in its sentences (as :func:`quoted_elsewhen` bounds them), outside it. Only
    the references whose reading changes are given."""
    spans = quotes if quotes is not None else quotations(text)
    moved: dict[int, Moved] = {}
    index = {id(m): i for i, m in enumerate(mentions)}
    for start, end in spans:
        inside = [m for m in within(mentions, start, end) if m.end <= end]
        if not inside:
            continue
        said = _said_on(text, start, end, mentions)
        if said is None:
            continue
        day, only_year = said
        if day == published or (only_year and day.year == published.year):
            continue
        again = {(m.start, m.end): m for m in tag(text[start:end], day)}
        for m in inside:
            other = again.get((m.start - start, m.end - start))
            if other is None or other.value == m.value or other.type != m.type:
                continue
            interval = other.interval
            if interval is None or interval.start is None or interval.end is None:
                continue
            if only_year and interval.granularity not in YEAR_GRANULARITIES:
                continue  # said in 2019: "next year" is 2020, "next month" some month
            moved[index[id(m)]] = Moved(
                interval.start, interval.end, interval.granularity, other.value
            )
    return moved


def _said_on(
    text: str, start: int, end: int, mentions: Sequence[Mention]
) -> tuple[date, bool] | None:
    """The day a reference outside the quotation ``[start, end)``, in its sentences, names:
    the one nearest the quotation, or ``None``; else, when the nearest names a year only ("in
    a speech in 2019, the president said: ..."), the middle of that year and ``True``, so
    that only the quotation's years are read against it."""
    left = sentence_bounds(text, start, start)[0]
    right = sentence_bounds(text, end, end)[1]
    best: tuple[int, date, bool] | None = None
    for other in within(mentions, left, right):
        if start <= other.start < end or other.end > right:
            continue
        interval = other.interval
        if interval is None or interval.start is None:
            continue
        only_year = interval.granularity == "year" and bool(YEAR.fullmatch(other.value))
        if interval.granularity not in DAY_GRANULARITIES and not only_year:
            continue
        try:
            day = date.fromisoformat(interval.start[:10])
        except ValueError:
            continue
        if only_year:
            day = day.replace(month=MID_YEAR)
        distance = start - other.end if other.end <= start else other.start - end
        if best is None or distance < best[0]:
            best = (distance, day, only_year)
    return None if best is None else (best[1], best[2])
