"""Timelines in the formats newsrooms use: TimelineJS 3 JSON, iCalendar (RFC 5545), CSV and
TimeML.

Each takes the timeline entries in their wire shape (:func:`timeline.api.timelines.event_json`),
so that every format says what the JSON says. Dates people read are the entries'
``display_date`` ("Friday 16 July 2021", "recent weeks (late June to 17 July 2021)", "about
2001 to 2021"): a vague or approximate entry says so rather than pretending precision.

Text from articles is data everywhere: TimelineJS renders its ``headline`` and ``text`` as
HTML, so they are escaped here, and it decodes a ``group`` before it renders it as HTML, so
a group keeps no markup characters at all; a CSV cell that a spreadsheet would read as a formula
(after any leading white space) is quoted as text; iCalendar text is escaped (line breaks as
``\\n``, whatever their form) and holds no other control character.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

# Characters of markup (TimelineJS decodes a group's entities, so escaping is not enough).
MARKUP = re.compile(r"[<>&\"'`]")
# What a spreadsheet reads as the start of a formula (also after white space: " =1+1").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters that RFC 5545 TEXT leaves out (line breaks are escaped, tabs allowed).
ICAL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CSV_COLUMNS = (
    "date",
    "start",
    "end",
    "granularity",
    "headline",
    "text",
    "sources",
    "mentions",
    "conflicts",
    "uncertain",
    "id",
)

Entry = dict[str, Any]
CALENDAR_END = b"END:VCALENDAR\r\n"


def _moment(value: str) -> datetime:
    """An interval bound (``2021-07-16``, ``2021-07-16T09:30[:00]``, or an instant in UTC
    ``2021-07-16T09:30Z``) as a datetime: naive for a floating time, in UTC for a zoned one."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is None else moment.astimezone(UTC)


def _has_time(value: str) -> bool:
    return "T" in value


def _last_moment(entry: Entry) -> datetime:
    """The last moment inside an entry's interval (its end is exclusive): the day before a
    date end, the end itself for a time."""
    end, start = entry["interval"]["end"], _moment(entry["interval"]["start"])
    last = _moment(end) if _has_time(end) else _moment(end) - timedelta(days=1)
    return max(last, start)


def timelinejs_date(moment: datetime, timed: bool) -> dict[str, int]:
    """A TimelineJS date object: the day, and the time when the interval has one. The date
    is as precise as the interval's bound, whatever its granularity, so that TimelineJS
    (which orders slides by their start) keeps the timeline's order; the precision people
    read is in ``display_date``, and so is the time zone (a zoned time's bounds are in UTC,
    which orders it among the others; ``display_date`` gives its own clock and zone)."""
    fields = {"year": moment.year, "month": moment.month, "day": moment.day}
    if timed:
        fields |= {"hour": moment.hour, "minute": moment.minute}
    return fields


def group_label(source: str) -> str:
    """A TimelineJS group (the row of the time navigator) named after a source, with no
    character that could make markup, escaped or not."""
    return " ".join(MARKUP.sub(" ", source).split())


def sources_line(entry: Entry) -> str:
    """Where an entry was reported, for people: "Reported by Al Jazeera, Reuters"."""
    sources = entry["sources"]
    return "Reported by " + ", ".join(sources) if sources else "Source not named"


def timelinejs(entries: Iterable[Entry], title: str, subtitle: str = "") -> dict[str, Any]:
    """A TimelineJS 3 timeline: one slide per entry (its start, its end when it lasts more
    than a day, its ``display_date``, headline and sentence, escaped), and a title slide."""
    return {"title": _title_slide(title, subtitle), "events": [slide(e) for e in entries]}


def timelinejs_stream(entries: Iterable[Entry], title: str, subtitle: str = "") -> Iterator[str]:
    """:func:`timelinejs` as JSON text, a slide at a time (nothing holds every slide)."""
    yield '{"title": ' + json.dumps(_title_slide(title, subtitle)) + ', "events": ['
    for n, entry in enumerate(entries):
        yield (", " if n else "") + json.dumps(slide(entry))
    yield "]}"


def _title_slide(title: str, subtitle: str) -> dict[str, Any]:
    return {"text": {"headline": html.escape(title), "text": html.escape(subtitle)}}


