"""Timeline entries of one article: each dated event, with its interval, ordered honestly.

An entry is a time reference with the event it dates (:mod:`.anchoring`), the interval the
event takes up and the date a reader sees (:mod:`.display`). Dates and vague references
bring their interval from the tagger. A duration becomes an interval only where the text
anchors it: "foreign troops have been stationed ... for nearly 20 years" (present perfect:
it runs up to publication) starts at the date after "after" or "since" in its sentence
("After the attacks on September 11, 2001, ..."), else that long before publication; one
said to end now runs up to publication whatever the tense ("prices rose over the past
year"), and one said to start now runs from it ("within the next two years"; so do "over
the next year or so" and "in the past year", which the tagger dates as the calendar year
after, and before, as TimeBank does). A date right
after "since" starts a stretch up to publication ("has been closed since 2019"); "the fighting
lasted 48 hours" dates nothing and makes no entry. Recurrences make none either.

Not every time reference makes an entry: comparisons, baselines, measures, time words
that describe a noun, the present and vague references that date no event do not
(:func:`.kinds.why_not_entry`). Two references of one article to one event ("The court on
Monday ruled ..." and "Monday's ruling") make one entry, and so does an event told again in
other words ("The economy created jobs ... in January", "the economy added 358,000 jobs last
month") or dated again within a shorter stretch ("whose rescue two months ago", "rescued Nov.
25": the finer date stays); so do a period and the day it ends
on ("the quarter ended Sept. 30": :mod:`.periods`, whose entry takes the period's value: a
company's year by the calendar year it ends in) and the two ends of a range ("1998-99",
"from 2004 to 2006": the first end's entry covers the whole range), and so do a length and
the date it is the first or last stretch of ("the first nine months of 1997"). A reference
followed by a clause that "when" opens dates that clause's event when its own verb is
another, nearer reference's ("into the fourth quarter and through the first two quarters of
1990, when the industry will see ..."); one in a clause
that "since" opens after a perfect starts that perfect's state, up to publication, as an
entry of its own ("copies have been built since it entered production in February 1947").
A day counted from an event ("the day before the vote", "two days later") is counted from
the day the article gives that event (:mod:`.relative`). Some references take the story's
own time: a quarter whose results a report gives is one that is over, "last year" after it the
year-ago quarter (:func:`.periods.reported_periods`), a Monday paper's past "this week" the
week before and "overnight losses" the night before (:func:`.relative.story_moves`). Each
entry has a ``kind``: ``event``, ``state``,
``reporting`` (:func:`.kinds.kind_of`) or, dated only vaguely, ``background``
(:func:`.kinds.placed_kind`). An article whose publication date is not known
gives uncertain entries: every relative date in it was read against the day it came in; so
does a relative date in quoted words that their sentence dates to another time
(:mod:`.quotes`).

Entries are sorted by the start of their interval, then its end, then granularity (a day
before the month that holds it), then their place in the text. An entry whose interval
overlaps another's (without being the same), or that is vague or approximate, is marked
``uncertain``: its place in the order is not known for sure ("in recent weeks" and
"Friday").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import islice, pairwise

from ..limits import Budget
from ..tagger import calendar as cal
from ..tagger.model import Mention
from ..tagger.resolver import FEW, UNIT_GRANULARITY
from .anchoring import STRONG_SEPARATOR, Anchor, anchor_event, anchor_events, retriggered
from .display import display_date, display_range
from .headlines import headline
from .kinds import (
    VAGUE_VALUES,
    aspect_trigger,
    entry_words,
    in_passing,
    kind_of,
    placed_kind,
    quoted_forecast,
    since_clause,
    when_clause,
    when_trigger,
    why_not_entry,
)
from .periods import (
    Ending,
    Moved,
    period_endings,
    period_parts,
    reported_periods,
    unreported,
)
from .quotes import quotations, quoted_elsewhen, quoted_moves, within
from .relative import aside_opening, counted_days, counted_interval, origin_phrase, story_moves
from .words import (
    WORD,
    Span,
    class_table,
    clause_of,
    is_event_noun,
    lemma,
    lemmas,
    light_words,
    verb_reading,
    word_classes,
)

# How many units "several months" goes back, at most: what the tagger's "a few" spans.
FEW_AT_MOST = FEW[1]
# Granularities from fine to coarse: a day sorts before the month that holds it.
GRANULARITY_RANK = {
    "second": 0,
    "minute": 1,
    "hour": 2,
    "part-of-day": 3,
    "day": 4,
    "days": 5,
    "weekend": 6,
    "week": 7,
    "month": 8,
    "quarter": 9,
    "season": 10,
    "half-year": 11,
    "year": 12,
    "decade": 13,
    "century": 14,
    "vague": 15,
}


def rank(granularity: str) -> int:
    """The place of a granularity among the others, finest first (unknown ones last)."""
    return GRANULARITY_RANK.get(granularity, len(GRANULARITY_RANK))


# Between a time reference and the noun it describes: "'s", or an adjective or two ("the
# 1992 protests", "Monday's ruling", "its fourth-quarter slump", "the March export surge").
# A run of letters: the words a few checks read, without the apostrophes or numbers of WORD.
LETTERS = re.compile(r"[^\W\d_]+")
OPENS_PHRASE = re.compile(r"(?:['’]s)?[ \t]+(?=[^\W\d_])")  # noqa: RUF001
# How many words after a time reference the noun it describes may be.
DESCRIBED_WORDS = 3
# How many entries of one lemma an entry dated coarsely is compared with.
FINER_CHECKS = 64
# How many words before an event's trigger its subject's head noun is looked for.
RETOLD_REACH = 4
# How far before a mention the event nouns of its phrase are looked for.
PHRASE_CHARS = 160
# How far before a mention the word that leads it is looked for.
WORD_BEFORE_CHARS = 40

# Units whose counted lengths running up to publication are whole calendar ones, and how
# many months each holds: quarters are the periods companies and statistics report by ("the
# past two months" is counted back from the day of publication).
WHOLE_UNITS = {"Q": 3}


@dataclass(frozen=True)
class Entry:
    """One dated event of an article.

    ``start`` and ``end`` bound the half-open interval the event takes up (ISO 8601);
    ``text`` is the sentence that reports it, ``headline`` its clause, shortened.
    """

    mention: Mention
    anchor: Anchor
    start: str
    end: str
    granularity: str
    display_date: str
    headline: str
    text: str
    confidence: float
    uncertain: bool = False
    kind: str = "event"

    @property
    def order(self) -> tuple[str, str, int, int]:
        """The sort key: start, end, granularity (finer first), place in the text."""
        return (
            self.start,
            self.end,
            rank(self.granularity),
            self.mention.start,
        )


def build_entries(
    text: str,
    published: date,
    mentions: Sequence[Mention],
    *,
    dated: bool = True,
    budget: Budget | None = None,
) -> list[Entry]:
    """The timeline entries of an article, in timeline order. ``dated`` is false when the
    article's publication date is not known (``published`` is then the day it came in):
    every entry is uncertain. ``mentions`` are in text order; a ``budget``
    (:class:`timeline.limits.Budget`) is charged the anchoring and one unit per reference."""
    entries = []
    taken = [(m.start, m.end) for m in mentions]
    anchors = [_off_origin(text, a, taken) for a in anchor_events(text, mentions, budget=budget)]
    quotes = quotations(text)
    endings = {**period_parts(text, mentions), **period_endings(text, mentions)}
    counted = counted_days(text, anchors)
    moved = {
        **quoted_moves(text, published, mentions, quotes),
        **story_moves(text, published, mentions),
        **reported_periods(text, published, mentions),
    }
    last_days = {ending.day for ending in endings.values()}
    starts = {m.start for m in mentions}
    for i, anchor in enumerate(anchors):
        if budget is not None:
            budget.spend(1)
        m = anchor.mention
        when = when_trigger(text, anchor)
        if when is not None:  # "over comparable periods in 1988, when net was below ..."
            anchor = retriggered(text, anchor, when, taken)
        aspect = aspect_trigger(text, anchor)
        if aspect is not None:  # "started a series of protests in 1992"
            anchor = retriggered(text, anchor, aspect, taken)
        if i in last_days or m.part_of in starts:
            continue  # "Sept. 30" of "the quarter ended Sept. 30", "99" of "1998-99"
        if why_not_entry(text, anchor, mentions) is not None or unreported(text, published, m):
            continue
        if quoted_forecast(text, anchor, quotes):
            continue  # "``We will have a flat year this year,'' he says"
        opening = aside_opening(text, anchor) if i in counted else None
        if opening is not None:  # "..., a day after Putin launched the attack": the launch
            anchor = _from_opening(text, anchor, opening)
        placed = _placed(
            text, published, anchor, mentions, endings.get(i), counted.get(i), moved.get(i)
        )
        if placed is None:
            continue
        start, end, granularity, approximate, shown, value = placed
        told = when_clause(text, anchor) if when is None else None
        stretch = _since_stretch(text, published, anchor, taken)
        if stretch is not None:  # "have been built since it entered production in 1947"
            entries.append(replace(stretch, uncertain=not dated or stretch.uncertain))
        places = [(anchor, placed)]
        if told is not None:  # "in 1992, when the army withdrew": the day itself, not since it
            stretched = (  # "since 1992, when ...", "through next year, when ...": the date
                _since_date(text, published, anchor) is not None
                or _word_before(text, anchor) in entry_words()["until"]
            )
            own = _own_place(m) if stretched else placed
            if own is not None:
                places.append((_told_when_anchor(text, anchor, told, taken), own))
        for dating, (start, end, granularity, approximate, shown, value) in places:
            entries.append(
                Entry(
                    mention=m if value == m.value else replace(m, value=value),
                    anchor=dating,
                    start=start,
                    end=end,
                    granularity=granularity,
                    display_date=shown,
                    headline=dating.headline,
                    text=dating.sentence.text,
                    confidence=round(m.confidence * (0.8 if dating.trigger is None else 1.0), 3),
                    uncertain=(
                        approximate
                        or not dated
                        or quoted_elsewhen(text, m, mentions, published, quotes)
                    ),
                    kind=(
                        "background"
                        if in_passing(text, dating)
                        else placed_kind(kind_of(text, _as_point(dating, opening)), granularity)
                    ),
                )
            )
    return mark_uncertain(sorted(one_per_event(entries, text), key=lambda e: e.order))


def _off_origin(text: str, anchor: Anchor, taken: Sequence[tuple[int, int]]) -> Anchor:
    """``anchor``, unless the word it dates names the event its reference counts from ("The
    evening before the ruling, the companies offered ...": not "ruling"): then the anchor of
    the same reference with the words of that event out of reach."""
    phrase = origin_phrase(text, anchor.mention)
    trigger = anchor.trigger
    if phrase is None or trigger is None or not phrase[0] <= trigger.start < phrase[1]:
        return anchor
    return anchor_event(text, anchor.mention, [*taken, phrase])


def _own_place(m: Mention) -> tuple[str, str, str, bool, str, str] | None:
    """Where a reference's own interval lies and how it reads, as :func:`_placed` gives it;
    ``None`` when it has none."""
    interval = m.interval
    if interval is None or interval.start is None or interval.end is None:
        return None
    shown = display_date(
        m.type, m.value, m.mod, interval.start, interval.end, interval.granularity, m.text
    )
    approximate = interval.granularity == "vague" or m.mod == "APPROX"
    return interval.start, interval.end, interval.granularity, approximate, shown, m.value


def _since_stretch(
    text: str, published: date, anchor: Anchor, taken: Sequence[tuple[int, int]]
) -> Entry | None:
    """The state a perfect holds from a time reference in a clause that "since" opens up to
    publication (:func:`.kinds.since_clause`: "copies of the rifle have been built since it
    entered production in February 1947": built from February 1947 to now), triggered by
    the perfect's verb, with that verb's clause up to the reference as its headline. The
    stretch starts at the start of the unit the reference names ("since he was rescued in
    late November": from November). ``None`` when no such clause holds the reference, or
    it does not lie before publication."""
    m, sentence = anchor.mention, anchor.sentence
    verb = since_clause(text, anchor)
    named = cal.value_interval(m.value) if m.type in ("DATE", "TIME") else None
    if verb is None or named is None or m.value in VAGUE_VALUES:
        return None
    start, granularity = named[0].date().isoformat(), named[2]
    if start > published.isoformat():
        return None
    end = (published + timedelta(days=1)).isoformat()
    own = clause_of(text, sentence.start, sentence.end, verb)
    relative = [
        w.start()
        for w in WORD.finditer(text, own.start, verb.start)
        if w.group().lower() in word_classes()["relative"]
    ]
    left = relative[-1] if relative else own.start  # "the relatives who have been caring"
    phrase = Span(left, m.end, text[left : m.end])
    dating = replace(
        anchor,
        trigger=verb,
        also=(),
        headline=headline(text, phrase, m, sentence, taken),
    )
    return Entry(
        mention=m,
        anchor=dating,
        start=start,
        end=end,
        granularity=granularity,
        display_date=display_range(start, end, granularity),
        headline=dating.headline,
        text=sentence.text,
        confidence=m.confidence,
        uncertain=m.mod is not None,
        kind="state",
    )


def _told_when_anchor(
    text: str, anchor: Anchor, told: Span, taken: Sequence[tuple[int, int]]
) -> Anchor:
    """``anchor`` dating ``told``, the verb of a clause that "when" opens after its time
    reference, with that clause as its own and as its headline ("in April next year when
    the alliance celebrates its anniversary": "When the alliance celebrates its
    anniversary")."""
    sentence = anchor.sentence
    own = clause_of(text, sentence.start, sentence.end, told)
    opening = WORD.search(text, anchor.mention.end, told.start)
    start = opening.start() if opening is not None else own.start
    clause = Span(start, own.end, text[start : own.end])
    return replace(
        anchor,
        trigger=told,
        also=(),
        clause=clause,
        headline=headline(text, clause, anchor.mention, sentence, taken),
    )


def _as_point(anchor: Anchor, opening: int | None) -> Anchor:
    """``anchor`` as :func:`.kinds.kind_of` should read it: a length of time in an aside
    (``opening``, :func:`.relative.aside_opening`) dates its clause's event at a point, not a
    state that lasts that long."""
    if opening is None:
        return anchor
    return replace(anchor, mention=replace(anchor.mention, type="DATE"))


def _from_opening(text: str, anchor: Anchor, opening: int) -> Anchor:
    """``anchor`` with its headline begun at ``opening``, past the length of time and the
    direction word before the clause its trigger is in ("A day after Putin launched the
    attack": "Putin launched the attack"), as a point of time: the clause tells an event."""
    headline = anchor.headline
    skipped = " ".join(text[anchor.mention.start : opening].split())
    if headline.lower().startswith(skipped.lower()) and len(headline) > len(skipped):
        rest = headline[len(skipped) :].lstrip()
        headline = rest[:1].upper() + rest[1:]
    return replace(anchor, headline=headline)


def _placed(
    text: str,
    published: date,
    anchor: Anchor,
    mentions: Sequence[Mention],
    ending: Ending | None,
    counted: date | None,
    moved: Moved | None = None,
) -> tuple[str, str, str, bool, str, str] | None:
    """Where the entry of ``anchor`` lies and how it reads: ``(start, end, granularity,
    approximate, display date, value)``, or ``None`` when it dates no stretch of time. A
    period that ends on a named day (``ending``, with the period's value), a day counted
    from an event (``counted``), the whole of a range, else the interval of the reference
    itself; a reference the story's frame dates elsewhere (``moved``) takes that place."""
    m = anchor.mention
    if moved is not None:
        shown = display_date(
            m.type, moved.value, m.mod, moved.start, moved.end, moved.granularity, m.text
        )
        return moved.start, moved.end, moved.granularity, False, shown, moved.value
    if ending is not None:
        return (ending.start, ending.end, ending.granularity, False, ending.display, ending.value)
    if counted is not None:
        start, end, granularity, value = counted_interval(m, counted)
        kind = "DATE" if m.type == "DURATION" else m.type  # "two days later": a day
        shown = display_date(kind, value, None, start, end, granularity, m.text)
        return start, end, granularity, False, shown, m.value
    since = _since_date(text, published, anchor)
    if since is not None:
        start, end, granularity = since
        return start, end, granularity, False, display_range(start, end, granularity), m.value
    found = _interval(text, published, anchor, mentions)
    if found is None:
        return None
    start, end, granularity, approximate = found
    whole = m.range
    if whole is not None and whole.start and whole.end:  # "1998-99": the whole range
        shown = display_range(whole.start, whole.end, whole.granularity)
        return whole.start, whole.end, whole.granularity, approximate, shown, m.value
    if m.type != "DURATION" and m.interval is not None and start != m.interval.start:
        shown = display_range(start, end, "day")  # "through 1990": from now to its end
    else:
        shown = display_date(m.type, m.value, m.mod, start, end, granularity, m.text)
    return start, end, granularity, approximate, shown, m.value


def one_per_event(entries: Sequence[Entry], text: str) -> list[Entry]:
    """``entries`` with one entry per event: of two time references that date the same
    word, the nearer one ("a revision Friday to December's figures" dates "revision" on
    Friday); of two entries with the same interval whose triggers share a lemma ("ruled" on
    Monday, "Monday's ruling"), the first in the text; so too of two with the same interval,
    the same subject and an object in common: an event told again in other words ("The
    economy created jobs ... in January", "the economy added 358,000 jobs last month"). An
    entry whose time reference describes its trigger, a noun that refers back to an event
    the article tells ("its fourth-quarter slump", "the 1992 protests"), gives way to that
    event's entry (:func:`_referred_back`; ``text`` is the article's). The event of a
    clause that "when" opens after a reference is its entry only when the reference's own
    trigger is another reference's, a nearer one ("continue into the fourth quarter and
    through the first two quarters of 1990, when the industry will see ..."): else the
    clause most often tells the same moment again ("was shot Thursday evening when robbers
    emptied their pistols"), one event."""
    nearest: dict[tuple[int, int], Entry] = {}
    undated = []
    for entry in entries:
        trigger = entry.anchor.trigger
        if trigger is None:
            undated.append(entry)
            continue
        span = (trigger.start, trigger.end)
        if span not in nearest or _distance(entry, text) < _distance(nearest[span], text):
            nearest[span] = entry
    chosen = [*nearest.values(), *undated]
    whens = {id(e) for e in chosen if _told_when(e.anchor, text)}
    own = {e.mention.start for e in chosen if id(e) not in whens}
    chosen = [e for e in chosen if not (id(e) in whens and e.mention.start in own)]
    seen: dict[tuple[str, str, str], frozenset[str]] = {}
    retold: dict[tuple[str, str, str], frozenset[str]] = {}
    in_sentence: set[tuple[int, str, str]] = set()
    kept = []
    for entry in sorted(chosen, key=lambda e: e.mention.start):
        trigger = entry.anchor.trigger
        place = (entry.anchor.sentence.start, entry.start, entry.end)
        if trigger is not None and place in in_sentence and id(entry) not in whens:
            continue  # "Earlier Friday, ... celebrated ... on Friday with rallies"
        if trigger is not None:
            key = (entry.start, entry.end, lemma(trigger.text.lower()))
            names = _names(entry)
            if key in seen and not (names and seen[key] and not names & seen[key]):
                continue
            told = (entry.start, entry.end, _subject(entry))
            objects = _objects(entry)
            if told[2] and objects & retold.get(told, frozenset()):
                continue  # "The economy created jobs ... in January" told again
            seen[key] = seen.get(key, frozenset()) | names
            retold[told] = retold.get(told, frozenset()) | objects
            in_sentence.add(place)
        kept.append(entry)
    return _referred_back(_finest(kept, text), text)


def _told_when(anchor: Anchor, text: str) -> bool:
    """Whether the anchor's trigger is the event of a clause that "when" opens right after
    its time reference ("in April next year when the alliance celebrates"): a second event
    the reference dates, not the sentence's first told again."""
    trigger, m = anchor.trigger, anchor.mention
    if trigger is None or trigger.start < m.end:
        return False
    following = WORD.search(text, m.end, trigger.start)
    return following is not None and following.group().lower() in entry_words()["relative_time"]


def _referred_back(entries: Sequence[Entry], text: str) -> list[Entry]:
    """``entries`` without each whose time reference describes a noun ("the 1992 protests",
    "its fourth-quarter slump", "Monday's ruling") when another entry dates a word of the
    same family (``retold.tsv``) or lemma within its stretch: the noun refers back to that
    event, whatever verb the reference was taken to date ("welcomed the March surge")."""
    by_family: dict[str, list[Entry]] = {}
    for entry in entries:
        for word in _dated_words(entry, text):
            for family in _families(word.lower()):
                by_family.setdefault(family, []).append(entry)
    kept = []
    for entry in entries:
        noun = _described(text, entry)
        others = (
            other
            for family in (_families(noun.lower()) if noun else ())
            for other in by_family.get(family, ())[:FINER_CHECKS]
        )
        if not any(
            other is not entry and entry.start <= other.start < other.end <= entry.end
            for other in others
        ):
            kept.append(entry)
    return kept


def _described(text: str, entry: Entry) -> str:
    """The noun the entry's time reference comes right before and describes ("the 1992
    protests", "its fourth-quarter slump", "Monday's ruling", "the March export surge"):
    the head of the compound it opens, past adjectives; "" when it describes none ("made
    this week and fell", "the latest period includes gains") or a figure of a period
    ("third-quarter net income")."""
    m, sentence = entry.mention, entry.anchor.sentence
    if OPENS_PHRASE.match(text, m.end) is None:
        return ""
    function = word_classes()["function"] | word_classes()["determiner"]
    words = list(islice(WORD.finditer(text, m.end, sentence.end), DESCRIBED_WORDS + 1))
    words = [w for w in words if w.group().lower() != "s"]  # the "s" of "Monday's"
    for i, word in enumerate(words[:DESCRIBED_WORDS]):
        low = word.group().lower()
        found = lemmas(low)
        if low in function or not {"ADJ", "NOUN"} & set(found):
            return ""
        following = words[i + 1].group().lower() if i + 1 < len(words) else ""
        joined = i + 1 < len(words) and text[word.end() : words[i + 1].start()].isspace()
        if "NOUN" in found and not (joined and "NOUN" in lemmas(following)):
            if {low, *found["NOUN"]} & entry_words()["period_figure"]:
                return ""  # "third-quarter net income": a figure of the period, not an event
            nominal = verb_reading(low) != "verb" or low.endswith("ing")  # "Friday's shooting"
            return word.group() if nominal else ""
    return ""


@functools.lru_cache(maxsize=50_000)
def _families(word: str) -> frozenset[str]:
    """The families of ``retold.tsv`` of a word's lemmas, and those lemmas themselves
    (cached: the words recur)."""
    found = _every_lemma(word)
    if found & light_words():
        return frozenset()
    families = {name for name, words in retold().items() if found & words}
    return frozenset(found | {f"family:{name}" for name in families})


def retold() -> dict[str, frozenset[str]]:
    """The families of ``retold.tsv``: words that name one event in other words."""
    return class_table("retold.tsv", "lemmas")


def _finest(entries: Sequence[Entry], text: str) -> list[Entry]:
    """``entries`` without each whose trigger shares a lemma with a word another entry dates within
    a shorter stretch inside its own, or, when it is dated to a day, a family of
    ``retold.tsv`` with that entry's trigger (a longer stretch may hold many events of one
    family: "14 killings since 1993"): the same event dated coarsely ("whose rescue two
    months ago", "was rescued Nov. 25"; "questioned in the bombing last month", "the
    bombings on Aug. 7"; "would be traveling Thursday", "will leave at 4 a.m. Thursday").
    Entries naming someone or somewhere else stay, unless the coarser one's trigger is a
    noun after a determiner ("the bombing of two embassies last month": the names before it
    are its clause's, not the bombing's). Each lemma's first ``FINER_CHECKS`` entries are
    compared, so the cost stays linear; ``text`` is the article's."""
    by_lemma: dict[str, list[Entry]] = {}
    for entry in entries:
        trigger = entry.anchor.trigger
        kin = _kin(trigger.text) - _lemma_set(trigger.text) if trigger is not None else set()
        for found in {*kin, *(x for span in _dated_words(entry, text) for x in _lemma_set(span))}:
            by_lemma.setdefault(found, []).append(entry)
    kept = []
    for entry in entries:
        trigger = entry.anchor.trigger
        if trigger is None or entry.kind == "state":
            kept.append(entry)  # a state holds over its stretch: "has been creating jobs ..."
            continue
        day = rank(entry.granularity) <= rank("day")  # "would be traveling Thursday"
        words = _kin(trigger.text) if day else _lemma_set(trigger.text)
        # a verb of saying or expecting names no one event ("are expected to overtake" over
        # the next decade is not "expect record sales" before Christmas told coarsely)
        words -= word_classes()["reporting"]
        if not _inside_another(entry, by_lemma, words):
            kept.append(entry)
    return kept


@functools.lru_cache(maxsize=50_000)
def _kin(word: str) -> frozenset[str]:
    """:func:`_lemma_set` of a word and the families of ``retold.tsv`` its lemmas are of
    ("traveling" and "leave" are of one family; cached)."""
    found = _lemma_set(word)
    families = {name for name, words in retold().items() if found & words}
    return found | {f"family:{name}" for name in families}


def _inside_another(
    entry: Entry, by_lemma: dict[str, list[Entry]], lemma_set: frozenset[str]
) -> bool:
    """Whether another entry with one of ``lemma_set`` lies strictly inside ``entry``'s
    stretch, with no other name (:func:`_names`)."""
    names = frozenset() if _after_determiner(entry) else _names(entry)
    for found in lemma_set:
        for other in by_lemma.get(found, ())[:FINER_CHECKS]:
            if other is entry or (other.start, other.end) == (entry.start, entry.end):
                continue
            if not entry.start <= other.start < other.end <= entry.end:
                continue
            others = _names(other)
            if not (names and others and not names & others):
                return True
    return False


def _after_determiner(entry: Entry) -> bool:
    """Whether the entry's trigger follows a determiner ("the bombing"): a noun."""
    trigger, sentence = entry.anchor.trigger, entry.anchor.sentence
    if trigger is None:
        return False
    before = WORD.findall(sentence.text, 0, trigger.start - sentence.start)
    return bool(before) and before[-1].lower() in word_classes()["determiner"]


def _dated_words(entry: Entry, text: str) -> list[str]:
    """The words an entry's reference dates: its trigger and the others it dates too, and
    the event nouns of the phrase it ends in the article's ``text``, back to the verb
    before it ("the bombings at the embassies in Nairobi on Aug. 7 killed 258 people" dates
    the bombings besides the killing)."""
    trigger = entry.anchor.trigger
    spans = [trigger, *entry.anchor.also] if trigger is not None else list(entry.anchor.also)
    words = [span.text for span in spans]
    m, sentence = entry.mention, entry.anchor.sentence
    if sentence.start >= m.start:
        return words
    stop = light_words()
    before = WORD.findall(text, max(sentence.start, m.start - PHRASE_CHARS), m.start)
    for word in reversed(before):
        low = word.lower()
        if low in stop or verb_reading(low) == "verb":
            break  # the noun phrase that holds the reference starts after a verb
        if is_event_noun(low):
            words.append(word)
    return words


@functools.lru_cache(maxsize=50_000)
def _lemma_set(word: str) -> frozenset[str]:
    """Every lemma of a word, of any part of speech, and the word itself, in lower case
    ("bombing": bomb and bombing; "bombings": bombing); none for "be", "have" or "do", which
    name no event of their own, nor for a figure of a period (``period_figure``: the sales
    of a year are not those of a quarter in it; cached: the words recur)."""
    found = _every_lemma(word.lower())
    if found & (light_words() | entry_words()["period_figure"]):
        return frozenset()
    return frozenset(found)


def _every_lemma(word: str) -> set[str]:
    """A lower-case word and every lemma of it, of any part of speech."""
    return {word, *(x for found in lemmas(word).values() for x in found)}


def _subject(entry: Entry) -> str:
    """The head of the subject of an entry's event: the last noun of its clause before the
    trigger, past auxiliaries and adverbs ("the economy added", "the father will leave"),
    but its time reference's words ("Third-quarter results": no subject); "" when no noun
    comes first."""
    trigger, clause, m = entry.anchor.trigger, entry.anchor.clause, entry.mention
    if trigger is None or trigger.start <= clause.start:
        return ""
    skip = light_words() | word_classes()["verb_context"]
    words = [
        w.group()
        for w in WORD.finditer(clause.text, 0, trigger.start - clause.start)
        if not m.start <= clause.start + w.start() < m.end
    ]
    for word in reversed(words[-RETOLD_REACH:]):
        found = lemmas(word.lower())
        if word.lower() not in skip and "NOUN" in found and "ADV" not in found:
            return found["NOUN"][0]
    return ""


def _objects(entry: Entry) -> frozenset[str]:
    """The nouns of an entry's clause after its trigger, but its time reference's and the
    words of an amount ("million", "cents": any two figures have them): what the event
    acts on ("created jobs", "added 358,000 jobs")."""
    trigger, clause, m = entry.anchor.trigger, entry.anchor.clause, entry.mention
    if trigger is None:
        return frozenset()
    skip = word_classes()["function"] | word_classes()["not_event"] | entry_words()["figure"]
    nouns = set()
    for w in WORD.finditer(clause.text, trigger.end - clause.start):
        low = w.group().lower()
        if m.start <= clause.start + w.start() < m.end or low in skip:
            continue
        found = lemmas(low)
        if "NOUN" in found:
            nouns.add(found["NOUN"][0])
    return frozenset(nouns)


def _names(entry: Entry) -> frozenset[str]:
    """The capitalised words of an entry's clause before its trigger, but function words
    and its time reference: who or where the event is ("London shares closed", "Frankfurt
    prices closed" on the same Friday are two events)."""
    trigger, clause, m = entry.anchor.trigger, entry.anchor.clause, entry.mention
    if trigger is None or trigger.start <= clause.start:
        return frozenset()
    function = word_classes()["function"]
    words = (
        (w.group(), w.start()) for w in WORD.finditer(clause.text, 0, trigger.start - clause.start)
    )
    return frozenset(
        word
        for word, at in words
        if word[0].isupper()
        and word.lower() not in function
        and not m.start <= clause.start + at < m.end
    )


def _distance(entry: Entry, text: str) -> tuple[bool, bool, int]:
    """How far an entry's time reference lies from its trigger: whether a strong separator
    (a semicolon, a colon, a dash) stands between them, then whether the reference is the
    end of a stretch ("until 2025"), then how many characters lie between. A word dated from
    across a dash is dated from another phrase ("381,000 over the last three months _ after
    averaging 242,000 for the first nine months of 1997": the nine months date "averaging",
    however near the three months are); a date that ends a stretch dates the stretch, not an
    event beside it ("waiting until 2025 as agreed in Paris in 2015": 2015 dates 'agreed')."""
    trigger, m = entry.anchor.trigger, entry.mention
    if trigger is None:
        return False, False, 0
    left, right = (m.end, trigger.start) if m.end <= trigger.start else (trigger.end, m.start)
    separated = left < right and STRONG_SEPARATOR.search(text, left, right) is not None
    ends = _word_before(text, entry.anchor) in entry_words()["until"]
    return separated, ends, max(right - left, 0)


def mark_uncertain(entries: Sequence[Entry]) -> list[Entry]:
    """``entries`` with ``uncertain`` set on each whose interval overlaps another's without
    being the same one: which of the two came first is not known. The distinct intervals
    are sorted by start once (:func:`overlapped`), not compared in pairs."""
    found = overlapped([(e.start, e.end) for e in entries])
    return [replace(e, uncertain=True) if (e.start, e.end) in found else e for e in entries]


def overlapped(intervals: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The intervals ``(start, end)`` (half-open) that overlap another, different one. In
    start order, those that start before an interval ends are a prefix, found by bisection;
    the interval overlaps one of them when the latest end among them (the interval's own
    left out: the two latest ends of each prefix are kept) is after its start."""
    spans = sorted(set(intervals))
    starts = [start for start, _ in spans]
    latest: list[tuple[tuple[str, int], tuple[str, int] | None]] = []
    first: tuple[str, int] | None = None
    second: tuple[str, int] | None = None
    for i, (_, end) in enumerate(spans):
        if first is None or end > first[0]:
            first, second = (end, i), first
        elif second is None or end > second[0]:
            second = (end, i)
        latest.append((first, second))
    found = set()
    for i, (start, end) in enumerate(spans):
        before = bisect.bisect_left(starts, end)  # spans[:before] start before ``end``
        if before == 0:
            continue
        top, runner_up = latest[before - 1]
        other = top if top[1] != i else runner_up
        if other is not None and other[0] > start:
            found.add((start, end))
    return found


def _interval(
    text: str, published: date, anchor: Anchor, mentions: Sequence[Mention]
) -> tuple[str, str, str, bool] | None:
    """The interval an entry takes up: ``(start, end, granularity, approximate)``; ``None``
    for a reference that dates no stretch of time (a recurrence, an unanchored length)."""
    m = anchor.mention
    if m.type == "SET":
        return None
    if m.type != "DURATION":
        interval = m.interval
        if interval is None or interval.start is None or interval.end is None:
            return None
        approximate = interval.granularity == "vague" or m.mod == "APPROX"
        rolling = _rolling_unit(text, published, anchor)
        if rolling is not None:
            return (*rolling, approximate)
        start = _from_now(text, published, anchor, interval.start)
        return start, interval.end, interval.granularity, approximate
    if m.interval is not None and m.interval.start and m.interval.end:  # "in recent weeks"
        return m.interval.start, m.interval.end, m.interval.granularity, True
    return _duration_interval(text, published, anchor, mentions)


def _since_date(text: str, published: date, anchor: Anchor) -> tuple[str, str, str] | None:
    """The stretch from a date right after "since" up to publication ("has been closed
    since 2019": 2019 to now), at the date's granularity; ``None`` for any other date, one
    that does not lie before publication, or one that dates the event of a "when" clause
    after it ("since 2019, when a stoppage cost ...")."""
    m, day = anchor.mention, published.isoformat()
    interval = m.interval
    if m.type not in ("DATE", "TIME") or interval is None or not interval.start:
        return None
    if interval.start[:10] > day or m.value in VAGUE_VALUES:
        return None
    if _word_before(text, anchor) not in entry_words()["since_date"]:
        return None
    if _told_when(anchor, text):
        return None  # "the first strike since 2019, when a stoppage cost ...": 2019 itself
    return interval.start, (published + timedelta(days=1)).isoformat(), interval.granularity


def _from_now(text: str, published: date, anchor: Anchor, start: str) -> str:
    """Where a stretch that runs until a later date starts: at publication when the date
    comes after a word such as "through" or "until" ("will weigh on earnings through 1990":
    from now to the end of 1990), else ``start``, the date's own."""
    if start <= published.isoformat():
        return start
    if _word_before(text, anchor) in entry_words()["until"]:
        return published.isoformat()
    return start


def _duration_interval(
    text: str, published: date, anchor: Anchor, mentions: Sequence[Mention]
) -> tuple[str, str, str, bool] | None:
    """A length of time that runs up to publication ("have met ... for several months"):
    from the date after "after"/"since" in its sentence, else that long before publication."""
    m = anchor.mention
    found = cal.length(m.value)
    if found is None:
        return None
    n, unit = found
    vague = n is None
    if _part_of(text, m):
        return None  # "for the last two years of his term": not the two years up to now
    if _led(text, anchor) and _says(m, "rolling_next"):  # "within the next two years"
        try:
            last = cal.shift(published, unit, FEW_AT_MOST if n is None else n)
        except (ValueError, OverflowError):
            return None
        granularity = "vague" if vague else UNIT_GRANULARITY[unit]
        return published.isoformat(), last.isoformat(), granularity, vague or m.mod is not None
    if not _runs_to_now(text, anchor):
        return None
    end = (published + timedelta(days=1)).isoformat()
    since = _since(text, anchor, mentions)
    if since is not None and since[:10] < end:  # not "from next week", which lies ahead
        return since, end, UNIT_GRANULARITY[unit], True
    count = FEW_AT_MOST if n is None else n
    if n is not None and (unit in WHOLE_UNITS or _monthly(anchor, unit)):
        return _whole_units(published, unit, n, m.mod is not None)
    try:
        start = cal.shift(published, unit, -count)
    except (ValueError, OverflowError):
        return None
    granularity = "vague" if vague else UNIT_GRANULARITY[unit]
    return start.isoformat(), end, granularity, vague or m.mod is not None


def _part_of(text: str, mention: Mention) -> bool:
    """Whether "of" follows the length ("the last two years of his term", "the first months
    of the war"): the first or last stretch of something the text names, not one that runs
    from or to the publication date (one of a date, "the first nine months of 1997", is a
    period part: :func:`.periods.period_parts`)."""
    following = LETTERS.search(text, mention.end, mention.end + WORD_BEFORE_CHARS)
    if following is None or text[mention.end : following.start()].strip():
        return False
    return following.group().lower() in word_classes()["of_link"]


def _monthly(anchor: Anchor, unit: str) -> bool:
    """Whether a length of months is counted in the calendar months of a monthly figure: its
    clause gives a rate per month ("has created jobs at 358,000 a month for the last four
    months": the four months whose figures are out)."""
    if unit != "M":
        return False
    words = [w.lower() for w in WORD.findall(anchor.clause.text)]
    phrases = {*words, *(f"{a}_{b}" for a, b in pairwise(words))}
    return bool(phrases & entry_words()["monthly_rate"])


def _whole_units(
    published: date, unit: str, n: int, approximate: bool
) -> tuple[str, str, str, bool] | None:
    """The ``n`` whole units (:data:`WHOLE_UNITS`, or months) before the one of
    publication: "has had losses in the past two quarters" covers the two quarters that are
    over."""
    months = WHOLE_UNITS.get(unit, 1)
    current = date(published.year, published.month - (published.month - 1) % months, 1)
    try:
        start = cal.add_months(current, -months * n)
    except (ValueError, OverflowError):
        return None
    return start.isoformat(), current.isoformat(), UNIT_GRANULARITY[unit], approximate


def _runs_to_now(text: str, anchor: Anchor) -> bool:
    """Whether the clause says its event has lasted up to now: a length of time that a
    preposition such as "for" or "over" opens ("for several months"; not "by surviving two
    days"), in a present perfect ("have met", "has been stationed") or said to end now
    ("rose over the past year")."""
    if not _led(text, anchor):
        return False
    if _says(anchor.mention, "rolling_past"):
        return True
    words = LETTERS.findall(anchor.clause.text)
    return any(w.lower() in word_classes()["perfect"] for w in words)


def _led(text: str, anchor: Anchor) -> bool:
    """Whether a preposition that opens a length of time ("for", "over", "within") comes
    right before the mention."""
    return _word_before(text, anchor) in entry_words()["duration_lead"]


def _word_before(text: str, anchor: Anchor) -> str:
    """The word of the mention's clause right before it, in lower case ("" when there is
    none). Only the ``WORD_BEFORE_CHARS`` before the mention are read, so that the cost does
    not grow with the clause (a list of dates can be one long clause)."""
    left = max(anchor.clause.start, anchor.mention.start - WORD_BEFORE_CHARS)
    words = LETTERS.findall(text[left : anchor.mention.start])
    return words[-1].lower() if words else ""


def _says(mention: Mention, word_class: str) -> bool:
    """Whether a word of ``mention`` is of the class ``word_class`` of ``entry_words.tsv``."""
    words = entry_words()[word_class]
    return any(w.lower() in words for w in LETTERS.findall(mention.text))


def _rolling_unit(text: str, published: date, anchor: Anchor) -> tuple[str, str, str] | None:
    """The stretch of "over the next year" or "in the past year" (dates the tagger reads as
    the calendar unit after, or before, the one of publication, as TimeBank annotates them)
    as the length they are: one unit from publication, or up to it. ``None`` unless a
    preposition of length leads the mention, a word such as "next" or "past" is in it, and
    its date is the unit right after (or before) the one of publication ("the next year" of
    a story told in the past is that story's)."""
    m = anchor.mention
    if not _led(text, anchor) or m.interval is None:
        return None
    unit = {"year": "Y", "month": "M", "week": "W"}.get(m.interval.granularity)
    if unit is None:  # a quarter is a company's reporting period: "the past quarter" is Q2
        return None
    step = 1 if _says(m, "rolling_next") else -1 if _says(m, "rolling_past") else 0
    try:
        other = cal.shift(published, unit, step)
    except (ValueError, OverflowError):
        return None
    if step == 0 or m.value != cal.format_unit(other, unit):
        return None
    if step > 0:
        return published.isoformat(), other.isoformat(), UNIT_GRANULARITY[unit]
    return other.isoformat(), (published + timedelta(days=1)).isoformat(), UNIT_GRANULARITY[unit]


def _since(text: str, anchor: Anchor, mentions: Sequence[Mention]) -> str | None:
    """The start of the day, month or year named after "after" or "since" in the mention's
    sentence ("After the attacks on September 11, 2001, ... for nearly 20 years")."""
    classes = word_classes()
    sentence = anchor.sentence
    for other in within(mentions, sentence.start, sentence.end):
        inside = sentence.start <= other.start and other.end <= sentence.end
        if not inside or other is anchor.mention or other.type != "DATE":
            continue
        if other.interval is None or other.interval.start is None:
            continue
        before = LETTERS.findall(text[sentence.start : other.start])
        if any(w.lower() in classes["since"] for w in before[-6:]):
            return other.interval.start
    return None
