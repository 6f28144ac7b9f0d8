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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..tagger import calendar as cal
from ..tagger.model import Mention
from .anchoring import Anchor
from .kinds import entry_words
from .words import WORD, lemma, lemmas, word_classes

__all__ = ["Counted", "counted_from_event", "counted_interval"]

LENGTH = re.compile(r"P(?P<n>\d+)(?P<unit>[DWMY])")
# A reference that is itself "the day before" or "the day after" counts one day.
ONE_DAY = ("D", 1)
# How many words may stand between the direction word and the event's noun ("the vote",
# "Sunday's vote", "the first round of the vote").
EVENT_REACH = 3


@dataclass(frozen=True)
class Counted:
    """The day a reference counted from an event names, and the mention it counted from."""

    day: date
    origin: Mention


def counted_from_event(text: str, index: int, anchors: Sequence[Anchor]) -> Counted | None:
    """The day the reference of ``anchors[index]`` names when it counts from an event:
    from the event its words name ("the day before the vote"), else, for a length of time
    ("two days later"), from the last day the story named before it; ``None`` when it does
    not count from an event."""
    mention = anchors[index].mention
    step = _step(text, mention)
    if step is None:
        return None
    sign, (unit, count), noun = step
    origin = _named(text, noun, index, anchors) if noun else None
    if noun is None and mention.type == "DURATION":  # "two days later": the story's day
        origin = _last_day(anchors[:index])
    if origin is None or origin.interval is None or origin.interval.start is None:
        return None
    try:
        start = date.fromisoformat(origin.interval.start[:10])
        return Counted(cal.shift(start, unit, sign * count), origin)
    except (ValueError, OverflowError):
        return None


def _step(text: str, mention: Mention) -> tuple[int, tuple[str, int], str | None] | None:
    """The direction (+1 after, -1 before), the length (unit, count) and the event's noun
    (if named) of a reference that counts from an event."""
    words = entry_words()
    own = [w.lower() for w in WORD.findall(mention.text)]
    following = list(WORD.finditer(text, mention.end, mention.end + 80))
    if own and own[-1] in words["relative"]:  # "the day before" the vote
        direction, rest = own[-1], following
        length: tuple[str, int] | None = ONE_DAY if mention.type in ("DATE", "TIME") else None
    elif following and following[0].group().lower() in words["relative"]:  # "two days after"
        direction, rest = following[0].group().lower(), following[1:]
        found = LENGTH.fullmatch(mention.value) if mention.type == "DURATION" else None
        length = (found.group("unit"), int(found.group("n"))) if found else None
    else:
        return None
    if length is None:
        return None
    sign = 1 if direction in words["relative_after"] else -1
    return sign, length, _event_noun(text, mention.end, rest)


def _event_noun(text: str, end: int, rest: Sequence[re.Match[str]]) -> str | None:
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
            return word  # "the vote", "the first astronauts" (not "first")
    return None


def _named(text: str, noun: str, index: int, anchors: Sequence[Anchor]) -> Mention | None:
    """The mention that dates the event ``noun`` names, at the precision of a day: one whose
    trigger has the noun's lemma ("voted" for "the vote"), else the nearest before the
    reference whose clause has a word of that lemma ("The vote was held on 3 May"). A
    reference that counts from an event itself ("the night before the vote") is not one."""
    wanted = lemma(noun)
    days = [
        (i, a)
        for i, a in enumerate(anchors)
        if i != index and _is_day(a.mention) and _step(text, a.mention) is None
    ]
    for _, anchor in days:
        triggers = [anchor.trigger, *anchor.also] if anchor.trigger else list(anchor.also)
        if any(lemma(t.text.lower()) == wanted for t in triggers):
            return anchor.mention
    for _, anchor in reversed([(i, a) for i, a in days if i < index]):
        if any(lemma(w.lower()) == wanted for w in WORD.findall(anchor.clause.text)):
            return anchor.mention
    return None


def _last_day(anchors: Sequence[Anchor]) -> Mention | None:
    """The last mention before the reference that names a day."""
    for anchor in reversed(anchors):
        if _is_day(anchor.mention):
            return anchor.mention
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
    part of that day for a time ("the night before the vote": that night), else the day."""
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
    return day.isoformat(), (day + timedelta(days=1)).isoformat(), "day", day.isoformat()
