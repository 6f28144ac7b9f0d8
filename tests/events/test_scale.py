"""Anchoring and entry building grow linearly with the article: counted in units of work
(:class:`timeline.limits.Budget`) and in lines of the events package executed, never in
seconds. 100 KB of "Friday, " and of a list of weekdays are the worst cases: every word a
time reference, all in one sentence."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from timeline import tag
from timeline.events import entries as entries_module
from timeline.events.entries import build_entries, overlapped
from timeline.limits import Budget

PUBLISHED = date(2021, 7, 17)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVENTS_PACKAGE = str(Path(entries_module.__file__).parent)


def fridays(size: int) -> str:
    """``size`` characters of "Friday, "."""
    return ("Friday, " * (size // 8 + 1))[:size]


def weekdays(size: int) -> str:
    """``size`` characters of a list of the weekdays, in turn."""
    return (", ".join(WEEKDAYS * (size // 50 + 1)))[:size]


def work(text: str) -> tuple[int, int]:
    """The units of work ``build_entries`` charges for ``text``, and its time references."""
    mentions = tag(text, PUBLISHED.isoformat())
    budget = Budget()
    build_entries(text, PUBLISHED, mentions, budget=budget)
    return budget.spent, len(mentions)


@pytest.mark.parametrize("make", [fridays, weekdays], ids=["fridays", "weekdays"])
def test_the_work_of_100_kb_is_at_most_twice_that_of_50_kb(make: Callable[[int], str]) -> None:
    half, half_mentions = work(make(50_000))
    full, full_mentions = work(make(100_000))
    assert full_mentions >= 1.9 * half_mentions > 10_000
    assert full <= 2.2 * half
    assert full / full_mentions <= 200  # units per time reference: its sentence's words


def lines_run(text: str) -> int:
    """How many lines of :mod:`timeline.events` ``build_entries`` runs for ``text`` (the
    tagging before it not counted): every pass of every loop, comprehensions included."""
    mentions = tag(text, PUBLISHED.isoformat())
    count = 0

    def trace(frame: FrameType, event: str, _arg: Any) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(EVENTS_PACKAGE):
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        build_entries(text, PUBLISHED, mentions)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("make", [fridays, weekdays], ids=["fridays", "weekdays"])
def test_the_lines_run_grow_linearly(make: Callable[[int], str]) -> None:
    """An independent count: a scan of every mention for each one, or a comparison of
    every pair of entries, would run four times the lines for twice the text."""
    assert lines_run(make(8_000)) <= 2.2 * lines_run(make(4_000))


def test_overlapped_intervals_are_those_pairwise_comparison_finds() -> None:
    days = [f"2021-07-{d:02d}" for d in range(1, 15)]
    pick = random.Random(7)
    for _ in range(300):
        ends = [sorted((pick.choice(days), pick.choice(days))) for _ in range(pick.randint(0, 12))]
        spans = [(start, end) for start, end in ends]
        spans += [(b, a) for a, b in spans[:1]]  # an interval that ends before it starts
        expected = {
            (s, e)
            for s, e in spans
            if any(os < e and s < oe and (os, oe) != (s, e) for os, oe in spans)
        }
        assert overlapped(spans) == expected
