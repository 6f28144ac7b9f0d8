"""Time references in languages other than English, through ``dateparser``.

The English rules do not apply; ``dateparser.search.search_dates`` finds absolute and
relative dates in some 200 locales. Its settings are passed on every call (the anchor as
``RELATIVE_BASE``, the language explicitly); nothing global is touched. Offsets are found
by locating each returned phrase in the original text, left to right.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .model import Interval, Mention

CONFIDENCE = 0.5
# Shorter phrases without a digit are mostly false friends ("Die" read as "Di", Tuesday).
MIN_PHRASE = 4


def tag_foreign(text: str, day: date, moment: datetime | None, language: str) -> list[Mention]:
    """The dates ``dateparser`` finds in ``text``, resolved against ``day`` (or ``moment``)."""
    from dateparser.search import search_dates

    base = moment or datetime(day.year, day.month, day.day, 12)
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = (
            search_dates(text, languages=[language.lower().split("-")[0]], settings=settings) or []
        )
    except (ValueError, KeyError, OverflowError):
        return []
    mentions: list[Mention] = []
    cursor = 0
    for phrase, when in found:
        start = text.find(phrase, cursor)
        if start < 0 or (len(phrase.strip()) < MIN_PHRASE and not any(c.isdigit() for c in phrase)):
            continue
        end = start + len(phrase)
        cursor = end
        mentions.append(_mention(text, start, end, when, base, day))
    return mentions


def _mention(
    text: str, start: int, end: int, when: datetime, base: datetime, anchor: date
) -> Mention:
    """A DATE (or a TIME when ``dateparser`` read a clock time: one other than the base's)."""
    if when.time() != base.time():
        value = when.strftime("%Y-%m-%dT%H:%M")
        after = (when + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
        return Mention(
            start,
            end,
            text[start:end],
            "TIME",
            value,
            None,
            Interval(value, after, "minute"),
            anchor.isoformat(),
            CONFIDENCE,
            "dateparser",
        )
    value = when.date().isoformat()
    after = (when.date() + timedelta(days=1)).isoformat()
    return Mention(
        start,
        end,
        text[start:end],
        "DATE",
        value,
        None,
        Interval(value, after, "day"),
        anchor.isoformat(),
        CONFIDENCE,
        "dateparser",
    )
