"""Years before Christ on a story's time line.

:class:`datetime.date` has no year before 1, so a story told in years BC ("In 481 BC ...
the following spring") keeps its dates on a mirrored line: 480 BC is the year
``MIRROR - 480``. Time runs forward on it as it does in history (the year after 481 BC is
480 BC, August comes after April), so the resolver counts from a BC story as from any
other; :func:`from_mirror` turns what it computed back into a TIMEX3 ``BC`` value.

>>> story_day("BC0480-08")
(datetime.date(9519, 8, 1), 'month')
>>> from_mirror("9520-SP")
'BC0479-SP'
"""

from __future__ import annotations

import re
from datetime import date

from .calendar import season_start

MIRROR = 9999
# Years on the mirrored line lie at or above this one (BC years up to 4999).
FLOOR = 5000
BC_VALUE = re.compile(
    r"BC(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|(?P<season>SP|SU|FA|WI)))?"
)
# A value computed on the mirrored line: a year with what follows it, a decade, a century.
MIRRORED = re.compile(r"(?P<y>\d{4})(?P<rest>(?:-.*)?)|(?P<decade>\d{3})|(?P<century>\d{2})")


def bc_value(year: int, month: int | None = None, season: str | None = None) -> str:
    """The TIMEX3 value of a year BC, with its month or season ("BC0480-04", "BC0481-FA")."""
    if month is not None:
        return f"BC{year:04d}-{month:02d}"
    if season:
        return f"BC{year:04d}-{season}"
    return f"BC{year:04d}"


def mirror_year(bc_year: int) -> int:
    """The year on the mirrored line of ``bc_year`` BC."""
    return MIRROR - bc_year


def story_day(value: str) -> tuple[date, str] | None:
    """The first day on the mirrored line of a BC value and its granularity; ``None`` when
    ``value`` is not one (or names year 0 or a day that does not exist)."""
    m = BC_VALUE.fullmatch(value) if value.startswith("BC") else None
    if not m or not 0 < int(m.group("y")) < MIRROR - FLOOR:
        return None
    year = mirror_year(int(m.group("y")))
    try:
        if m.group("d"):
            return date(year, int(m.group("m")), int(m.group("d"))), "day"
        if m.group("m"):
            return date(year, int(m.group("m")), 1), "month"
    except ValueError:
        return None
    if m.group("season"):
        return season_start(year, m.group("season")), "season"
    return date(year, 1, 1), "year"


def from_mirror(value: str) -> str:
    """``value`` as a BC value when it was computed on the mirrored line ("9520-SP" is
    "BC0479-SP", the decade "951" "BC048"); any other value unchanged."""
    if not value or "0" <= value[0] <= "4" or not value[0].isdigit():
        return value  # every value the line can give starts with a digit of 5 or more
    m = MIRRORED.fullmatch(value)
    if not m:
        return value
    if m.group("y") and int(m.group("y")) >= FLOOR:
        return f"BC{MIRROR - int(m.group('y')):04d}{m.group('rest')}"
    if m.group("decade") and int(m.group("decade")) * 10 >= FLOOR:
        return f"BC{(MIRROR - int(m.group('decade')) * 10) // 10:03d}"
    if m.group("century") and int(m.group("century")) * 100 >= FLOOR:
        return f"BC{(MIRROR - int(m.group('century')) * 100) // 100:02d}"
    return value
