"""What the text joins: ranges, and a clock time with the day it is on.

TimeML tags "1998-99", "from 2004 to 2006" and "between 1998 and 2001" as two TIMEX3s, one
per end, and "at 09:30 GMT on Tuesday" as two (a TIME and the DATE after "on"); the tagger
keeps them so. What they say together is written on the mentions: the first end of a range
gets the interval of the whole range (``range``), and the mention that only completes
another (the last end of a range, the day of a clock time) says which one (``part_of``).
A timeline makes one entry of them.

The words that join are data: the lexicon's ``rangegap``, ``rangelead``, ``timeday`` and
``daytime`` classes. The clock time has already taken its day at extraction
(:func:`.engine.complete_days`); here the day is only marked as part of it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from .lexicon import Lexicon, load_lexicon
from .model import Interval, Mention

# Granularities from fine to coarse: a range between a day and a month is known to the month.
COARSENESS = (
    "second",
    "minute",
    "hour",
    "part-of-day",
    "day",
    "days",
    "weekend",
    "week",
    "month",
    "quarter",
    "season",
    "half-year",
    "year",
    "decade",
    "century",
)
LAST_WORD = re.compile(r"(\w+)\W*$")
# How far back the word before a range ("between") is looked for.
LEAD_REACH = 30


@functools.cache
def _gap(lexicon: Lexicon, name: str) -> re.Pattern[str]:
    return re.compile(lexicon.body(name), re.IGNORECASE)


def join_mentions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with the days of clock times and the ends of ranges
    marked: see the module's docstring."""
    out = list(mentions)
    lexicon = load_lexicon()
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.part_of is None and second.part_of is None:
            out[i], out[i + 1] = join_day(text, first, second, lexicon)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.part_of is None and second.part_of is None and first.range is None:
            out[i], out[i + 1] = join_range(text, first, second, lexicon)
    return out


def join_day(
    text: str, first: Mention, second: Mention, lexicon: Lexicon
) -> tuple[Mention, Mention]:
    """A clock time and the day next to it ("09:30 GMT on Tuesday", "Tuesday at 09:30 GMT"):
    the day is part of the time when the time is on that day."""
    if first.type == second.type:  # a clock time (TIME) and a day (DATE), or nothing to join
        return first, second
    between = text[first.end : second.start]
    if _on_day(first, second) and _gap(lexicon, "timeday").fullmatch(between):
        return first, replace(second, part_of=first.start)
    if _on_day(second, first) and _gap(lexicon, "daytime").fullmatch(between):
        return replace(first, part_of=second.start), second
    return first, second


def _on_day(clock: Mention, day: Mention) -> bool:
    """Whether ``clock`` is a time of the day ``day`` names (its value starts with it)."""
    return (
        clock.type == "TIME"
        and day.type == "DATE"
        and day.granularity == "day"
        and len(day.value) == 10
        and clock.value.startswith(day.value + "T")
    )


def join_range(
    text: str, first: Mention, second: Mention, lexicon: Lexicon
) -> tuple[Mention, Mention]:
    """Two dates or times that the words between make one range: the first gets the
    interval of the whole, the second is part of it."""
    whole = range_interval(first, second)
    if whole is None:
        return first, second
    joined = lexicon.normalise("rangegap", text[first.end : second.start])
    if joined is None:
        return first, second
    if joined != "range":
        before = LAST_WORD.search(text, max(0, first.start - LEAD_REACH), first.start)
        lead = lexicon.normalise("rangelead", before.group(1)) if before else None
        if lead != joined:
            return first, second
    return replace(first, range=whole), replace(second, part_of=first.start)


def range_interval(first: Mention, second: Mention) -> Interval | None:
    """From the start of ``first`` to the end of ``second``, at the coarser granularity of
    the two; None unless both are closed dates or times and ``second`` does not begin
    before ``first`` ("from November 15 to February 15" names no range)."""
    if first.type not in ("DATE", "TIME") or second.type not in ("DATE", "TIME"):
        return None
    a, b = first.interval, second.interval
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return None
    if "vague" in (a.granularity, b.granularity):
        return None
    if _instant(b.start) < _instant(a.start) or _instant(b.end) <= _instant(a.end):
        return None
    return Interval(a.start, b.end, _coarser(a.granularity, b.granularity))


def _instant(bound: str | None) -> str:
    """An interval bound as a sortable text: a day at midnight, an instant in UTC."""
    if bound is None:
        return ""
    if "T" not in bound:
        return bound + "T00:00"
    return bound.removesuffix("Z")


def _coarser(a: str, b: str) -> str:
    return max(a, b, key=lambda g: RANK.get(g, len(COARSENESS)))


RANK = {g: i for i, g in enumerate(COARSENESS)}
