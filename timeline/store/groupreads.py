"""Timeline entries read a bounded sample at a time, so that reading a page costs the same
however many articles report its events.

An entry stands for its group of reports (:mod:`timeline.store.timelines`). It is read from its
lead and the group's intervals (``event_intervals``: each distinct interval of its reports
and how many have it), which give how many reports it stands for, the other dates they
give and how many give each, and whether it is uncertain, without reading the reports;
and from a sample of them: at most ``SAMPLE`` reports that agree with the lead's date
(the lead, then the latest others), and for each of at most ``SAMPLE`` other dates (those
most reports give first) the latest report that gives it. Each sample is a statement with
its own row limit (``ORDER BY id DESC LIMIT``, a seek in ``ix_events_group_report`` or
``ix_events_group_interval``), many of them in one ``UNION ALL``, which SQLite and
PostgreSQL both run. Every report of an entry is read a page at a time
(:func:`group_reports`, ``GET /v1/events/{id}``).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import TextClause, select, text
from sqlalchemy.orm import Session

from ..events.merge import Merged, Report
from .models import Event, EventInterval
from .reports import REPORT_COLUMNS, shown

# How many reports an entry cites at most (``mentions``), and how many other dates it
# shows at most (``conflicts``), with an example report of each.
SAMPLE = 5
# How many limited statements one UNION ALL holds (SQLite allows 500).
CHUNK = 200

Interval = tuple[str, str]


def entries(session: Session, leads: Sequence[Event]) -> list[Merged]:
    """The entries of groups whose leads are ``leads``, in their order: each with its
    report count, its other dates with theirs, and its bounded samples."""
    if not leads:
        return []
    intervals = _intervals(session, [lead.group_id for lead in leads if lead.group_id])
    others: dict[int, dict[Interval, int]] = {}
    totals: dict[int, int] = {}
    samples: list[tuple[str, dict[str, Any]]] = []
    for lead in leads:
        group = lead.id if lead.group_id is None else lead.group_id
        rows = intervals.get(group, [])
        other = _other_dates(lead, rows)
        others[lead.id], totals[lead.id] = other, max(sum(n for *_, n in rows), 1)
        # the reports other than the lead that agree with it (unknown without intervals):
        # none, for most entries, which are one report's, and then no sample is read
        also = totals[lead.id] - 1 - sum(other.values()) if rows else SAMPLE
        if also > 0:
            span = {"start": lead.interval_start, "end": lead.interval_end}
            samples.append((AGREEING, {"group": group, "lead": lead.id, **span}))
        for start, end in sorted(other, key=lambda key: (-other[key], key))[:SAMPLE]:
            samples.append(
                (LATEST_WITH, {"group": group, "lead": lead.id, "start": start, "end": end})
            )
    ids = {lead.id for lead in leads} | set(_run(session, samples))
    statement = REPORT_COLUMNS.where(Event.id.in_(ids)).order_by(Event.id.desc())
    held: dict[int, Report] = {}
    found: dict[int, list[Report]] = defaultdict(list)
    for row in session.execute(statement):
        held[row.id] = shown(row)
        found[row.group_id if row.group_id is not None else row.id].append(held[row.id])
    out = []
    for lead in leads:
        main = held[lead.id]
        members = [r for r in found[lead.group_id or lead.id] if r.id != lead.id]
        agreeing = [r for r in members if _overlap(r.start, r.end, main.start, main.end)]
        other = others[lead.id]
        conflicting = [r for r in members if r not in agreeing]
        conflicting.sort(key=lambda r: -other.get((r.start, r.end), 0))
        out.append(
            Merged(
                main,
                agreeing[: SAMPLE - 1],
                conflicting[:SAMPLE],
                lead.group_id,
                total=totals[lead.id],
                other_dates=other,
            )
        )
    return out


def group_reports(
    session: Session, group: int, limit: int, after: int | None = None
) -> tuple[list[Report], int | None]:
    """A page of a group's reports in id order (the order they were stored in), from the
    one after ``after``; and the id to read the next page after (``None`` on the last)."""
    statement = REPORT_COLUMNS.where(Event.group_id == group)
    if after is not None:
        statement = statement.where(Event.id > after)
    rows = list(session.execute(statement.order_by(Event.id).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    return [shown(row) for row in rows], rows[-1].id if more else None


def lead_of(session: Session, group: int) -> Event | None:
    """The lead of a group (``None`` when no group has that id)."""
    statement = select(Event).where(Event.group_id == group, Event.lead.is_(True)).limit(1)
    return session.scalars(statement).first()


def _intervals(session: Session, groups: Iterable[int]) -> dict[int, list[tuple[str, str, int]]]:
    """Each group's distinct intervals and how many of its reports have each."""
    found: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    chosen = list(set(groups))
    for at in range(0, len(chosen), 1000):  # bound the number of parameters
        statement = select(
            EventInterval.group_id,
            EventInterval.interval_start,
            EventInterval.interval_end,
            EventInterval.reports,
        ).where(EventInterval.group_id.in_(chosen[at : at + 1000]))
        for group, start, end, reports in session.execute(statement):
            found[group].append((start, end, reports))
    return found


