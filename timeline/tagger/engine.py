"""Extraction: match the rule tables on the original text and fill each rule's production.

The engine knows no words. It takes the rules' matches from the index (:mod:`.index`),
keeps the longest non-overlapping ones, and turns each into a :class:`Partial` whose
fields are the rule's production with ``{group}`` placeholders replaced by normalised words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from .compiler import Rule
from .index import candidates
from .lexicon import Lexicon, load_lexicon
from .model import Partial

PLACEHOLDER = re.compile(r"\{([a-z0-9_|]+)\}")


def fill(rule: Rule, match: re.Match[str], lexicon: Lexicon) -> dict[str, str] | None:
    """The production of ``rule`` with its placeholders filled from ``match``.

    ``{a|b}`` takes the first of the groups that matched. A field whose placeholder names
    no group that took part in the match is left out; a group whose words the lexicon
    cannot normalise rejects the match (``None``). The production depends only on those
    words, so it is made once per rule and words (:attr:`.Rule.fills`); each call returns a
    dict of its own.
    """
    names = rule.group_names
    key: tuple[str | None, ...] = (
        match.group(*names) if len(names) > 1 else (match.group(names[0]),) if names else ()
    )
    known = rule.fills.get(key)
    if known is None or known[0] is not lexicon:
        if len(rule.fills) > FILL_CACHE_SIZE:
            rule.fills.clear()
        known = rule.fills[key] = (lexicon, _fill(rule, match, lexicon))
    return None if known[1] is None else dict(known[1])


# How many productions a rule remembers before it starts afresh.
FILL_CACHE_SIZE = 10_000


def _fill(rule: Rule, match: re.Match[str], lexicon: Lexicon) -> dict[str, str] | None:
    """:func:`fill`, worked out."""
    values: dict[str, str | None] = {}
    for group, cls in rule.group_classes:
        words = match.group(group)
        if words is None:
            values[group] = None
            continue
        value = lexicon.normalise(cls, words)
        if value is None:
            return None
        values[group] = value
    fields: dict[str, str] = {}
    for key, template in rule.production:
        if "{" not in template:  # no placeholder: the field as written
            fields[key] = template
            continue
        missing = False

        def sub(m: re.Match[str]) -> str:
            nonlocal missing
            value = next(
                (values[g] for g in m.group(1).split("|") if values.get(g) is not None), None
            )
            if value is None:
                missing = True
                return ""
            return value

        filled = PLACEHOLDER.sub(sub, template)
        if not missing:
            fields[key] = filled
    return fields


def extract(text: str, lowered: str | None = None) -> list[Partial]:
    """The time expressions of ``text`` as underspecified partials, in text order.

    Overlaps are settled by length (the longest match wins), then by rule rank. A rule of
    ``type=NONE`` claims its words and yields nothing: a negative rule ("a second chance",
    "a 52-year-old").
    """
    lexicon = load_lexicon()
    found = sorted(candidates(text, lowered), key=lambda c: (c[0] - c[1], c[2].rank, c[0]))
    taken = bytearray(len(text))
    chosen: list[Partial] = []
    for start, end, rule, match in found:
        if any(taken[start:end]):
            continue
        fields = fill(rule, match, lexicon)
        if fields is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        if fields["type"] != "NONE":
            chosen.append(Partial(start, end, text[start:end], rule.name, fields))
    chosen.sort(key=lambda p: p.start)
    return complete_tails(
        text, complete_ranges(text, complete_days(text, chosen, lexicon), lexicon)
    )


@functools.cache
def gap(lexicon: Lexicon, name: str) -> re.Pattern[str]:
    """The lexicon class ``name`` (what may lie between two joined partials), compiled."""
    return re.compile(lexicon.body(name), re.IGNORECASE)


# The fields of a production that say which day it is (the rest say the time of day, the
# type, the confidence ...): a clock time takes them from the day it is on.
DAY_FIELDS = (
    "do",
    "dow",
    "rel",
    "tense",
    "lean",
    "from",
    "n",
    "dir",
    "unit",
    "y",
    "y2",
    "yrel",
    "m",
    "d",
    "plus",
)


def is_clock(p: Partial) -> bool:
    """Whether ``p`` is a clock time that names no day of its own ("09:30 GMT", "9 a.m.")."""
    return (
        p.get("type") == "TIME"
        and p.get("hour") is not None
        and p.get("do") in (None, "weekday")
        and not any(p.get(k) for k in ("dow", "d", "m", "y"))
    )


def names_day(p: Partial) -> bool:
    """Whether ``p`` names one day and no time of it ("Tuesday", "March 20, 2003", "today")."""
    if p.get("type") != "DATE" or p.get("part") or p.get("mod"):
        return False
    if p.get("do") == "shift":
        return p.get("unit") == "D"
    return bool(p.get("dow") or (p.get("d") and p.get("m")))


def with_day(clock: Partial, day: Partial) -> Partial:
    """``clock`` on the day ``day`` names: it takes the fields that say which day it is, and
    where the words of that day are (``dayat``: the tense that chooses the day is read there,
    so that the time and its day mention agree)."""
    fields = {k: v for k, v in clock.fields.items() if k not in DAY_FIELDS}
    fields |= {k: v for k, v in day.fields.items() if k in DAY_FIELDS}
    fields["dayat"] = day.fields.get("dayat", f"{day.start}:{day.end}")
    return replace(clock, fields=fields)


def complete_days(text: str, partials: list[Partial], lexicon: Lexicon) -> list[Partial]:
    """Give a clock time the day the words next to it name.

    "at 09:30 GMT on Tuesday" and "5:00 am on October 3, 1935" are two mentions (TimeML
    tags the day apart when a preposition comes between), but the time is on that day:
    when a clock time and a day are joined only by a ``timeday`` gap (the time first) or a
    ``daytime`` gap ("Tuesday at 09:30 GMT"), the time takes the day's fields.
    """
    time_first, day_first = gap(lexicon, "timeday"), gap(lexicon, "daytime")
    out = list(partials)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if is_clock(first) and names_day(second):
            if time_first.fullmatch(text, first.end, second.start):
                out[i] = with_day(first, second)
        elif (
            names_day(first)
            and is_clock(second)
            and day_first.fullmatch(text, first.end, second.start)
        ):
            out[i + 1] = with_day(second, first)
    return out


def complete_ranges(text: str, partials: list[Partial], lexicon: Lexicon) -> list[Partial]:
    """Give each end of a range what the other end states and it does not.

    In "from March to May 2021" the words of "March" name no year, but the range does:
    when two partials are joined only by a ``rangejoin`` word and the first one has a month,
    day, quarter or season and no year while the second has a year, the first takes it. A
    clock time takes the zone of the other end ("from 9 a.m. to 5 p.m. EDT"), and the first
    one the day of the second ("from 9 a.m. to 5 p.m. on Tuesday").
    """
    join = gap(lexicon, "rangejoin")
    out = list(partials)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if not join.fullmatch(text, first.end, second.start):
            continue
        year = second.get("y")
        if (
            year
            and not first.get("y")
            and first.get("do") in (None, "date")
            and any(first.get(k) for k in ("m", "q", "season", "h"))
        ):
            first = out[i] = replace(first, fields={**first.fields, "y": year})
        if first.get("type") == second.get("type") == "TIME":
            out[i], out[i + 1] = _same_zone(first, second), _same_zone(second, first)
            if is_clock(out[i]) and not is_clock(second) and second.get("hour") is not None:
                out[i] = with_day(out[i], second)
    return out


def complete_tails(text: str, partials: list[Partial]) -> list[Partial]:
    """Take in the words of the lexicon class ``tail`` that follow a mention ("the next year
    [or so]", "1994 [or later]"): TimeML puts an approximation or an open end inside the
    extent, with its mod (the class's value) unless the mention has a mod of its own. A
    tail that reaches into the next mention is left out."""
    lexicon = load_lexicon()
    out = list(partials)
    for i, p in enumerate(out):
        found = tails(lexicon).match(text, p.end)
        if found is None or (i + 1 < len(out) and found.end() > out[i + 1].start):
            continue
        mod = p.get("mod") or lexicon.normalise("tail", found.group().strip())
        fields = {**p.fields, "mod": mod} if mod else p.fields
        out[i] = replace(p, end=found.end(), text=text[p.start : found.end()], fields=fields)
    return out


@functools.cache
def tails(lexicon: Lexicon) -> re.Pattern[str]:
    """The lexicon class ``tail`` after white space, as a whole word, compiled."""
    return re.compile(rf"\s+(?:{lexicon.body('tail')})\b", re.IGNORECASE)


def _same_zone(clock: Partial, other: Partial) -> Partial:
    """``clock`` in the time zone of ``other`` when it names none of its own."""
    zone = other.get("tz")
    if clock.get("tz") or not zone or clock.get("hour") is None:
        return clock
    return replace(clock, fields={**clock.fields, "tz": zone})