def slide(entry: Entry) -> dict[str, Any]:
    """The TimelineJS slide of one entry."""
    timed = _has_time(entry["interval"]["start"])
    start = timelinejs_date(_moment(entry["interval"]["start"]), timed)
    end = timelinejs_date(_last_moment(entry), timed)
    shown: dict[str, Any] = {
        "start_date": start,
        "display_date": entry["display_date"],
        "text": {
            "headline": html.escape(entry["headline"]),
            "text": "<p>"
            + html.escape(entry["text"])
            + "</p><p><small>"
            + html.escape(sources_line(entry))
            + ("; other reports give another date" if entry["conflicts"] else "")
            + "</small></p>",
        },
        "group": group_label(entry["sources"][0]) if entry["sources"] else "",
        "unique_id": f"event-{entry['id']}",
    }
    if end != start:
        shown["end_date"] = end
    return shown


def ics(entries: Iterable[Entry], name: str, host: str) -> bytes:
    """An iCalendar of the entries (:func:`ics_stream`), whole."""
    return b"".join(ics_stream(entries, name, host))


def ics_stream(entries: Iterable[Entry], name: str, host: str) -> Iterator[bytes]:
    """An iCalendar of the entries, a VEVENT at a time: one each (an all-day event for a
    date, a timed one for a time: in UTC, ``DTSTART:20210713T093000Z``, when the article
    gave its time zone or its publication time an offset, floating when neither did), its
    summary the headline with the date people read, its description the sentence and the
    sources, its UID stable (``event-ID@HOST``)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//timeline//event timeline service//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _ical_text(name))  # not a TEXT property to icalendar
    head: bytes = calendar.to_ical()
    yield head[: -len(CALENDAR_END)]  # the calendar's own lines, open
    stamp = datetime.now(UTC)  # when this calendar was made (RFC 5545 DTSTAMP), not a date read
    for entry in entries:
        event: bytes = vevent(entry, host, stamp).to_ical()
        yield event
    yield CALENDAR_END


def vevent(entry: Entry, host: str, stamp: datetime) -> icalendar.Event:
    """The VEVENT of one entry."""
    event = icalendar.Event()
    event.add("uid", f"event-{entry['id']}@{host}")
    event.add("dtstamp", stamp)
    start, end = entry["interval"]["start"], entry["interval"]["end"]
    if _has_time(start) or _has_time(end):
        event.add("dtstart", _moment(start))
        event.add("dtend", _moment(end))
    else:
        event.add("dtstart", date.fromisoformat(start))
        event.add("dtend", date.fromisoformat(end))
    event.add("summary", _ical_text(f"{entry['headline']} ({entry['display_date']})"))
    lines = [entry["text"], "", sources_line(entry) + "."]
    lines += [
        f"Article {m['article_id']}, characters {m['start']} to {m['end']}: \u201c{m['text']}\u201d"
        for m in entry["mentions"]
    ]
    lines += [
        f"Another date, {c['display_date']}: article {c['article_id']}, \u201c{c['text']}\u201d"
        for c in entry["conflicts"]
    ]
    event.add("description", _ical_text("\n".join(lines)))
    if entry["uncertain"]:
        event.add("status", "TENTATIVE")
    return event


def _ical_text(text: str) -> icalendar.vText:
    """``text`` as an iCalendar TEXT value: its line breaks (LF, CR LF or CR) escaped by
    icalendar, any other control character a space."""
    return icalendar.vText(ICAL_CONTROL.sub(" ", text))


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as the text it is (spreadsheets skip the white
    space before a formula)."""
    text = str(value)
    formula = text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)
    return "'" + text if formula else text


def csv_text(entries: Iterable[Entry]) -> str:
    """The CSV of the entries (:func:`csv_stream`), whole."""
    return "".join(csv_stream(entries))


def csv_stream(entries: Iterable[Entry]) -> Iterator[str]:
    """One row per entry, a row at a time: the date people read, start, end, granularity,
    headline, sentence, sources, the words that date it, the dates others give, uncertainty
    and id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        interval = entry["interval"]
        row = (
            entry["display_date"],
            interval["start"],
            interval["end"],
            interval["granularity"],
            entry["headline"],
            entry["text"],
            "; ".join(entry["sources"]),
            "; ".join(f"{m['text']} (article {m['article_id']})" for m in entry["mentions"]),
            "; ".join(
                f"{c['display_date']} (article {c['article_id']})" for c in entry["conflicts"]
            ),
            "yes" if entry["uncertain"] else "no",
            entry["id"],
        )
        writer.writerow([_cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()