def _other_dates(lead: Event, rows: list[tuple[str, str, int]]) -> dict[Interval, int]:
    """The intervals of a group's reports that do not overlap its lead's, and how many
    reports (other than the lead) have each."""
    other = {}
    for start, end, reports in rows:
        if _overlap(start, end, lead.interval_start, lead.interval_end):
            continue
        own = (start, end) == (lead.interval_start, lead.interval_end)
        if reports - own > 0:
            other[(start, end)] = reports - own
    return other


def _overlap(start: str, end: str, other_start: str, other_end: str) -> bool:
    """Whether two intervals share some time (:func:`timeline.events.merge.overlaps`)."""
    return start < other_end and other_start < end


# The samples, each a statement of its own row limit (its parameters: ``group``, ``lead``
# and an interval, ``start`` and ``end``): the latest reports of a group, other than its
# lead, that agree with the lead's interval; the latest with a given interval.
AGREEING = f"""SELECT id FROM events WHERE group_id = :group AND id != :lead
 AND interval_start < :end AND interval_end > :start ORDER BY id DESC LIMIT {SAMPLE - 1}"""
LATEST_WITH = """SELECT id FROM events WHERE group_id = :group AND id != :lead
 AND interval_start = :start AND interval_end = :end ORDER BY id DESC LIMIT 1"""


@functools.lru_cache(maxsize=256)
def _union(kinds: tuple[str, ...]) -> TextClause:
    """One statement of the samples ``kinds`` (:data:`AGREEING`, :data:`LATEST_WITH`), each
    with its parameters numbered (``:group_3``): a UNION ALL of limited subqueries, which
    SQLite and PostgreSQL both run (each a seek in ``ix_events_group_report`` or
    ``ix_events_group_interval``)."""
    parts = []
    for n, kind in enumerate(kinds):
        numbered = re.sub(r":(group|lead|start|end)\b", rf":\1_{n}", kind)
        parts.append(f"SELECT id FROM ({numbered}) AS sample_{n}")
    return text(" UNION ALL ".join(parts))


def _run(session: Session, samples: list[tuple[str, dict[str, Any]]]) -> list[int]:
    """The ids the samples choose, in statements of ``CHUNK`` of them."""
    ids: list[int] = []
    for at in range(0, len(samples), CHUNK):  # none when there are no samples
        chunk = samples[at : at + CHUNK]
        params = {f"{k}_{n}": v for n, (_, given) in enumerate(chunk) for k, v in given.items()}
        statement = _union(tuple(kind for kind, _ in chunk))
        ids += list(session.scalars(statement, params))
    return ids
