"""The time-reference tagger: ``tag(text, published)`` finds and resolves every time reference.

Extraction (:mod:`.engine`, rules in ``rules/*.rules.tsv``) and resolution (:mod:`.resolver`)
are separate steps; only the resolver knows the anchor date.
"""

from __future__ import annotations

from datetime import date, datetime

from ..errors import InvalidDateError
from .compiler import load_rules
from .context import ASCII_LOWER, cue_pattern, sentence_end
from .engine import extract
from .foreign import primary_language, tag_foreign
from .index import rule_index
from .joins import join_mentions
from .lexicon import load_lexicon
from .model import Interval, Mention, Partial
from .resolver import Context, resolve

__all__ = ["Interval", "Mention", "Partial", "parse_published", "tag", "warm_up"]


def warm_up() -> None:
    """Load the rule tables and compile every rule and word class now (a tenth of a second),
    rather than each one when a text first needs it: for a process that tags many texts (a
    server, a worker, a benchmark), whose first texts are then tagged as fast as the rest.
    What :func:`tag` finds is the same with or without it."""
    rule_index()
    for rule in load_rules():
        rule.regex  # noqa: B018 - compiled when first read
    load_lexicon().check()
    cue_pattern()
    sentence_end()


def parse_published(published: date | datetime | str) -> tuple[date, datetime | None]:
    """The publication day, and its moment when a time of day was given.

    Accepts a :class:`date`, a :class:`datetime` or an ISO 8601 string ("2021-07-17",
    "2021-07-17T09:30:00Z", "20210717"); anything else raises :class:`InvalidDateError`.
    """
    day, moment = _published(published)
    return day, None if moment is None else moment.replace(tzinfo=None)


def _published(published: date | datetime | str) -> tuple[date, datetime | None]:
    """:func:`parse_published`, with the moment's offset kept when it gave one."""
    if isinstance(published, datetime):
        return published.date(), published
    if isinstance(published, date):
        return published, None
    if not isinstance(published, str):
        raise InvalidDateError(
            f"publication date must be a date or an ISO 8601 string, not {type(published).__name__}"
        )
    text = published.strip()
    try:
        if "T" in text or " " in text:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.date(), moment
        return date.fromisoformat(text), None
    except ValueError:
        raise InvalidDateError(
            f"not an ISO 8601 date: {published!r} (expected YYYY-MM-DD)"
        ) from None


def is_narrative(partials: list[Partial], published: date) -> bool:
    """Whether the text tells a story set away from its publication (a history, a profile).

    True when the text gives many explicit years (at least eight), hardly ever counts from
    its own day (a weekday or "yesterday" for every four years at most) and sets at least
    three in ten of its years more than two years from the publication; year-less dates
    then follow the story, not the publication date.
    """
    years = [int(y) for p in partials if (y := p.get("y")) and y.isdigit()]
    deictic = sum(
        bool(p.get("dow"))
        or (
            p.get("do") == "shift"
            and not p.get("from")
            and p.get("unit") == "D"
            and not p.get("part")
        )
        for p in partials
    )
    if len(years) < NARRATIVE_YEARS or deictic * 4 > len(years):
        return False
    far = sum(abs(y - published.year) > 2 for y in years)
    return far * 10 >= len(years) * 3


NARRATIVE_YEARS = 8


def tag(
    text: str,
    published: date | datetime | str,
    *,
    language: str = "en",
    region: str | None = None,
) -> list[Mention]:
    """Every time reference of ``text``, resolved against the publication date ``published``,
    with the ends of ranges and the days of clock times joined (:mod:`.joins`).

    ``region`` (an ISO 3166 country code such as ``"AF"``) makes holidays follow that
    country's observance where the ``holidays`` package knows it.

    A clock time with no zone of its own, in a text published at a time with an offset
    ("2021-07-17T09:30:00+14:00"), is read at that offset: its value stays floating, as
    TimeML writes it, and its interval is in UTC.
    """
    day, aware = _published(published)
    moment = None if aware is None else aware.replace(tzinfo=None)
    offset = None if aware is None else aware.utcoffset()
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if primary_language(language) != "en":
        return tag_foreign(text, day, moment, language)
    lowered = text.translate(ASCII_LOWER)
    partials = extract(text, lowered)
    ctx = Context(
        text=text,
        dct=day,
        dct_moment=moment,
        dct_offset=offset,
        lowered=lowered,
        region=region,
        narrative=is_narrative(partials, day),
    )
    mentions = []
    for partial in partials:
        mention = resolve(partial, ctx)
        if mention is not None:
            mentions.append(mention)
    return join_mentions(text, mentions)
