"""Properties of ``tag`` on any input: it never raises, its offsets point into the text, it is
deterministic, and it never reads the wall clock (only the publication date it is given)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import types
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import Mention, tag
from timeline.tagger.model import TIMEX_TYPES

# Words that reach every strategy of the resolver, mixed with arbitrary text.
TIME_WORDS = [
    "Friday",
    "on Friday",
    "will meet on Monday",
    "last week",
    "next month",
    "this year",
    "2001",
    "in 1944",
    "Sept. 11, 2001",
    "11 September 2001",
    "2021-07-16T14:05:00Z",
    "9/11/2001",
    "mid-July",
    "early 2021",
    "the 1990s",
    "the '90s",
    "the 20th century",
    "the third quarter",
    "Q3 2021",
    "fiscal 2012",
    "229 BC",
    "2019-2021",
    "4:30 p.m. EDT",
    "midnight",
    "Friday morning",
    "two days ago",
    "a year ago",
    "48 hours",
    "nearly 20 years",
    "half a year",
    "several months",
    "recent weeks",
    "in the coming months",
    "now",
    "recently",
    "the past",
    "every Friday",
    "twice a week",
    "the next day",
    "Two years later",
    "the following year",
    "later that year",
    "the upcoming Eid al-Adha",
    "last Ramadan",
    "Christmas 2001",
    "Easter",
    "Nowruz",
    "Thanksgiving",
    "February 30",
    "$48",
    "1,000 troops",
    "٢٠٠١",
    "１２月",
    "\n\n",
    ".",
    ",",
    "(",
    ")",
]
PIECES = st.one_of(st.text(max_size=12), st.sampled_from(TIME_WORDS))
TEXTS = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=12).map(" ".join))
DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
MOMENTS = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31, 23, 59)
)
PUBLISHED = st.one_of(
    DAYS, DAYS.map(dt.date.isoformat), MOMENTS.map(lambda m: m.isoformat(timespec="seconds"))
)
REGIONS = st.sampled_from([None, "AF", "US"])

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class WallClockRead(AssertionError):
    """The tagger asked for the current date or time."""


class Clock:
    """What the patched clock answers: a frozen moment, or :class:`WallClockRead` when ``None``."""

    now: dt.datetime | None = None

    @classmethod
    def read(cls) -> dt.datetime:
        if cls.now is None:
            raise WallClockRead("the tagger read the wall clock")
        return cls.now


class _SameType(type):
    """Lets ``isinstance(real_date, PatchedDate)`` stay true for the code under test."""

    real: type

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)


class PatchedDate(dt.date, metaclass=_SameType):
    real = dt.date

    @classmethod
    def today(cls) -> Any:
        return Clock.read().date()


class PatchedDateTime(dt.datetime, metaclass=_SameType):
    real = dt.datetime

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> Any:
        moment = Clock.read()
        return moment.replace(tzinfo=tz) if tz else moment

    @classmethod
    def utcnow(cls) -> Any:
        return Clock.read()

    @classmethod
    def today(cls) -> Any:
        return Clock.read()


def _time() -> float:
    return Clock.read().timestamp()


def _time_ns() -> int:
    return int(_time() * 1e9)


def _struct(*args: Any) -> Any:
    if args:
        return time.localtime(*args)
    return Clock.read().timetuple()


PATCHED_DATETIME = types.ModuleType("datetime")
PATCHED_DATETIME.__dict__.update(vars(dt))
PATCHED_DATETIME.__dict__.update(date=PatchedDate, datetime=PatchedDateTime)
PATCHED_TIME = types.ModuleType("time")
PATCHED_TIME.__dict__.update(vars(time))
PATCHED_TIME.__dict__.update(time=_time, time_ns=_time_ns, localtime=_struct, gmtime=_struct)
REPLACEMENTS: dict[int, object] = {
    id(dt): PATCHED_DATETIME,
    id(dt.date): PatchedDate,
    id(dt.datetime): PatchedDateTime,
    id(time): PATCHED_TIME,
    id(time.time): _time,
    id(time.time_ns): _time_ns,
}


@pytest.fixture(scope="module")
def clock() -> Iterator[type[Clock]]:
    """Every clock the ``timeline`` modules can reach (``datetime.date.today``,
    ``datetime.datetime.now``, ``time.time`` ...) answers from :class:`Clock` instead."""
    with pytest.MonkeyPatch.context() as patch:
        patched = 0
        for name, module in list(sys.modules.items()):
            if module is None or not (name == "timeline" or name.startswith("timeline.")):
                continue
            for attr, value in list(vars(module).items()):
                if id(value) in REPLACEMENTS:
                    patch.setattr(module, attr, REPLACEMENTS[id(value)])
                    patched += 1
        assert patched, "found no clock to patch in the timeline modules"
        Clock.now = None
        yield Clock
        Clock.now = None


def check_mentions(text: str, mentions: list[Mention]) -> None:
    previous_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= previous_end, "mentions are in text order and do not overlap"
        previous_end = m.end
        assert m.type in TIMEX_TYPES
        assert isinstance(m.value, str) and m.value
        json.dumps(m.to_dict())


@SETTINGS
@given(text=TEXTS, published=PUBLISHED, region=REGIONS)
def test_any_text_any_date_gives_valid_mentions(
    text: str, published: Any, region: str | None
) -> None:
    check_mentions(text, tag(text, published, region=region))


@SETTINGS
@given(text=TEXTS, published=PUBLISHED, other=TEXTS)
def test_same_input_gives_same_output(text: str, published: Any, other: str) -> None:
    first = tag(text, published)
    tag(other, "2021-07-17")
    assert tag(text, published) == first


def test_the_clock_patch_is_effective(clock: type[Clock]) -> None:
    import timeline.tagger.resolver as resolver

    with pytest.raises(WallClockRead):
        vars(resolver)["date"].today()
    with pytest.raises(WallClockRead):
        vars(resolver)["datetime"].now()
    unpatched = [
        f"{name}.{attr}"
        for name, module in sys.modules.items()
        if module is not None and (name == "timeline" or name.startswith("timeline."))
        for attr, value in vars(module).items()
        if id(value) in REPLACEMENTS
    ]
    assert not unpatched, f"clocks left unpatched: {unpatched}"


@SETTINGS
@given(text=TEXTS, published=PUBLISHED, region=REGIONS)
def test_the_wall_clock_is_never_read(
    clock: type[Clock], text: str, published: Any, region: str | None
) -> None:
    clock.now = None
    check_mentions(text, tag(text, published, region=region))


@settings(max_examples=50, deadline=None)
@given(text=TEXTS, published=PUBLISHED)
def test_output_does_not_depend_on_the_clock(clock: type[Clock], text: str, published: Any) -> None:
    clock.now = dt.datetime(1950, 3, 1, 8, 0)
    early = tag(text, published)
    clock.now = dt.datetime(2090, 11, 30, 20, 0)
    late = tag(text, published)
    clock.now = None
    assert early == late


CALENDAR_ENDS = [dt.date(1, 1, 1), dt.date(1, 1, 5), dt.date(9999, 12, 31), dt.date(9999, 12, 28)]
EDGE_TEMPLATES = (
    "{n} BC",
    "in {y}",
    "on {month} {d}, {y}",
    "{n} years ago",
    "the {y}s",
    "{n} days later",
    "Friday",
    "last week",
    "the next day",
    "Christmas {y}",
    "Eid al-Adha",
    "the {n}th century",
    "early {y}",
    "from {month} to {month} {y}",
    "{n}:{d} p.m.",
)


@settings(max_examples=300, deadline=None)
@given(
    template=st.sampled_from(EDGE_TEMPLATES),
    n=st.integers(min_value=0, max_value=99999),
    y=st.integers(min_value=0, max_value=9999),
    d=st.integers(min_value=0, max_value=99),
    month=st.sampled_from(["January", "Feb.", "May", "Sept.", "December"]),
    published=st.sampled_from(CALENDAR_ENDS)
    | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
def test_calendar_edges_never_raise(
    template: str, n: int, y: int, d: int, month: str, published: dt.date
) -> None:
    """Dates near year 1 or 9999, day 0 or 99, and year 0 resolve or are left out; never raise."""
    text = "It happened " + template.format(n=n, y=y, d=d, month=month) + "."
    check_mentions(text, tag(text, published))
