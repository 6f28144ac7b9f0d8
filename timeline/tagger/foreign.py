"""Time references in languages other than English, through ``dateparser``.

The English rules do not apply; ``dateparser.search.search_dates`` finds the date phrases
of some 200 languages and ``DateDataParser`` tells each one's granularity (a day, a month,
a year, a clock time). Their settings are passed on every call (the anchor as
``RELATIVE_BASE``, the language explicitly); nothing global is touched. Each phrase is
looked up in the original text (dateparser collapses white space), so offsets index it.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import InvalidInputError
from .calendar import iso, value_interval
from .model import Interval, Mention, TimexType

CONFIDENCE = 0.5
# Phrases shorter than this, without a digit, are mostly false friends ("Die" read as "Di",
# Tuesday, in German).
MIN_PHRASE = 4
# Short words at either end of a phrase are the prepositions and articles dateparser takes
# along ("le 14 juillet 2021 à"), not part of the date.
EDGE_WORD = re.compile(r"^[^\W\d_]{1,2}\s+|\s+[^\W\d_]{1,2}$")
# A second past the hour in the anchor: a phrase whose time still has it named no clock time.
BASE_SECOND = 1


def primary_language(language: str) -> str:
    """The primary subtag of a language tag, lower-cased ("fr-CA" and "fr_CA" give "fr")."""
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()


@functools.cache
def check_language(language: str) -> str:
    """``language`` if dateparser knows it, else :class:`InvalidInputError`."""
    from dateparser.languages.loader import default_loader

    try:
        default_loader.get_locale_map(languages=[language])
    except ValueError:
        raise InvalidInputError(f"unsupported language {language!r}") from None
    return language


def tag_foreign(text: str, day: date, moment: datetime | None, language: str) -> list[Mention]:
    """The dates ``dateparser`` finds in ``text``, resolved against ``day`` (or ``moment``)."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    code = check_language(primary_language(language))
    base = (moment or datetime(day.year, day.month, day.day, 12)).replace(
        second=BASE_SECOND, microsecond=0
    )
    settings: dict[str, Any] = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        found = search_dates(text, languages=[code], settings=settings) or []
    except (ValueError, KeyError, OverflowError):
        return []
    parser = DateDataParser(languages=[code], settings=settings)
    mentions: list[Mention] = []
    cursor = 0
    for phrase, _ in found:
        span = locate(text, phrase, cursor)
        if span is None:
            continue
        start, end = span
        cursor = end
        data = parser.get_date_data(text[start:end])
        if data.date_obj is None:
            continue
        mentions.append(_mention(text, start, end, data.date_obj, data.period, day))
    return mentions


def locate(text: str, phrase: str, cursor: int) -> tuple[int, int] | None:
    """Where ``phrase`` stands in ``text`` from ``cursor`` on, white space matched loosely,
    without the short words at its ends; ``None`` if it is not there or too short."""
    trimmed = EDGE_WORD.sub("", phrase.strip())
    words = trimmed.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.compile(pattern, re.IGNORECASE).search(text, cursor)
    if match is None:
        return None
    if len(trimmed) < MIN_PHRASE and not any(c.isdigit() for c in trimmed):
        return None
    return match.span()


def _mention(
    text: str, start: int, end: int, when: datetime, period: str | None, anchor: date
) -> Mention:
    """A DATE at the granularity dateparser read, or a TIME when the phrase named a clock
    time (its seconds are no longer those of the anchor)."""
    kind: TimexType = "DATE"
    interval: Interval | None
    if when.second != BASE_SECOND and (when.hour, when.minute) != (0, 0):
        kind, value = "TIME", when.strftime("%Y-%m-%dT%H:%M")
        after = when.replace(second=0) + timedelta(minutes=1)
        interval = Interval(value, iso(after), "minute")
    else:
        value = {
            "year": f"{when.year:04d}",
            "month": f"{when.year:04d}-{when.month:02d}",
        }.get(period or "day", when.date().isoformat())
        found = value_interval(value)
        interval = Interval(iso(found[0]), iso(found[1]), found[2]) if found else None
    return Mention(
        start,
        end,
        text[start:end],
        kind,
        value,
        None,
        interval,
        anchor.isoformat(),
        CONFIDENCE,
        "dateparser",
    )
