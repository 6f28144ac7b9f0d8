"""Value objects of the tagger: the underspecified :class:`Partial`, the resolved :class:`Mention`.

Extraction produces a :class:`Partial` per match (what the words say, nothing resolved);
the resolver turns it into a :class:`Mention` once it knows the anchor date.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
TIMEX_TYPES: frozenset[str] = frozenset({"DATE", "TIME", "DURATION", "SET"})
MODS: frozenset[str] = frozenset(
    {
        "APPROX",
        "LESS_THAN",
        "MORE_THAN",
        "EQUAL_OR_LESS",
        "EQUAL_OR_MORE",
        "START",
        "MID",
        "END",
        "BEFORE",
        "AFTER",
        "ON_OR_BEFORE",
        "ON_OR_AFTER",
    }
)


Frozen = TypeVar("Frozen")


def quick_init(cls: type[Frozen]) -> type[Frozen]:
    """``cls``, a frozen dataclass, with an ``__init__`` that puts the fields straight into the
    instance's dict.

    The ``__init__`` that :func:`dataclasses.dataclass` writes for a frozen class sets each
    field through ``object.__setattr__``, four times as slow: a tagger makes a few objects per
    time reference (a :class:`Mention` has twelve fields). The instance holds the same values
    either way; only fields with a plain default are supported (no ``default_factory``, no
    ``init=False``); ``__post_init__`` is called as before.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    params: list[str] = []
    defaults: dict[str, Any] = {}
    for item in fields:
        if not item.init or item.default_factory is not dataclasses.MISSING:
            raise TypeError(f"quick_init: {cls.__name__}.{item.name} needs the dataclass __init__")
        if item.default is dataclasses.MISSING:
            params.append(item.name)
        else:
            defaults[item.name] = item.default
            params.append(f"{item.name}=_defaults[{item.name!r}]")
    lines = [f"def __init__(self, {', '.join(params)}):", "    fill = self.__dict__"]
    lines += [f"    fill[{item.name!r}] = {item.name}" for item in fields]
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    namespace: dict[str, Any] = {"_defaults": defaults}
    exec("\n".join(lines), namespace)  # code made from the field names only
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@quick_init
@dataclass(frozen=True)
class Partial:
    """An underspecified time expression: the fields a rule read from the text.

    ``fields`` holds the rule's production with its placeholders filled, e.g.
    ``{"type": "DATE", "m": "07", "d": "16"}`` for "July 16": the year is left for the resolver.
    """

    start: int
    end: int
    text: str
    rule: str
    fields: dict[str, str] = field(hash=False, compare=True)

    def __post_init__(self) -> None:
        # The resolver reads fields tens of thousands of times a corpus: the instance holds
        # the dict's own ``get``, which stands in for the method below without its call.
        object.__setattr__(self, "get", self.fields.get)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The production field ``key``, or ``default`` when the rule did not set it."""
        return self.fields.get(key, default)


@quick_init
@dataclass(frozen=True)
class Interval:
    """A half-open interval ``[start, end)`` of ISO 8601 instants, with its granularity.

    ``start`` or ``end`` is ``None`` when the reference is open on that side ("in the past").
    """

    start: str | None
    end: str | None
    granularity: str


@quick_init
@dataclass(frozen=True)
class Mention:
    """A resolved time reference.

    TimeML annotates a range ("1998-99", "from 2004 to 2006", "June 3-5") as two TIMEX3s, and
    a clock time and the day it is on ("at 09:30 GMT on Tuesday") as two when a preposition
    parts them: each end stays a mention of its own, with its own value. What the text joins
    is said by two fields. ``range``, on the first end of a range, is the interval of the whole
    range (from the start of the first end to the end of the last); ``part_of``, on a mention
    that only completes another (the last end of a range, the day a clock time is on), is the
    ``start`` of that mention. A timeline makes one entry of them: the first end's, over its
    ``range`` when it has one, and none for a mention that is ``part_of`` another.

    A clock time said with its time zone ("09:30 GMT", "4 a.m. EDT") has the zone in its value
    (``2021-07-13T09:30Z``, ``2021-07-15T04:00-04``, the clock as said with its offset from UTC)
    and an interval in UTC (``2021-07-15T08:00Z``); one without stays floating.

    >>> m = Mention(0, 6, "Friday", "DATE", "2021-07-16", None,
    ...             Interval("2021-07-16", "2021-07-17", "day"), "2021-07-17", 0.8)
    >>> m.to_dict()["interval"]
    {'start': '2021-07-16', 'end': '2021-07-17'}
    """

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    mod: str | None
    interval: Interval | None
    anchor: str
    confidence: float
    rule: str = ""
    range: Interval | None = None
    part_of: int | None = None

    @property
    def granularity(self) -> str | None:
        """The granularity of the interval, if the mention has one."""
        return self.interval.granularity if self.interval else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the mention (the CLI's and the API's); ``range`` keeps its
        granularity inside (``{"start", "end", "granularity"}``)."""
        out = asdict(self)
        out.pop("rule")
        interval = out.pop("interval")
        out["interval"] = {"start": interval["start"], "end": interval["end"]} if interval else None
        out["granularity"] = interval["granularity"] if interval else None
        return out
