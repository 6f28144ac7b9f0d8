"""Days counted from an event the text names: "the day before the vote", "two days after
the attack", "a week later".

The tagger reads "the day before" against the story's last day and "two days" as a length
of time; the timeline counts such a reference from the event its words name, when the
article dates that event ("Voters went to the polls on 3 May ... the day before the vote":
2 May), else, for a length of time followed by "after", "later", "before" or "earlier",
from the last day the story named before it ("The talks opened on Monday. Two days later,
they collapsed": Wednesday).

The words are data (``relative`` and ``relative_after`` in ``entry_words.tsv``; the event's
word is matched by its lemma, so "the vote" finds "voted").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from ..tagger import calendar as cal
from ..tagger.context import tense_near
from ..tagger.model import Mention
from .anchoring import Anchor
from .kinds import entry_words
from .periods import Moved
from .words import WORD, lemma, lemmas, word_classes

__all__ = ["aside_opening", "counted_days", "counted_interval", "origin_phrase", "story_moves"]

# The units a length counted from an event may have ("two days after", "a week later").
COUNTED_UNITS = frozenset({"D", "W", "M", "Y"})
# Lengths counted in these units name the unit that holds the day they reach ("two years
# after the war" is a year, "three months later" a month), not the day itself.
COARSE_COUNTS = frozenset({"M", "Y"})
# A reference that is itself "the day before" or "the day after" counts one day.
ONE_DAY = ("D", 1)
# How many words may stand between the direction word and the event's noun ("the vote",
# "Sunday's vote", "the first round of the vote").
EVENT_REACH = 3


def counted_days(text: str, anchors: Sequence[Anchor]) -> dict[int, date]:
    """The day each reference that counts from an event names, by its index in
    ``anchors``: from the event its words name ("the day before the vote"), else, for a
    length of time ("two days later"), from the last day the story named before it. One
    pass over the references, with the events they may name looked up by lemma."""
    steps = [_step(text, anchor.mention) for anchor in anchors]
    by_trigger: dict[str, Mention] = {}  # the first day whose trigger has the lemma
    for anchor, step in zip(anchors, steps, strict=True):
        if step is None and _is_day(anchor.mention):
            triggers = [anchor.trigger, *anchor.also] if anchor.trigger else list(anchor.also)
            for trigger in triggers:
                by_trigger.setdefault(lemma(trigger.text.lower()), anchor.mention)
    by_clause: dict[str, Mention] = {}  # the latest day so far whose clause has the lemma
    last_day: Anchor | None = None
    counted: dict[int, date] = {}
    for i, (anchor, step) in enumerate(zip(anchors, steps, strict=True)):
        if step is not None:
            day = last_day.mention if last_day is not None else None
            if last_day is not None and _aside(text, anchor, last_day):
                if _target(text, last_day):
                    continue  # "called an election for May 19, two months after ...": the
                    # months run from the calling, which the sentence may not date
                step = _from_aside(step, anchor)  # even with a noun: "after his team was"
            found = _count(step, anchor.mention, by_trigger, by_clause, day)
            if found is not None:
                counted[i] = found
        elif _is_day(anchor.mention):
            for word in WORD.findall(anchor.clause.text):
                by_clause[lemma(word.lower())] = anchor.mention
        if _is_day(anchor.mention):
            last_day = anchor
    return counted


def _aside(text: str, anchor: Anchor, day: Anchor) -> bool:
    """Whether a length counted from an event stands in an aside right after the ``day`` of
    its sentence, and "before" or "after" opens a clause after it ("blocked the law on
    Tuesday, a day before it was due to take effect"): the length relates that day's event
    to the clause's, which lies that long after or before the day, not the day to the
    length."""
    m = anchor.mention
    if day.sentence.start != anchor.sentence.start or day.mention.end > m.start:
        return False
    after_day = text[day.mention.end : m.start].rstrip().endswith(",")
    return after_day and _clause_opened(text, anchor) is not None


def _clause_opened(text: str, anchor: Anchor) -> int | None:
    """Where the clause that "before" or "after" opens right after ``anchor``'s length of
    time begins, when the length stands after a comma ("..., a day before| it was due to
    take effect"); else ``None``."""
    m = anchor.mention
    if m.type != "DURATION" or not text[anchor.sentence.start : m.start].rstrip().endswith(","):
        return None
    following = WORD.search(text, m.end, anchor.sentence.end)
    if following is None or text[m.end : following.start()].strip():
        return None
    word = following.group().lower()
    if word not in entry_words()["relative"] or word not in word_classes()["preposition"]:
        return None
    opening = WORD.search(text, following.end(), anchor.sentence.end)
    return opening.start() if opening is not None else None


def aside_opening(text: str, anchor: Anchor) -> int | None:
    """Where the clause that "before" or "after" opens begins (:func:`_clause_opened`),
    when ``anchor``'s trigger is in it and so dates that clause's event, else ``None``: the
    words before it say how far the event lies from the day before them, not what
    happened."""
    trigger = anchor.trigger
    opening = _clause_opened(text, anchor)
    if trigger is None or opening is None or trigger.start < opening:
        return None
    return opening


def _target(text: str, day: Anchor) -> bool:
    """Whether the day is one its sentence's event aims at, not the day it happened on: after
    "for", "until" or "by" ("called an election for May 19")."""
    before = WORD.findall(text, max(day.sentence.start, day.mention.start - 12), day.mention.start)
    words = entry_words()
    targets = words["scheduled_for"] | words["until"] | words["deadline"]
    return bool(before) and before[-1].lower() in targets


def _from_aside(
    step: tuple[int, tuple[str, int], re.Match[str] | None], anchor: Anchor
) -> tuple[int, tuple[str, int], re.Match[str] | None]:
    """The step of a length in an aside (:func:`_aside`), counted from the day: the event of
    the clause after it lies the other way ("Tuesday, a day before it was due to take
    effect" is Wednesday; "Friday, nearly two months after his team was blocked" early
    January), unless the reference dates the day's own event, which it then names again
    (no step)."""
    sign, length, _ = step
    trigger = anchor.trigger
    if trigger is None or trigger.start < anchor.mention.start:
        return sign, (length[0], 0), None
    return -sign, length, None


def _count(
    step: tuple[int, tuple[str, int], re.Match[str] | None],
    mention: Mention,
    by_trigger: dict[str, Mention],
    by_clause: dict[str, Mention],
    last_day: Mention | None,
) -> date | None:
    """The day one reference names, counted from the event its ``step`` names (found by its
    trigger's lemma, else the latest clause before it with that word), or for a length of
    time that names none ("two days later"), from ``last_day``."""
    sign, (unit, count), noun = step
    if noun is not None:
        wanted = lemma(noun.group().lower())
        origin = by_trigger.get(wanted) or by_clause.get(wanted)
    else:
        origin = last_day if mention.type == "DURATION" else None
    if origin is None or origin.interval is None or origin.interval.start is None:
        return None
    try:
        start = date.fromisoformat(origin.interval.start[:10])
        return cal.shift(start, unit, sign * count)
    except (ValueError, OverflowError):
        return None


def origin_phrase(text: str, mention: Mention) -> tuple[int, int] | None:
    """Where the words that name the event a reference counts from lie, from the reference's
    end to the event's noun ("the evening before| the ruling|"), or ``None`` when it names
    none: that event is where the count starts, never the event the reference dates."""
    step = _step(text, mention)
    if step is None or step[2] is None:
        return None
    return mention.end, step[2].end()


def _step(text: str, mention: Mention) -> tuple[int, tuple[str, int], re.Match[str] | None] | None:
    """The direction (+1 after, -1 before), the length (unit, count) and the event's noun
    (if named) of a reference that counts from an event. A length counted back or forward
    from now ("over the last three months") counts from no event, and neither does one that
    punctuation parts from the word after it ("three months -- after averaging ..."), nor
    one that says how long something lasted ("jailed for three weeks after the protests")."""
    words = entry_words()
    own = [w.lower() for w in WORD.findall(mention.text)]
    reach = mention.end, mention.end + 80  # the words after it that are read
    first = WORD.search(text, *reach)
    if own and own[-1] in words["relative"]:  # "the day before" the vote
        direction, rest = own[-1], list(WORD.finditer(text, *reach))
        length: tuple[str, int] | None = ONE_DAY if mention.type in ("DATE", "TIME") else None
    elif (
        first is not None
        and first.group().lower() in words["relative"]
        and not text[mention.end : first.start()].strip()
        and not any(w in words["rolling_past"] or w in words["rolling_next"] for w in own)
        and not _lasting(text, mention)
    ):  # "two days after"; not "over the last three months -- after averaging ..."
        direction, rest = first.group().lower(), list(WORD.finditer(text, first.end(), reach[1]))
        found = cal.length(mention.value) if mention.type == "DURATION" else None
        length = None
        if found is not None and found[0] is not None and found[1] in COUNTED_UNITS:
            length = (found[1], found[0])
        elif mention.type in ("DATE", "TIME") and len(own) == 2 and own[1] in words["counted_day"]:
            length = ONE_DAY  # "the day" before the vote: the tagger leaves the signal out
    else:
        return None
    if length is None:
        return None
    sign = 1 if direction in words["relative_after"] else -1
    return sign, length, _event_noun(text, mention.end, rest)


def _lasting(text: str, mention: Mention) -> bool:
    """Whether a word before the reference says how long something lasted ("jailed for three
    weeks after leading protests"): a length, not a count from an event."""
    before = list(WORD.finditer(text, max(0, mention.start - 20), mention.start))
    return bool(before) and before[-1].group().lower() in entry_words()["lasting"]


def _event_noun(text: str, end: int, rest: Sequence[re.Match[str]]) -> re.Match[str] | None:
    """The noun of the event named right after the direction word: "the vote", "its
    election", "Sunday's referendum"; ``None`` when a clause goes on instead ("two days
    later, they collapsed")."""
    determiners = word_classes()["determiner"]
    if not rest or rest[0].group().lower() not in determiners:
        return None
    if re.search(r"[,;:.]", text[end : rest[0].start()]):
        return None
    for token in rest[1 : 1 + EVENT_REACH]:
        if re.search(r"[,;:.]", text[rest[0].end() : token.start()]):
            return None
        word = token.group().lower()
        if not token.group()[0].isupper() and "NOUN" in lemmas(word):
            return token  # "the vote", "the first astronauts" (not "first")
    return None


def _is_day(mention: Mention) -> bool:
    """Whether the mention names one day (or a time of one)."""
    interval = mention.interval
    return (
        mention.type in ("DATE", "TIME")
        and interval is not None
        and interval.start is not None
        and interval.end is not None
        and interval.granularity in ("day", "part-of-day", "hour", "minute", "second")
    )


def counted_interval(mention: Mention, day: date) -> tuple[str, str, str, str]:
    """The interval, granularity and TIMEX3 value of ``mention`` moved to ``day``: the same
    part of that day for a time ("the night before the vote": that night), the month or year
    that holds it for a length of months or years ("a decade after ..."), else the day."""
    interval = mention.interval
    if mention.type == "TIME" and interval is not None and interval.start and interval.end:
        try:
            shift = day - date.fromisoformat(interval.start[:10])
            start = datetime.fromisoformat(interval.start) + shift
            end = datetime.fromisoformat(interval.end) + shift
        except ValueError:
            pass
        else:
            value = (
                day.isoformat() + mention.value[10:] if "T" in mention.value else day.isoformat()
            )
            minutes = "minutes" if start.second == 0 else "seconds"
            return (
                start.isoformat(timespec=minutes),
                end.isoformat(timespec=minutes),
                interval.granularity,
                value,
            )
    found = cal.length(mention.value) if mention.type == "DURATION" else None
    if found is not None and found[1] in COARSE_COUNTS:  # "a decade after ...": that year
        value = cal.format_unit(day, found[1])
        whole = cal.value_interval(value)
        if whole is not None:
            start_text, end_text = cal.iso(whole[0]), cal.iso(whole[1])
            if start_text is not None and end_text is not None:
                return start_text, end_text, whole[2], value
    return day.isoformat(), (day + timedelta(days=1)).isoformat(), "day", day.isoformat()


WEEK_VALUE = re.compile(r"(\d{4})-W(\d{2})")
NIGHT_VALUE = re.compile(r"(\d{4}-\d{2}-\d{2})TNI")


def story_moves(text: str, published: date, mentions: Sequence[Mention]) -> dict[int, Moved]:
    """References whose day the story's own time sets, by index in ``mentions``: the weeks
    of a story told in the week before it is published (:func:`_story_weeks`) and the night
    before the day of an "overnight" that describes a noun (:func:`_overnight`)."""
    return {**_story_weeks(text, published, mentions), **_overnight(text, mentions)}


def _story_weeks(text: str, published: date, mentions: Sequence[Mention]) -> dict[int, Moved]:
    """An article published on a Monday that says in the past tense what happened "this
    week" ("sharp advances made through this week") was written in the week before: its
    "this week" is that week, and its "last week" the one before."""
    if published.weekday() != 0:
        return {}
    words = entry_words()["week_deictic"]
    weeks = {
        i: m
        for i, m in enumerate(mentions)
        if WEEK_VALUE.fullmatch(m.value) and {w.lower() for w in WORD.findall(m.text)} & words
    }
    this_week = cal.format_unit(published, "W")
    if not any(
        m.value == this_week and tense_near(text, m.start, m.end) == "past" for m in weeks.values()
    ):
        return {}
    moved = {}
    for i, m in weeks.items():
        found = WEEK_VALUE.fullmatch(m.value)
        if found is None:
            continue
        monday = date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
        start = monday - timedelta(days=7)
        moved[i] = Moved(start.isoformat(), monday.isoformat(), "week", cal.format_unit(start, "W"))
    return moved


def _overnight(text: str, mentions: Sequence[Mention]) -> dict[int, Moved]:
    """ "Overnight" before a noun ("London shares were depressed by overnight losses in New
    York" on Friday) names what happened in the night before the story's day."""
    moved = {}
    for i, m in enumerate(mentions):
        night = NIGHT_VALUE.fullmatch(m.value)
        if night is None or m.text.lower() not in entry_words()["overnight"]:
            continue
        following = WORD.match(text, m.end + 1) if text[m.end : m.end + 1] == " " else None
        if following is None or "NOUN" not in lemmas(following.group().lower()):
            continue
        interval = m.interval
        if interval is None or interval.start is None or interval.end is None:
            continue
        try:
            start = datetime.fromisoformat(interval.start) - timedelta(days=1)
            end = datetime.fromisoformat(interval.end) - timedelta(days=1)
        except ValueError:
            continue
        day = date.fromisoformat(night.group(1)) - timedelta(days=1)
        moved[i] = Moved(
            start.isoformat(timespec="minutes"),
            end.isoformat(timespec="minutes"),
            interval.granularity,
            f"{day.isoformat()}TNI",
        )
    return moved
