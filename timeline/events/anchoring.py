"""Event anchoring: for each time reference, the events it dates.

A time reference dates the event of its own clause: "The Afghan army clashed with Taliban
fighters in Spin Boldak on Friday" dates "clashed". The anchor is found without a parser:

* the sentence and, inside it, the clause that holds the mention (clauses end at
  semicolons, dashes and at commas or words that open another clause);
* the candidate triggers: words that are verbs by the inflection lexicon of ``lemminflect``
  ("said", "clashed"), words that may be verbs where a subject, "to" or a modal comes
  before them ("they meet", "to attack"), nouns that name something that happens ("the
  talks", "a loss"; ``words.tsv``), and, weighed as such, every other word the lexicon
  knows that is no function word ("the process", "ended");
* each candidate's cost by rule: its distance in words to the mention, more after the
  mention than before it, more for a noun, an -ing form, a word outside the mention's
  clause, or one across a comma, a quotation mark or (after the mention) "and" or "to"; a
  noun the mention modifies costs nothing ("the attacks on September 11", "a third-quarter
  loss"), and where the mention opens the sentence in a phrase of its own the main clause's
  verb comes first ("In trading Friday, the shares closed"). Forms of "be" and the modals
  are the event only where nothing else is; "had" only when no verb follows it;
* the link model (:mod:`.linking`) weighs that cost with the rest of what
  :func:`link_features` sees of the pair (side, distance, what lies between, the word's
  lemma and neighbours, the kind of time reference), and with how likely the event model
  finds it that the word names an event at all (:func:`word_features`: the word, its
  lemma, ending and neighbours). The likeliest word is the trigger;
  any other word above the model's threshold is dated too (``Anchor.also``: "The warrant
  issued Monday charged him" dates "issued" and "charged").

``benchmarks/events.py`` measures the links against the event-time links of TimeBank and
AQUAINT, and learns both models' weights there. The words of a fixed expression ("in return
for") are never candidates. Each anchor carries a headline (:mod:`.headlines`); the word
classes, lemmas and clauses both modules read are in :mod:`.words`.

The words are data (``words.tsv``); this module knows their classes, not the words.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from ..limits import Budget
from ..tagger import warm_up as warm_up_tagger
from ..tagger.context import sentence_bounds
from ..tagger.model import Mention
from .headlines import headline, headline_phrase
from .linking import Model, default_event_model, default_model
from .words import (
    WORD,
    Span,
    clause_of,
    fixed_phrases,
    in_fixed_phrase,
    is_event_noun,
    lemma,
    lemmas,
    past_dateline,
    patterns,
    trimmed_span,
    verb_reading,
    word_classes,
)

# The colon after a time reference that opens a sentence: a live report's time stamp.
STAMP_END = re.compile(r"[ \t]*:\s+")
# What makes a candidate trigger a worse one than its distance in words says.
MODIFIED_COST = 0.0
WEAK_COST = 50.0
ING_COST = 1.0
AFTER_COST = 2.0
NOUN_COST = 2.0
OTHER_CLAUSE_COST = 4.0
SEPARATED_COST = 12.0
# Marks that are strings, so that whether a stretch of text holds one is a find, not a search.
QUOTES = ('"', "“", "”", "''", "``")
STRONG_SEPARATORS = (";", ":", "--", " _ ")
MARKS = ((",",), QUOTES, STRONG_SEPARATORS)  # what a gap's first marks are (:class:`_Gap`)
COMMA = re.compile(",")
STRONG_SEPARATOR = re.compile("|".join(map(re.escape, STRONG_SEPARATORS)))
QUOTE = re.compile("|".join(map(re.escape, QUOTES)))
# Two word characters: a stretch of text that begins or ends between them has a word boundary
# (``\b``) there for a regex that searches the stretch alone, but none in the whole text.
WORD_CHARACTERS = re.compile(r"\w\w")
CONJUNCTION = re.compile(r"\b(?:and|but|or)\b")
RELATIVE = re.compile(r"\b(?:that|which|who)\b")
# Between two words coordinated: a conjunction, perhaps after a comma, and up to two words.
COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|or|but)\s+(?:\w+\s+){0,2}")
# A mention that ends an opening phrase: "In composite trading Friday, ...".
FRONTED_END = re.compile(r"\s*,")
# Between a mention and the noun it modifies: nothing, "'s", or up to two words.
MODIFIES = re.compile(r"(?:['’]s)?\s+(?:[^\W\d_]+\s+){0,2}")  # noqa: RUF001


@dataclass(frozen=True)
class Anchor:
    """The event a time reference dates: its clause, its trigger word and a short headline.

    ``trigger`` is ``None`` when the sentence holds no word that can name an event; ``also``
    are the other words of the sentence that name events the mention dates too ("The
    warrant issued Monday charged him": "charged" besides "issued"), in text order.
    """

    mention: Mention
    sentence: Span
    clause: Span
    trigger: Span | None
    headline: str
    also: tuple[Span, ...] = ()


def warm_up() -> None:
    """Load the tagger's rules, the word lists and the inflection lexicon now (half a second),
    not on the first article a server or scheduler tags and anchors."""
    warm_up_tagger()
    word_classes()
    patterns()
    fixed_phrases()
    verb_reading("said")
    default_model()
    default_event_model()


def anchor_events(
    text: str,
    mentions: Sequence[Mention],
    model: Model | None = None,
    events: Model | None = None,
    budget: Budget | None = None,
) -> list[Anchor]:
    """The event anchor of every mention, in the order of ``mentions``. Each mention is
    anchored in its sentence with the time references near it, found by position
    (:class:`Extents`), so that the work grows with the article, not with its square; a
    ``budget`` (:class:`timeline.limits.Budget`) is charged the words and time references
    each mention's sentence holds."""
    extents = Extents([(m.start, m.end) for m in mentions])
    anchors = []
    for m in mentions:
        left, right = sentence_bounds(text, m.start, m.end)
        near = extents.overlapping(left, right)  # all that the sentence's words meet
        if budget is not None:
            words = _sentence(text, left, right, events or default_event_model()).every
            budget.spend(len(words) + len(near))
        anchors.append(anchor_event(text, m, near, model, events, bounds=(left, right)))
    return anchors


class Extents:
    """The extents ``(start, end)`` of an article's time references, sorted, and those that
    overlap a stretch of the text found by bisection: a mention's sentence sees only the
    time references near it, not every one of the article."""

    def __init__(self, extents: Sequence[tuple[int, int]]) -> None:
        self.extents = sorted(extents)
        self.starts = [s for s, _ in self.extents]
        self.longest = max((e - s for s, e in self.extents), default=0)

    def overlapping(self, left: int, right: int) -> list[tuple[int, int]]:
        """The extents that overlap ``[left, right)``, in text order: those that start
        before ``right`` and no longer ago than the longest extent before ``left``."""
        first = bisect.bisect_left(self.starts, left - self.longest)
        last = bisect.bisect_left(self.starts, right)
        return [(s, e) for s, e in self.extents[first:last] if e > left]


def anchor_event(
    text: str,
    mention: Mention,
    taken: Sequence[tuple[int, int]] = (),
    model: Model | None = None,
    events: Model | None = None,
    *,
    bounds: tuple[int, int] | None = None,
) -> Anchor:
    """The anchor of one mention; ``taken`` are the extents of all time references, whose
    words are never triggers. ``model`` is the link model and ``events`` the event model
    (:mod:`.linking`; their files by default); ``bounds`` are the mention's sentence's
    (:func:`sentence_bounds`) when the caller has them."""
    model = model or default_model()
    left, right = _past_dateline(text, mention, bounds, taken)
    sentence = trimmed_span(text, left, right)
    clause = clause_of(text, left, right, mention)
    pairs = _pairs(text, mention, taken, events, left, right, clause)
    # the mention's part of the score, on either side (the pairs of a side share it)
    parts = {pair.side: pair.mention for pair in pairs}
    sides = {side: model.linear(features) for side, features in parts.items()}
    scored = sorted(
        (
            (pair.probability(model, sides[pair.side]), -pair.word.span.start, pair.word.span)
            for pair in pairs
        ),
        key=lambda s: s[:2],
        reverse=True,
    )
    trigger = scored[0][2] if scored else None
    also = tuple(
        sorted((s[2] for s in scored[1:] if s[0] >= model.threshold), key=lambda s: s.start)
    )
    return Anchor(
        mention,
        sentence,
        clause,
        trigger,
        headline(
            text,
            headline_phrase(text, sentence, clause, mention, trigger, taken),
            mention,
            sentence,
            taken,
        ),
        also,
    )


def retriggered(
    text: str, anchor: Anchor, trigger: Span, taken: Sequence[tuple[int, int]] = ()
) -> Anchor:
    """``anchor`` dating ``trigger`` instead of the word the link model chose, with the
    headline of that word's phrase and nothing else dated."""
    m, sentence = anchor.mention, anchor.sentence
    phrase = headline_phrase(text, sentence, anchor.clause, m, trigger, taken)
    return replace(
        anchor, trigger=trigger, also=(), headline=headline(text, phrase, m, sentence, taken)
    )


@dataclass(slots=True)
class _Word:
    """A candidate trigger: its span, ``verb`` or ``noun``, and its place among the words."""

    span: Span
    kind: str
    index: int


def _candidates(
    text: str,
    sentence: _Sentence,
    timed: set[int],
    mention: Mention,
) -> list[_Word]:
    """The words of a sentence that can name an event; ``timed`` are the indices of the
    words of its time references (:func:`_timed`)."""
    every, lower, lexemes = sentence.every, sentence.lower, sentence.lexemes
    found: list[_Word] = []
    for i, lexeme in enumerate(lexemes):
        if i in timed:
            continue  # a word of a time reference
        if lexeme.never:
            found.append(_Word(sentence.span(i), "weak", i))
            continue  # "has been a hot spot": only where nothing else can be the event
        if lexeme.not_event:
            continue
        if lexeme.period_link and i - 1 in timed:
            continue  # "the quarter ended Sept. 30": part of the time reference's phrase
        if i and sentence.texts[i][0].isupper():
            continue  # a name ("the United States")
        # only an event noun can be the noun the mention modifies: others need no role
        role = _role(text, every[i], mention) if lexeme.made_noun else ""
        if role == "before" and i + 1 < len(every) and lexemes[i + 1].noun:
            role = ""  # "a Sunday night memorial service": the compound's last noun is its head
        if role and (lexeme.made_noun if role != "on" else lexeme.event_noun):
            found.append(_Word(sentence.span(i), "modified", i))  # "the 1956 uprising"
            continue
        if lexeme.state:
            found.append(_Word(sentence.span(i), "verb", i))  # "due March 1": a state until then
            continue
        reading = lexeme.reading
        previous = lexemes[i - 1] if i else None
        if previous is not None and (
            previous.determiner or lower[i - 1].endswith(("'s", "’s"))  # noqa: RUF001
        ):
            if lexeme.event_noun:
                found.append(_Word(sentence.span(i), "noun", i))  # "the talks", "Friday's ruling"
            continue  # any other word after a determiner is a thing ("the doctor")
        verbal = previous is not None and previous.verb_context and not lexeme.function
        if not verbal and i > 0 and reading == "maybe":
            verbal = _after_name(every, i, word_classes())  # "Lombardia face Bayern Munich"
        if reading == "maybe" and not verbal:
            reading = None  # "seats", "slow", "power": a verb only after "to", "will", "they"
        if reading is None:
            if lexeme.event_noun:
                found.append(_Word(sentence.span(i), "noun", i))
            continue
        if lexeme.auxiliary and any(
            following.reading == "verb" or following.never for following in lexemes[i + 1 : i + 3]
        ):
            continue  # "had fallen": the event is the verb that follows
        found.append(_Word(sentence.span(i), "verb", i))
    return found


def _after_name(every: Sequence[re.Match[str]], i: int, classes: dict[str, frozenset[str]]) -> bool:
    """Whether the word ``every[i]``, which may be a noun or a verb, follows a name (a word
    in capitals, no determiner or preposition such as "The" or "In") and comes before a
    determiner, a number or another name: the name's verb ("Lombardia face Bayern Munich",
    "Apple plans a new phone")."""
    name = every[i - 1].group()
    if (
        not name[0].isupper()
        or name.lower() in classes["determiner"]
        or name.lower() in classes["function"]
        or i + 1 >= len(every)
    ):
        return False
    following = every[i + 1].group()
    return (
        following.lower() in classes["determiner"]
        or following[0].isdigit()
        or following[0].isupper()
    )


def _others(
    sentence: _Sentence,
    found: Sequence[_Word],
    timed: set[int],
) -> list[_Word]:
    """The words of the sentence that are not candidates but could still be read as naming
    an event ("the process", "the creation", "ended"): every word that the lexicon knows and
    that is no function word, no determiner and no part of a time reference. The link model
    weighs them with what it knows of them (their parts of speech, a capital, an ending)."""
    have = {w.index for w in found}
    return [
        _Word(sentence.span(i), "other", i)
        for i, lexeme in enumerate(sentence.lexemes)
        if not (i in have or lexeme.function or lexeme.determiner or i in timed) and lexeme.known
    ]


class _Lexeme(NamedTuple):
    """What the choice of candidates asks of a lower-case word, whatever its place: its
    classes of ``words.tsv``, how it reads as a verb (:func:`verb_reading`), whether it is an
    event noun (:func:`is_event_noun`; ``made_noun`` with the nouns made from verbs), a noun
    or any word the lexicon knows."""

    never: bool
    not_event: bool
    period_link: bool
    state: bool
    function: bool
    determiner: bool
    auxiliary: bool
    verb_context: bool
    reading: str | None
    event_noun: bool
    made_noun: bool
    noun: bool
    known: bool


@functools.lru_cache(maxsize=50_000)
def _lexeme(word: str) -> _Lexeme:
    """The :class:`_Lexeme` of a lower-case word (cached: the words recur)."""
    classes = word_classes()
    found = lemmas(word)
    return _Lexeme(
        never=word in classes["never"],
        not_event=word in classes["not_event"],
        period_link=word in classes["period_link"],
        state=word in classes["state"],
        function=word in classes["function"],
        determiner=word in classes["determiner"],
        auxiliary=word in classes["auxiliary"],
        verb_context=word in classes["verb_context"],
        reading=verb_reading(word),
        event_noun=is_event_noun(word),
        made_noun=is_event_noun(word, with_suffix=True),
        noun=bool(found.get("NOUN")),
        known=bool(found),
    )


@dataclass(frozen=True, eq=False)
class _Token:
    """What the link model sees of a word whatever the time reference: its lower case,
    lemma, parts of speech, the words beside it and how likely it names an event.

    Tokens are equal only to themselves and hash by identity (:func:`_token` makes one for
    each word between its neighbours, and :func:`_word_score` caches by token)."""

    word: str
    lemma: str
    pos: str
    suffix: bool
    capital: bool
    previous: str
    previous_class: str
    following: str
    next_class: str
    eventness: float


class _Sentence:
    """The words of a sentence, and what the link model sees of each whatever the time
    reference (:class:`_Token`), worked out when first asked for: the mentions of one
    sentence share them."""

    def __init__(self, text: str, left: int, right: int, events: Model) -> None:
        self.text, self.left, self.right = text, left, right
        self.every = list(WORD.finditer(text, left, right))
        self.starts = [w.start() for w in self.every]
        self.ends = [w.end() for w in self.every]
        self.texts = [w.group() for w in self.every]
        self.lower = [w.lower() for w in self.texts]
        self.lexemes = [_lexeme(w) for w in self.lower]
        self.events = events
        self.fixed = in_fixed_phrase(self.lower)
        self._tokens: dict[int, _Token] = {}

    def count(self, low: int, high: int) -> int:
        """How many words ``WORD.findall(text, low, high)`` finds: the sentence's words from
        ``low`` to ``high``, counted by bisection. Where either place falls inside a word or
        outside the sentence, the regex counts (its match there is a piece of that word)."""
        starts, ends = self.starts, self.ends
        first = bisect.bisect_left(starts, low)
        last = bisect.bisect_right(ends, high)
        if (
            low < self.left
            or high > self.right
            or (first and ends[first - 1] > low)
            or (last < len(starts) and starts[last] < high)
        ):
            return len(WORD.findall(self.text, low, high))
        return max(0, last - first)

    def last_before(self, at: int) -> str:
        """The last word of the sentence before ``at`` in lower case, "" if none: the last
        that ``WORD.findall(text, left, at)`` finds (a piece of the word ``at`` falls in,
        where it falls inside one, or one past the sentence)."""
        ending = bisect.bisect_right(self.ends, at)
        if at > self.right or (ending < len(self.starts) and self.starts[ending] < at):
            found = WORD.findall(self.text, self.left, at)
            return found[-1].lower() if found else ""
        return self.lower[ending - 1] if ending else ""

    def span(self, i: int) -> Span:
        """The span of the ``i``-th word."""
        return Span(self.starts[i], self.ends[i], self.texts[i])

    def token(self, i: int) -> _Token:
        """What the link model sees of the ``i``-th word."""
        if i not in self._tokens:
            lower = self.lower
            self._tokens[i] = _token(
                lower[i - 1] if i else None,
                self.texts[i],
                lower[i + 1] if i + 1 < len(lower) else None,
                self.events,
            )
        return self._tokens[i]


@functools.lru_cache(maxsize=100_000)
def _token(previous: str | None, text: str, following: str | None, events: Model) -> _Token:
    """What the link model sees of the word ``text`` between the words ``previous`` and
    ``following`` (lower case; ``None`` at the sentence's ends): a function of the three
    words alone, so cached across sentences and articles (the same words recur)."""
    word = text.lower()
    found = lemmas(word)
    return _Token(
        word=word,
        lemma=lemma(word),
        pos="+".join(sorted(found)),
        suffix=_has_suffix(found),
        capital=text[0].isupper(),
        previous=previous or "",
        previous_class=_word_class(previous or ""),
        following=following or "",
        next_class=_next_class(following or ""),
        eventness=events.probability(_word_features(previous, text, following)),
    )


@functools.lru_cache(maxsize=64)
def _sentence(text: str, left: int, right: int, events: Model) -> _Sentence:
    """The :class:`_Sentence` of ``text[left:right]`` (cached)."""
    return _Sentence(text, left, right, events)


def link_features(
    text: str,
    mention: Mention,
    taken: Sequence[tuple[int, int]] = (),
    events: Model | None = None,
) -> list[tuple[_Word, dict[str, float]]]:
    """Every word of the mention's sentence that may be an event it dates, with the features
    the link model (:mod:`timeline.events.linking`) weighs: the word's cost (distance and
    what lies between, :func:`_cost`) and its rank by cost, its kind, side and distance in
    words; the punctuation, conjunctions, relative words, candidates, verbs and other time
    references between; its lemma, part of speech, ending, capital and the words beside it;
    the word before the mention and the mention's type; how it stands to the cheapest
    candidate (coordinated with it, the cheapest one between it and the mention); and how
    likely the event model ``events`` finds it that the word names an event at all."""
    left, right = _past_dateline(text, mention, taken=taken)
    clause = clause_of(text, left, right, mention)
    return [
        (p.word, p.features()) for p in _pairs(text, mention, taken, events, left, right, clause)
    ]


def _past_dateline(
    text: str,
    mention: Mention,
    bounds: tuple[int, int] | None = None,
    taken: Sequence[tuple[int, int]] = (),
) -> tuple[int, int]:
    """The bounds of the mention's sentence (``bounds`` when the caller has them), past the
    wire dateline that opens it ("LISBON, March 14 (Reuters) - ...": no word of it is an
    event, its place no subject) or the time stamp of a live report ("11:45 a.m. ET: The
    weather service has extended ..."), unless the mention is in it."""
    left, right = bounds or sentence_bounds(text, mention.start, mention.end)
    start = past_dateline(text, left, right)
    opening = trimmed_span(text, left, right).start
    for s, e in taken:
        stamp = STAMP_END.match(text, e) if s == opening else None  # a time, then a colon
        if stamp is not None:
            start = max(start, stamp.end())
    return (start if start <= mention.start else left), right


def _pairs(
    text: str,
    mention: Mention,
    taken: Sequence[tuple[int, int]],
    events: Model | None,
    left: int,
    right: int,
    clause: Span,
) -> list[_Pair]:
    """:func:`link_features`, for the mention's sentence ``text[left:right]`` and its
    ``clause`` as the caller found them, as :class:`_Pair`."""
    events = events or default_event_model()
    sentence = _sentence(text, left, right, events)
    every = sentence.every
    here = [(s, e) for s, e in taken if s < right and left < e]
    timed = _timed(sentence, here)
    words = [
        w for w in _candidates(text, sentence, timed, mention) if w.index not in sentence.fixed
    ]
    fronted = not any(
        w.kind == "verb" and w.span.end <= mention.start and not w.span.text.endswith("ing")
        for w in words
    ) and bool(FRONTED_END.match(text, mention.end))
    words += [w for w in _others(sentence, words, timed) if w.index not in sentence.fixed]
    # the text between each word and the mention, how many words and which marks it holds
    gaps = _gaps(sentence, mention, words)
    costed = sorted(
        (
            (
                _cost(w, mention, clause, fronted, gaps[w.index]),
                w.span.start > mention.start,
                w,
            )
            for w in words
        ),
        key=lambda c: c[:2],
    )
    if not costed:
        return []
    best, top = costed[0][0], costed[0][2]
    opening = sentence.last_before(mention.start)
    kind_of_mention = mention.type
    top_reporting = float(sentence.token(top.index).lemma in word_classes()["reporting"])
    # The candidates in text order (they never overlap), to count those between two places.
    ordered = sorted(words, key=lambda x: x.span.start)
    starts = [x.span.start for x in ordered]
    ends = [x.span.end for x in ordered]
    verbs = [0]
    for x in ordered:
        verbs.append(verbs[-1] + (x.kind == "verb"))
    quotes = [m.end() for m in QUOTE.finditer(text, left, right)]
    others = [(s, e) for s, e in here if (s, e) != (mention.start, mention.end)]
    sides = {
        side: {
            f"opening={opening}|{side}": 1.0,
            f"opening={opening}|{kind_of_mention}": 1.0,
            f"mention_type={kind_of_mention}": 1.0,
            "fronted": float(fronted),
            "sentence_length": len(every) / 50,
        }
        for side in ("before", "after")
    }
    result = []
    for rank, (cost, _, w) in enumerate(costed):
        before = w.span.end <= mention.start
        low, high = (w.span.end, mention.start) if before else (mention.end, w.span.start)
        gap = gaps[w.index]
        distance = gap.words
        first_inside = bisect.bisect_left(starts, low)
        after_inside = max(first_inside, bisect.bisect_right(ends, high))
        inside = after_inside - first_inside
        verbs_inside = verbs[after_inside] - verbs[first_inside]
        side = "before" if before else "after"
        time_between = bool(others) and any(low <= s and e <= high for s, e in others)
        own = {
            "cost": min(cost, 60.0) / 10,
            "log_cost": math.log1p(max(cost, 0.0)),
            "gap": min(cost - best, 60.0) / 10,
            "rank": min(rank, 10) / 5,
            f"rank={min(rank, 4)}|{side}": 1.0,
            f"distance={_bucket(distance)}|{side}": 1.0,
            "log_distance": math.log1p(distance),
            f"verbs_between={min(verbs_inside, 3)}|{side}": 1.0,
            "candidates_between": min(inside, 10) / 5,
            "in_clause": float(clause.start <= w.span.start and w.span.end <= clause.end),
            f"separators={_separators(gap)}|{side}": 1.0,
            "semicolon_between": float(gap.strong),
            "first_word": float(w.index == 0),
            "adjacent": float(distance == 0),
            "in_quotation": float(bisect.bisect_right(quotes, w.span.start) % 2 == 1),
            f"time_between={time_between}|{side}": 1.0,
            "nearer_another_time": float(_nearer_another(sentence, w.span, mention, others)),
        }
        if w is not top:
            first, second = (
                (top.span, w.span) if top.span.start < w.span.start else (w.span, top.span)
            )
            own[f"coordinated_with_cheapest|{top.kind}"] = float(
                bool(COORDINATED.fullmatch(text, first.end, second.start))
            )
            own["cheapest_between"] = float(
                top.span.start > min(w.span.start, mention.start)
                and top.span.end < max(w.span.end, mention.end)
            )
            own[f"cheapest_kind={top.kind}"] = 1.0
            own["cheapest_reporting"] = top_reporting
        result.append(_Pair(w, sentence.token(w.index), side, own, sides[side]))
    return result


class _Pair(NamedTuple):
    """A candidate word of a mention's sentence and the link model's features of the pair,
    in three parts that share no feature: ``own``, those of the word and the mention
    together (how far apart, what lies between, how it ranks); those of the word alone
    whatever the mention (:func:`_word_part`, of its ``token``, kind and ``side``); and
    ``mention``, those of the mention alone on that side."""

    word: _Word
    token: _Token
    side: str
    own: dict[str, float]
    mention: dict[str, float]

    def features(self) -> dict[str, float]:
        """All the features of the pair."""
        return {**self.own, **_word_part(self.token, self.word.kind, self.side), **self.mention}

    def probability(self, model: Model, mention: float | None = None) -> float:
        """``model.probability(self.features())``, the word's part of the score summed once
        for every model, word, kind and side (:func:`_word_score`); ``mention`` is
        ``model.linear(self.mention)`` when the caller has it."""
        return model.logistic(
            model.bias
            + _word_score(model, self.token, self.word.kind, self.side)
            + (model.linear(self.mention) if mention is None else mention)
            + model.linear(self.own)
        )


@functools.lru_cache(maxsize=100_000)
def _word_part(token: _Token, kind: str, side: str) -> dict[str, float]:
    """The features of a candidate word that depend on nothing but the word (``token``), its
    kind and its side of the mention: its lemma, ending, part of speech, capital, the words
    beside it and how likely it names an event (cached: callers must not change the dict)."""
    reporting = word_classes()["reporting"]
    period_link = word_classes()["period_link"]
    return {
        f"kind={kind}|{side}": 1.0,
        "ing": float(token.word.endswith("ing")),
        "ed": float(token.word.endswith("ed")),
        "reporting": float(token.lemma in reporting),
        f"lemma={token.lemma}": 1.0,
        f"lemma={token.lemma}|{side}": 1.0,
        f"previous={token.previous}": 1.0,
        f"previous_class={token.previous_class}|{kind}": 1.0,
        f"next={token.following}": 1.0,
        f"next_class={token.next_class}": 1.0,
        f"pos={token.pos}|{kind}": 1.0,
        f"suffix={token.suffix}|{kind}": 1.0,
        f"capital={token.capital}|{kind}": 1.0,
        f"period_link={token.word in period_link}|{side}": 1.0,
        "eventness": token.eventness,
        f"eventness={int(token.eventness * 5)}|{kind}": 1.0,
        f"eventness={int(token.eventness * 5)}|{side}": 1.0,
    }


@functools.lru_cache(maxsize=100_000)
def _word_score(model: Model, token: _Token, kind: str, side: str) -> float:
    """``model``'s weighted sum of :func:`_word_part` (cached: the words recur)."""
    return model.linear(_word_part(token, kind, side))


def word_features(every: Sequence[re.Match[str]], i: int) -> dict[str, float]:
    """The features of the event model (:mod:`.linking`) for ``every[i]``, a word of a
    sentence whose words are ``every``: the word, its lemma, its last letters, its parts of
    speech, how it reads as a verb and whether it is an event noun, a capital or a digit,
    and the words before and after it with their parts of speech."""
    return _word_features(
        every[i - 1].group().lower() if i else None,
        every[i].group(),
        every[i + 1].group().lower() if i + 1 < len(every) else None,
    )


def _word_features(previous: str | None, text: str, following: str | None) -> dict[str, float]:
    """:func:`word_features` of the word ``text`` between ``previous`` and ``following``
    (lower case; ``None`` at the sentence's ends)."""
    word = text.lower()
    found = lemmas(word)
    previous = "<s>" if previous is None else previous
    following = "</s>" if following is None else following
    return {
        f"word={word}": 1.0,
        f"lemma={lemma(word)}": 1.0,
        f"ending={word[-3:]}": 1.0,
        f"ending2={word[-2:]}": 1.0,
        f"pos={'+'.join(sorted(found))}": 1.0,
        f"verb={verb_reading(word)}": 1.0,
        f"event_noun={is_event_noun(word, with_suffix=True)}": 1.0,
        f"capital={text[0].isupper()}": 1.0,
        f"digit={text[0].isdigit()}": 1.0,
        f"previous={previous}": 1.0,
        f"previous_class={_word_class(previous)}": 1.0,
        f"previous_pos={'+'.join(sorted(lemmas(previous)))}": 1.0,
        f"next={following}": 1.0,
        f"next_pos={'+'.join(sorted(lemmas(following)))}": 1.0,
    }


# A distance in words, in the steps the model tells apart: the step of 0 to 7 words, and more.
BUCKETS = ("0", "1", "2", "3-4", "3-4", "5-7", "5-7", "5-7", "8+")


def _bucket(distance: int) -> str:
    """A distance in words, in the steps the model tells apart (``BUCKETS``)."""
    return BUCKETS[min(distance, len(BUCKETS) - 1)]


class _Gap(NamedTuple):
    """The text between a word and the mention (:func:`_gaps`): how many words it
    holds, and whether it holds a comma, a quotation mark (``QUOTES``), a strong separator
    (``STRONG_SEPARATORS``, such as a semicolon), a conjunction, a relative word, or a word
    that puts a word after the mention in another phrase (``patterns()["after"]``): what
    ``COMMA``, ``QUOTE``, ``STRONG_SEPARATOR``, ``CONJUNCTION``, ``RELATIVE`` and that
    pattern would find in it."""

    words: int
    comma: bool
    quote: bool
    strong: bool
    conjunction: bool
    relative: bool
    separated: bool


def _gaps(sentence: _Sentence, mention: Mention, words: Sequence[_Word]) -> dict[int, _Gap]:
    """The gap between each of ``words`` and the mention, by the word's index. The words
    between are counted by their places among the sentence's (where a word of the sentence
    straddles the mention's edge, by :meth:`_Sentence.count`); the text between holds a
    mark where the nearest of its kind on the word's side of the mention lies in it, each
    kind's nearest found once for the mention (:func:`_nearest_marks`,
    :func:`_nearest_match`). A word that a word character touches ("5" of "and5") is the
    edge of a gap where a search of the gap's text alone sees a word boundary (``\\b``) that
    the sentence does not: its gap is searched."""
    text, left, right = sentence.text, sentence.left, sentence.right
    start, end = mention.start, mention.end
    searches = CONJUNCTION, RELATIVE, patterns()["after"]
    nearest = [
        *(_nearest_marks(text, marks, left, start, end, right) for marks in MARKS),
        *(_nearest_match(text, pattern, left, start, end, right) for pattern in searches),
    ]
    starts, ends = sentence.starts, sentence.ends
    ending = bisect.bisect_right(ends, start)  # the words that end before the mention
    opening = bisect.bisect_left(starts, end)  # the words that start before its end
    straddled = (ending < len(starts) and starts[ending] < start) or (
        opening > 0 and ends[opening - 1] > end
    )
    gaps = {}
    for w in words:
        if w.span.end <= start:
            low, high = w.span.end, start
            found = [last >= low for last, _ in nearest]
            count = ending - w.index - 1
        else:
            low, high = end, w.span.start
            found = [first <= high for _, first in nearest]
            count = w.index - opening
        if straddled:
            count = sentence.count(low, high)
        if WORD_CHARACTERS.match(text, w.span.start - 1) or WORD_CHARACTERS.match(
            text, w.span.end - 1
        ):
            between = text[low:high]
            found[len(MARKS) :] = [p.search(between) is not None for p in searches]
        gaps[w.index] = _Gap(count, *found)
    return gaps


def _nearest_marks(
    text: str, marks: Sequence[str], left: int, start: int, end: int, right: int
) -> tuple[int, int]:
    """Where the nearest of ``marks`` lies on either side of ``text[start:end]`` in
    ``text[left:right]``: the start of the last that ends by ``start`` (-1 if none), the end
    of the first that starts from ``end`` on (past ``right`` if none)."""
    last, first = -1, right + 1
    for mark in marks:
        last = max(last, text.rfind(mark, left, start))
        at = text.find(mark, end, right)
        if at >= 0:
            first = min(first, at + len(mark))
    return last, first


def _nearest_match(
    text: str, pattern: re.Pattern[str], left: int, start: int, end: int, right: int
) -> tuple[int, int]:
    """:func:`_nearest_marks` of the matches of ``pattern``, whose words are words: its
    matches are whole runs of word characters, which never overlap, and a search from
    ``end`` sees the gap's text's word boundary there unless ``end`` falls inside a run."""
    last = -1
    for m in pattern.finditer(text, left, start):
        last = m.start()
    if WORD_CHARACTERS.match(text, end - 1):
        after = pattern.search(text[end:right])
        return last, after.end() + end if after else right + 1
    found = pattern.search(text, end, right)
    return last, found.end() if found else right + 1


def _separators(gap: _Gap) -> str:
    """Which of a comma, a quotation mark, a conjunction and a relative word lie between."""
    found = (gap.comma, gap.quote, gap.conjunction, gap.relative)
    return "".join("1" if f else "0" for f in found)


def _word_class(word: str) -> str:
    """The class of the word before a candidate, as the model sees it."""
    classes = word_classes()
    if word in classes["determiner"]:
        return "determiner"
    if word in classes["never"] or word in classes["auxiliary"]:
        return "auxiliary"
    if word in classes["verb_context"]:
        return "verb_context"
    return "other"


def _next_class(word: str) -> str:
    """The class of the word after a candidate, as the model sees it."""
    if word in ("that", "which"):
        return "that"
    if word == "to":
        return "to"
    if word in word_classes()["determiner"]:
        return "determiner"
    return "preposition" if word in word_classes()["function"] else "other"


def _has_suffix(found: dict[str, tuple[str, ...]]) -> bool:
    """Whether a noun reading of the word ends as nouns made from verbs do."""
    return any(n.endswith(tuple(word_classes()["event_suffix"])) for n in found.get("NOUN", ()))


def _nearer_another(
    sentence: _Sentence, span: Span, mention: Mention, others: Sequence[tuple[int, int]]
) -> bool:
    """Whether another time reference of the sentence (``others``, the extents of those
    that are not the mention's) is fewer words away from ``span``."""

    if not others:
        return False

    def gap(start: int, end: int) -> int:
        if start < span.end and span.start < end:
            return 0
        low, high = (span.end, start) if span.end <= start else (end, span.start)
        return sentence.count(low, high)

    own = gap(mention.start, mention.end)
    return any(gap(s, e) < own for s, e in others)


def _timed(sentence: _Sentence, taken: Sequence[tuple[int, int]]) -> set[int]:
    """The indices of the sentence's words that are part of a time reference of ``taken``:
    for each reference, the words from the first that ends after its start, found by
    bisection, while they start before its end."""
    starts, ends = sentence.starts, sentence.ends
    found = set()
    for s, e in taken:
        i = bisect.bisect_right(ends, s)
        while i < len(starts) and starts[i] < e:
            found.add(i)
            i += 1
    return found


def _role(text: str, token: re.Match[str], mention: Mention) -> str:
    """How the mention modifies the noun ``token``: ``"before"`` when it comes right before it
    ("the Friday explosions", "this year's election", "a daily public rally"), ``"of"`` when
    it follows it after "of" ("the disasters of this century"), ``"on"`` after "on" or "in"
    ("the attacks on September 11"); else ``""``."""
    if token.start() >= mention.end:
        if MODIFIES.fullmatch(text, mention.end, token.start()) is None:
            return ""  # more than two words, or punctuation, between
        between = WORD.findall(text, mention.end, token.start())
        function = word_classes()["function"]
        if any(
            w[0].isupper() or w.lower() in function or verb_reading(w.lower()) == "verb"
            for w in between
        ):
            return ""  # "Friday at the meeting", "the latest period had profit": no modifier
        return "before"
    tie = patterns()["of"].fullmatch(text, token.end(), mention.start)
    if tie is None:
        return ""
    return "of" if tie.group(1).lower() in word_classes()["of_link"] else "on"


def _cost(word: _Word, mention: Mention, clause: Span, fronted: bool, gap: _Gap) -> float:
    """How far ``word`` is from being the mention's event: its distance in words, more for
    a word after the mention, for a noun, outside the mention's clause, or across a comma,
    a conjunction or a quotation mark ("in the third quarter, reflecting ..."; "..., he
    said"), unless the mention opens the sentence in a phrase of its own ("In trading
    Friday, shares closed ..."). A noun the mention modifies costs nothing. ``gap`` is the
    text between the word and the mention, with its number of words and its marks."""
    span = word.span
    if word.kind == "modified":  # "Wednesday's meeting" before "the handling of Wednesday's"
        return MODIFIED_COST + (span.end <= mention.start) * 0.5
    if word.kind == "weak":
        return WEAK_COST
    before = span.end <= mention.start
    cost = float(gap.words)
    if not before:
        cost += AFTER_COST
    if word.kind == "noun":
        cost += NOUN_COST
    if word.span.text.endswith("ing"):
        cost += ING_COST
    if not (clause.start <= span.start and span.end <= clause.end):
        cost += OTHER_CLAUSE_COST
    if fronted:  # "In trading Friday, shares closed ...": the event is the main clause's
        return cost - AFTER_COST if not before else cost + SEPARATED_COST
    # a comma or quotation mark between a word and the mention puts them in different phrases
    if gap.comma or gap.quote or (not before and gap.separated):
        cost += SEPARATED_COST
    return cost
