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
for") are never candidates.

Each anchor carries a headline an editor keeps (:func:`_headline`): the part of the sentence
that holds the mention and its trigger, from its first word (no stray quote mark, dash or
leading number of an apposition: "Ana Ruiz, 63, retired"), with the subject a clause
without one borrows from its sentence (", and on Friday announced": "The company on Friday
announced"; "Iran, which had condemned": "Iran had condemned"), with every word that
changes the meaning ("Before", "not", "since"; only joiners such as "and" or "that" are
dropped), cut at ``HEADLINE_WORDS`` words at a word (no dangling "to …" or quote mark).
``benchmarks/headlines.py`` counts the headlines that break these rules.

The words are data (``words.tsv``); this module knows their classes, not the words.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from lemminflect import getAllLemmas

from ..errors import RuleFileError
from ..tagger.context import sentence_bounds
from ..tagger.model import Mention
from ..tagger.rulefiles import read_table
from .linking import Model, default_event_model, default_model

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")  # noqa: RUF001
# A clause ends at a semicolon or a dash: the word patterns that end one are in words.tsv.
CLAUSE_PUNCTUATION = r";|\s--?\s|\s[–—]\s"  # noqa: RUF001
HEADLINE_WORDS = 14
# The most words a headline runs past its length for a word that changes the meaning of
# what follows ("not …": "not resign …").
MEANING_WORDS = 3
# The most words a headline borrows for its subject.
SUBJECT_WORDS = 8
# A comma inside a number ("1,500"): no place to cut a phrase.
NUMBER_COMMA = re.compile(r"\d,\d")
# What divides a sentence into the stretches its subject is looked for in: a comma that is
# not inside a number, a semicolon, a colon or a dash.
SEGMENT_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[;:]|\s-+\s|\s[–—_]\s")  # noqa: RUF001
# The quote marks and brackets a headline keeps only in pairs.
PAIRED = re.compile(r"``|''|[\"“”()\[\]]")
OPENING_MARKS = frozenset({"``", "“", "(", "["})
SYMMETRIC_MARKS = frozenset({'"', "''"})
PARTNER = {"``": "''", "“": "”", "(": ")", "[": "]", '"': '"', "''": "''"}
# What may end a headline though it is punctuation: a closing mark (left only in pairs), a
# percent sign, a question or exclamation mark.
CLOSING = frozenset(")]”’'\"%?!")  # noqa: RUF001
# The last word of an abbreviation, whose full stop stays ("U.S.", "a.m.").
ABBREVIATION = re.compile(r"\w\.\w+\.$")
# How far after "after" or "until" a verb may come for the word to open a clause.
FOLLOWING_CHARS = 40
# What makes a candidate trigger a worse one than its distance in words says.
MODIFIED_COST = 0.0
WEAK_COST = 50.0
ING_COST = 1.0
AFTER_COST = 2.0
NOUN_COST = 2.0
OTHER_CLAUSE_COST = 4.0
SEPARATED_COST = 12.0
# A comma or quotation mark between a word and the mention puts them in different phrases.
SEPARATOR = re.compile(r"[,\"“”]|''|``")
COMMA = re.compile(",")
STRONG_SEPARATOR = re.compile(r"[;:]|--| _ ")
QUOTE = re.compile(r"[\"“”]|''|``")
CONJUNCTION = re.compile(r"\b(?:and|but|or)\b")
RELATIVE = re.compile(r"\b(?:that|which|who)\b")
# Between two words coordinated: a conjunction, perhaps after a comma, and up to two words.
COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|or|but)\s+(?:\w+\s+){0,2}")
# A mention that ends an opening phrase: "In composite trading Friday, ...".
FRONTED_END = re.compile(r"\s*,")
# Between a mention and the noun it modifies: nothing, "'s", or up to two words.
MODIFIES = re.compile(r"(?:['’]s)?\s+(?:[^\W\d_]+\s+){0,2}")  # noqa: RUF001


@functools.cache
def patterns() -> dict[str, re.Pattern[str]]:
    """The regexes built from ``words.tsv``: where clauses break, what separates a later word
    from the mention, and the prepositions that tie a noun to a mention after it."""
    classes = word_classes()

    def words(name: str) -> str:
        return "|".join(sorted(classes[name], key=len, reverse=True))

    return {
        "clause": re.compile(
            rf"{CLAUSE_PUNCTUATION}|,\s+(?:{words('clause_after_comma')})\b"
            rf"|\b(?:{words('subordinator')})\s",
            re.IGNORECASE,
        ),
        "after": re.compile(rf"\b(?:{words('after_separator')})\b", re.IGNORECASE),
        "of": re.compile(
            rf"\s+({words('of_link')}|{words('on_link')})\s+(?:the\s+)?", re.IGNORECASE
        ),
    }


@dataclass(frozen=True)
class Span:
    """A stretch of the article's text: ``text[start:end]``."""

    start: int
    end: int
    text: str


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
    """Load the word lists and the inflection lexicon now (half a second), not on the first
    article a server or scheduler anchors."""
    word_classes()
    patterns()
    fixed_phrases()
    verb_reading("said")
    default_model()
    default_event_model()


@functools.cache
def word_classes() -> dict[str, frozenset[str]]:
    """The classes of ``words.tsv``: class name to its words (lower case)."""
    _, rows = read_table("words.tsv", __package__ or "timeline.events", "")
    classes: dict[str, set[str]] = {}
    for row in rows:
        if not row["class"] or not row["words"]:
            raise RuleFileError(f"words.tsv:{row.line}: expected class<TAB>words")
        classes.setdefault(row["class"], set()).update(row["words"].split())
    return {name: frozenset(words) for name, words in classes.items()}


@functools.lru_cache(maxsize=50_000)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """The lemmas of the lower-case ``word`` by part of speech, from lemminflect (cached:
    lemminflect copies its answer on every call). Callers must not change the dict."""
    return {pos: tuple(found) for pos, found in getAllLemmas(word).items()}


@functools.lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """The lemma of a lower-case word (its verb lemma first: "clashed" -> "clash")."""
    found = lemmas(word)
    for pos in ("VERB", "NOUN", "ADJ", "AUX"):
        if pos in found:
            return str(found[pos][0])
    return word


@functools.lru_cache(maxsize=50_000)
def verb_reading(word: str) -> str | None:
    """How the lower-case ``word`` can be read as a verb: ``"verb"`` when it can only be one
    or is an inflected form that is not a plural ("said", "fell", "closed"), ``"maybe"``
    when it can also be a noun or adjective ("attack", "seats", "slow"), else ``None``."""
    found = lemmas(word)
    verbs = found.get("VERB", ()) + found.get("AUX", ())
    if not verbs:
        return None
    if set(found) <= {"VERB", "AUX"}:
        return "verb"
    if any(lemma != word for lemma in verbs) and not word.endswith("s"):
        return "verb"
    return "maybe"


def anchor_events(
    text: str,
    mentions: Sequence[Mention],
    model: Model | None = None,
    events: Model | None = None,
) -> list[Anchor]:
    """The event anchor of every mention, in the order of ``mentions``."""
    taken = [(m.start, m.end) for m in mentions]
    return [anchor_event(text, m, taken, model, events) for m in mentions]


def anchor_event(
    text: str,
    mention: Mention,
    taken: Sequence[tuple[int, int]] = (),
    model: Model | None = None,
    events: Model | None = None,
) -> Anchor:
    """The anchor of one mention; ``taken`` are the extents of all time references, whose
    words are never triggers. ``model`` is the link model and ``events`` the event model
    (:mod:`.linking`; their files by default)."""
    model = model or default_model()
    left, right = sentence_bounds(text, mention.start, mention.end)
    sentence = _span(text, left, right)
    clause = _clause(text, left, right, mention)
    scored = sorted(
        (
            (model.probability(features), -word.span.start, word.span)
            for word, features in _pairs(text, mention, taken, events, left, right, clause)
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
        _headline(
            text, _phrase(text, sentence, clause, mention, trigger, taken), mention, sentence, taken
        ),
        also,
    )


@dataclass(frozen=True)
class _Word:
    """A candidate trigger: its span, ``verb`` or ``noun``, and its place among the words."""

    span: Span
    kind: str
    index: int


def _span(text: str, start: int, end: int) -> Span:
    """``text[start:end]`` without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def _clause(text: str, left: int, right: int, mention: Mention | Span) -> Span:
    """The clause of the sentence ``text[left:right]`` that holds the mention (or another
    stretch of it, such as a trigger). A preposition that can open a clause ("after",
    "until") opens one only when a verb follows it ("after they launched", not "after the
    upcoming Eid al-Adha")."""
    start, end = left, right
    for m in patterns()["clause"].finditer(text, left, right):
        if m.group().strip().lower() in word_classes()["preposition"] and not _verb_follows(
            text, m.end(), right
        ):
            continue
        if m.end() <= mention.start:
            comma = text[m.start()] == ","
            start = m.end() if text[m.start()] in ";-–—" else m.start() + comma  # noqa: RUF001
        elif m.start() >= mention.end:
            end = m.start()
            break
    return _span(text, start, end)


def _verb_follows(text: str, start: int, right: int) -> bool:
    """Whether a verb comes within a few words after ``start``, before any punctuation."""
    for m in WORD.finditer(text, start, right):
        if m.start() - start > FOLLOWING_CHARS or re.search(r"[,;:.]", text[start : m.start()]):
            return False
        if verb_reading(m.group().lower()) == "verb":
            return True
    return False


def _candidates(
    text: str,
    every: Sequence[re.Match[str]],
    taken: Sequence[tuple[int, int]],
    mention: Mention,
) -> list[_Word]:
    """The words of a sentence (``every``, its words in order) that can name an event;
    ``taken`` are the extents of the sentence's time references."""
    classes = word_classes()
    found: list[_Word] = []
    first = every[0].start() if every else 0
    for i, token in enumerate(every):
        if any(s < token.end() and token.start() < e for s, e in taken):
            continue  # a word of a time reference
        word = token.group().lower()
        previous = every[i - 1].group().lower() if i else ""
        if word in classes["never"]:
            found.append(_Word(Span(token.start(), token.end(), token.group()), "weak", i))
            continue  # "has been a hot spot": only where nothing else can be the event
        if word in classes["not_event"]:
            continue
        if word in classes["period_link"] and _in_mention(taken, every, i - 1):
            continue  # "the quarter ended Sept. 30": part of the time reference's phrase
        span = Span(token.start(), token.end(), token.group())
        if token.start() != first and token.group()[0].isupper():
            continue  # a name ("the United States")
        role = _role(text, token, mention)
        head = i + 1 >= len(every) or not lemmas(every[i + 1].group().lower()).get("NOUN")
        if role == "before" and not head:
            role = ""  # "a Sunday night memorial service": the compound's last noun is its head
        if role and is_event_noun(word, with_suffix=role != "on"):
            found.append(_Word(span, "modified", i))  # "the 1956 uprising", "crimes of 1998"
            continue
        if word in classes["state"]:
            found.append(_Word(span, "verb", i))  # "due March 1": a state until then
            continue
        reading = verb_reading(word)
        after_determiner = previous in classes["determiner"] or previous.endswith(
            ("'s", "’s")  # noqa: RUF001
        )
        if after_determiner:
            if is_event_noun(word):
                found.append(_Word(span, "noun", i))  # "the talks", "Friday's ruling"
            continue  # any other word after a determiner is a thing ("the doctor")
        verbal = previous in classes["verb_context"] and word not in classes["function"]
        if reading == "maybe" and not verbal:
            reading = None  # "seats", "slow", "power": a verb only after "to", "will", "they"
        if reading is None:
            if is_event_noun(word):
                found.append(_Word(span, "noun", i))
            continue
        if word in classes["auxiliary"] and any(
            verb_reading(t.group().lower()) == "verb" or t.group().lower() in classes["never"]
            for t in every[i + 1 : i + 3]
        ):
            continue  # "had fallen": the event is the verb that follows
        found.append(_Word(span, "verb", i))
    return found


def _others(
    text: str,
    every: Sequence[re.Match[str]],
    found: Sequence[_Word],
    taken: Sequence[tuple[int, int]],
) -> list[_Word]:
    """The words of the sentence that are not candidates but could still be read as naming
    an event ("the process", "the creation", "ended"): every word that the lexicon knows and
    that is no function word, no determiner and no part of a time reference. The link model
    weighs them with what it knows of them (their parts of speech, a capital, an ending)."""
    classes = word_classes()
    have = {w.span.start for w in found}
    others = []
    for i, token in enumerate(every):
        word = token.group().lower()
        if token.start() in have or word in classes["function"] or word in classes["determiner"]:
            continue
        if any(s < token.end() and token.start() < e for s, e in taken) or not lemmas(word):
            continue
        others.append(_Word(Span(token.start(), token.end(), token.group()), "other", i))
    return others


@dataclass(frozen=True)
class _Token:
    """What the link model sees of a word whatever the time reference: its lower case,
    lemma, parts of speech, the words beside it and how likely it names an event."""

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
        self.every = list(WORD.finditer(text, left, right))
        self.events = events
        self.fixed = _in_fixed_phrase(self.every)
        self._tokens: dict[int, _Token] = {}

    def token(self, i: int) -> _Token:
        """What the link model sees of the ``i``-th word."""
        if i not in self._tokens:
            every = self.every
            word = every[i].group().lower()
            found = lemmas(word)
            previous = every[i - 1].group().lower() if i else ""
            following = every[i + 1].group().lower() if i + 1 < len(every) else ""
            self._tokens[i] = _Token(
                word=word,
                lemma=lemma(word),
                pos="+".join(sorted(found)),
                suffix=_has_suffix(found),
                capital=every[i].group()[0].isupper(),
                previous=previous,
                previous_class=_word_class(previous),
                following=following,
                next_class=_next_class(following),
                eventness=self.events.probability(word_features(every, i)),
            )
        return self._tokens[i]


@functools.cache
def fixed_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The ``fixed`` expressions of ``words.tsv`` ("in return for"), as their words, by
    their first word."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in word_classes()["fixed"]:
        words = tuple(phrase.split("_"))
        found.setdefault(words[0], []).append(words)
    return {first: tuple(phrases) for first, phrases in found.items()}


def _in_fixed_phrase(every: Sequence[re.Match[str]]) -> frozenset[int]:
    """The places of the words of ``every`` that are part of a fixed expression: none of them
    is ever the event ("offered a truce in return for food")."""
    lowered = [w.group().lower() for w in every]
    inside: set[int] = set()
    for i, word in enumerate(lowered):
        for phrase in fixed_phrases().get(word, ()):
            if tuple(lowered[i : i + len(phrase)]) == phrase:
                inside.update(range(i, i + len(phrase)))
    return frozenset(inside)


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
    left, right = sentence_bounds(text, mention.start, mention.end)
    return _pairs(text, mention, taken, events, left, right, _clause(text, left, right, mention))


def _pairs(
    text: str,
    mention: Mention,
    taken: Sequence[tuple[int, int]],
    events: Model | None,
    left: int,
    right: int,
    clause: Span,
) -> list[tuple[_Word, dict[str, float]]]:
    """:func:`link_features`, for the mention's sentence ``text[left:right]`` and its
    ``clause`` as the caller found them."""
    events = events or default_event_model()
    sentence = _sentence(text, left, right, events)
    every = sentence.every
    here = [(s, e) for s, e in taken if s < right and left < e]
    words = [w for w in _candidates(text, every, here, mention) if w.index not in sentence.fixed]
    fronted = not any(
        w.kind == "verb" and w.span.end <= mention.start and not w.span.text.endswith("ing")
        for w in words
    ) and bool(FRONTED_END.match(text, mention.end))
    words += [w for w in _others(text, every, words, here) if w.index not in sentence.fixed]
    costed = sorted(
        (
            (_cost(text, w, mention, clause, fronted), w.span.start > mention.start, w)
            for w in words
        ),
        key=lambda c: c[:2],
    )
    if not costed:
        return []
    best, top = costed[0][0], costed[0][2]
    before_mention = WORD.findall(text, left, mention.start)
    opening = before_mention[-1].lower() if before_mention else ""
    kind_of_mention = mention.type
    reporting = word_classes()["reporting"]
    period_link = word_classes()["period_link"]
    # The candidates in text order (they never overlap), to count those between two places.
    ordered = sorted(words, key=lambda x: x.span.start)
    starts = [x.span.start for x in ordered]
    ends = [x.span.end for x in ordered]
    verbs = [0]
    for x in ordered:
        verbs.append(verbs[-1] + (x.kind == "verb"))
    quotes = [m.end() for m in QUOTE.finditer(text, left, right)]
    result = []
    for rank, (cost, _, w) in enumerate(costed):
        before = w.span.end <= mention.start
        low, high = (w.span.end, mention.start) if before else (mention.end, w.span.start)
        between = text[low:high]
        first_inside = bisect.bisect_left(starts, low)
        after_inside = max(first_inside, bisect.bisect_right(ends, high))
        inside = after_inside - first_inside
        verbs_inside = verbs[after_inside] - verbs[first_inside]
        distance = len(WORD.findall(between))
        token = sentence.token(w.index)
        side = "before" if before else "after"
        features = {
            "cost": min(cost, 60.0) / 10,
            "log_cost": math.log1p(max(cost, 0.0)),
            "gap": min(cost - best, 60.0) / 10,
            "rank": min(rank, 10) / 5,
            f"rank={min(rank, 4)}|{side}": 1.0,
            f"kind={w.kind}|{side}": 1.0,
            f"distance={_bucket(distance)}|{side}": 1.0,
            "log_distance": math.log1p(distance),
            f"verbs_between={min(verbs_inside, 3)}|{side}": 1.0,
            "candidates_between": min(inside, 10) / 5,
            "in_clause": float(clause.start <= w.span.start and w.span.end <= clause.end),
            f"separators={_separators(between)}|{side}": 1.0,
            "semicolon_between": float(bool(STRONG_SEPARATOR.search(between))),
            "ing": float(token.word.endswith("ing")),
            "ed": float(token.word.endswith("ed")),
            "reporting": float(token.lemma in reporting),
            f"lemma={token.lemma}": 1.0,
            f"lemma={token.lemma}|{side}": 1.0,
            f"previous={token.previous}": 1.0,
            f"previous_class={token.previous_class}|{w.kind}": 1.0,
            f"next={token.following}": 1.0,
            f"next_class={token.next_class}": 1.0,
            f"opening={opening}|{side}": 1.0,
            f"opening={opening}|{kind_of_mention}": 1.0,
            f"mention_type={kind_of_mention}": 1.0,
            "fronted": float(fronted),
            "first_word": float(w.index == 0),
            "sentence_length": len(every) / 50,
            "adjacent": float(distance == 0),
            "in_quotation": float(bisect.bisect_right(quotes, w.span.start) % 2 == 1),
            f"time_between={any(low <= s and e <= high for s, e in here)}|{side}": 1.0,
            "nearer_another_time": float(_nearer_another(text, w.span, mention, here)),
            f"pos={token.pos}|{w.kind}": 1.0,
            f"suffix={token.suffix}|{w.kind}": 1.0,
            f"capital={token.capital}|{w.kind}": 1.0,
            f"period_link={token.word in period_link}|{side}": 1.0,
            "eventness": token.eventness,
            f"eventness={int(token.eventness * 5)}|{w.kind}": 1.0,
            f"eventness={int(token.eventness * 5)}|{side}": 1.0,
        }
        if w is not top:
            first, second = sorted((top.span, w.span), key=lambda s: s.start)
            features[f"coordinated_with_cheapest|{top.kind}"] = float(
                bool(COORDINATED.fullmatch(text[first.end : second.start]))
            )
            features["cheapest_between"] = float(
                top.span.start > min(w.span.start, mention.start)
                and top.span.end < max(w.span.end, mention.end)
            )
            features[f"cheapest_kind={top.kind}"] = 1.0
            features["cheapest_reporting"] = float(sentence.token(top.index).lemma in reporting)
        result.append((w, features))
    return result


def word_features(every: Sequence[re.Match[str]], i: int) -> dict[str, float]:
    """The features of the event model (:mod:`.linking`) for ``every[i]``, a word of a
    sentence whose words are ``every``: the word, its lemma, its last letters, its parts of
    speech, how it reads as a verb and whether it is an event noun, a capital or a digit,
    and the words before and after it with their parts of speech."""
    text = every[i].group()
    word = text.lower()
    found = lemmas(word)
    previous = every[i - 1].group().lower() if i else "<s>"
    following = every[i + 1].group().lower() if i + 1 < len(every) else "</s>"
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


def _bucket(distance: int) -> str:
    """A distance in words, in the steps the model tells apart."""
    for top, name in ((0, "0"), (1, "1"), (2, "2"), (4, "3-4"), (7, "5-7")):
        if distance <= top:
            return name
    return "8+"


def _separators(between: str) -> str:
    """Which of a comma, a quotation mark, a conjunction and a relative word lie between."""
    return "".join("1" if p.search(between) else "0" for p in (COMMA, QUOTE, CONJUNCTION, RELATIVE))


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
    text: str, span: Span, mention: Mention, times: Sequence[tuple[int, int]]
) -> bool:
    """Whether another time reference of the sentence is fewer words away from ``span``."""

    def gap(start: int, end: int) -> int:
        if start < span.end and span.start < end:
            return 0
        low, high = (span.end, start) if span.end <= start else (end, span.start)
        return len(WORD.findall(text, low, high))

    others = [(s, e) for s, e in times if (s, e) != (mention.start, mention.end)]
    if not others:
        return False
    own = gap(mention.start, mention.end)
    return any(gap(s, e) < own for s, e in others)


def _in_mention(taken: Sequence[tuple[int, int]], words: Sequence[re.Match[str]], i: int) -> bool:
    """Whether ``words[i]`` is part of a time reference."""
    return 0 <= i < len(words) and any(
        s < words[i].end() and words[i].start() < e for s, e in taken
    )


def _role(text: str, token: re.Match[str], mention: Mention) -> str:
    """How the mention modifies the noun ``token``: ``"before"`` when it comes right before it
    ("the Friday explosions", "this year's election", "a daily public rally"), ``"of"`` when
    it follows it after "of" ("the disasters of this century"), ``"on"`` after "on" or "in"
    ("the attacks on September 11"); else ``""``."""
    if token.start() >= mention.end:
        gap = MODIFIES.fullmatch(text, mention.end, token.start())
        between = WORD.findall(text, mention.end, token.start())
        function = word_classes()["function"]
        if gap is None or any(
            w[0].isupper() or w.lower() in function or verb_reading(w.lower()) == "verb"
            for w in between
        ):
            return ""  # "Friday at the meeting", "the latest period had profit": no modifier
        return "before"
    tie = patterns()["of"].fullmatch(text, token.end(), mention.start)
    if tie is None:
        return ""
    return "of" if tie.group(1).lower() in word_classes()["of_link"] else "on"


@functools.lru_cache(maxsize=50_000)
def is_event_noun(word: str, with_suffix: bool = False) -> bool:
    """Whether the lower-case ``word`` is a noun that names something that happens: one of
    ``noun_event`` (by its singular), or with ``with_suffix`` any noun made from a verb."""
    classes = word_classes()
    nouns = lemmas(word).get("NOUN", ())
    if word in classes["noun_event"] or any(n in classes["noun_event"] for n in nouns):
        return True
    return with_suffix and any(n.endswith(tuple(classes["event_suffix"])) for n in nouns)


def _cost(text: str, word: _Word, mention: Mention, clause: Span, fronted: bool) -> float:
    """How far ``word`` is from being the mention's event: its distance in words, more for
    a word after the mention, for a noun, outside the mention's clause, or across a comma,
    a conjunction or a quotation mark ("in the third quarter, reflecting ..."; "..., he
    said"), unless the mention opens the sentence in a phrase of its own ("In trading
    Friday, shares closed ..."). A noun the mention modifies costs nothing."""
    span = word.span
    if word.kind == "modified":  # "Wednesday's meeting" before "the handling of Wednesday's"
        return MODIFIED_COST + (span.end <= mention.start) * 0.5
    if word.kind == "weak":
        return WEAK_COST
    before = span.end <= mention.start
    between = text[span.end : mention.start] if before else text[mention.end : span.start]
    cost = float(len(WORD.findall(between)))
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
    if SEPARATOR.search(between) or (not before and patterns()["after"].search(between)):
        cost += SEPARATED_COST
    return cost


def _phrase(
    text: str,
    sentence: Span,
    clause: Span,
    mention: Mention,
    trigger: Span | None,
    taken: Sequence[tuple[int, int]],
) -> Span:
    """The part of the sentence that holds both the mention and its trigger: their clauses
    (:func:`_clause`; "The fleet would not reach the port until May 1905" for "May 1905" and
    "reach"), cut at the commas outside them, outside every time reference and outside
    numbers ("1,500") ("After the attacks on September 11, 2001, in the invasion ..., troops
    have been stationed for 20 years" keeps "troops have been stationed for 20 years" for
    "20 years"), except before a trigger that opens its part ("The negotiators, meeting in
    Doha, agreed on Friday" keeps its subject), and with a word that changes the meaning
    right before it ("not until Tuesday")."""
    first = min(mention.start, trigger.start) if trigger else mention.start
    last = max(mention.end, trigger.end) if trigger else mention.end
    start, end = clause.start, clause.end
    if trigger and not (clause.start <= trigger.start and trigger.end <= clause.end):
        own = _clause(text, sentence.start, sentence.end, trigger)
        start, end = min(start, own.start), max(end, own.end)
    base = start
    for m in re.finditer(r",", text[start:end]):
        at = base + m.start()
        if any(s <= at < e for s, e in taken) or NUMBER_COMMA.match(text, max(at - 1, 0)):
            continue  # the comma of "September 11, 2001" or of "1,500"
        if at < first:
            if trigger and not WORD.search(text, at + 1, trigger.start):
                continue  # "..., agreed on Friday": the subject is before the comma
            start = at + 1
        elif at >= last:
            end = at
            break
    return _span(text, _with_meaning_word(text, sentence.start, start), end)


def _with_meaning_word(text: str, left: int, start: int) -> int:
    """Where a phrase that begins at ``start`` begins with the word before it when that word
    changes its meaning ("not until Tuesday"), else ``start``."""
    before = list(WORD.finditer(text, max(left, start - FOLLOWING_CHARS), start))
    if not before or text[before[-1].end() : start].strip():
        return start
    return before[-1].start() if before[-1].group().lower() in word_classes()["meaning"] else start


def _headline(
    text: str, phrase: Span, mention: Mention, sentence: Span, taken: Sequence[tuple[int, int]]
) -> str:
    """The phrase as a short headline an editor keeps (:func:`_headline_words`): its first
    ``HEADLINE_WORDS`` words (with an ellipsis when there are more), ending at a word, with
    no quote mark or bracket left unpaired and a capital first letter."""
    words = _headline_words(text, phrase, mention, sentence, taken)
    kept = _cut(words)
    cut = len(kept) < len(words)
    headline = _trimmed(_unpaired(" ".join(_ending(kept, cut)))) or phrase.text
    headline = headline[:1].upper() + headline[1:]
    return headline + " …" if cut else headline


def _headline_words(
    text: str, phrase: Span, mention: Mention, sentence: Span, taken: Sequence[tuple[int, int]]
) -> list[str]:
    """The words of the phrase's headline: from its first word, past stray punctuation, the
    joiner that ties it to what comes before (``joiner`` in ``words.tsv``: "that", "and";
    never a word that changes the meaning, "Before", "not") and an apposition it opens with
    ("63, retired"); with the subject of its sentence when it opens with a verb
    (:func:`_subject`), but after a joiner that is no ``coordinator`` or ``relative`` word
    the joiner stays instead ("When asked Thursday", not "Holder asked Thursday")."""
    start, joiner = _opening(text, phrase, mention)
    if start >= phrase.end:
        start, joiner = phrase.start, None
    start = _past_apposition(text, start, phrase.end, mention, sentence.start, taken)
    own = Span(start, phrase.end, text[start : phrase.end])
    verb = _first_verb(text, own, sentence.start, taken)
    if verb is None:
        return own.text.split()
    classes = word_classes()
    if joiner and joiner.group().lower() not in classes["coordinator"] | classes["relative"]:
        return text[joiner.start() : phrase.end].split()
    subject = _subject(text, sentence, own, verb, joiner, taken)
    if subject is None:
        return own.text.split()
    if verb.start() == own.start:  # "Elian rescued on Nov. 25"
        own = Span(own.start, own.end, own.text[:1].lower() + own.text[1:])
    return text[subject.start : subject.end].split() + own.text.split()


def _opening(text: str, phrase: Span, mention: Mention) -> tuple[int, re.Match[str] | None]:
    """Where the headline of ``phrase`` begins: at its first word, past punctuation and past
    the joiners that open it (not one that begins the mention, nor its last word), and the
    last joiner passed, if any."""
    classes = word_classes()
    at, joiner = phrase.start, None
    while True:
        at = _past_punctuation(text, at, phrase.end)
        word = WORD.match(text, at, phrase.end)
        if word is None or at == mention.start or not WORD.search(text, word.end(), phrase.end):
            return at, joiner
        lowered = word.group().lower()
        if lowered not in classes["joiner"] or lowered in classes["meaning"]:
            return at, joiner
        at, joiner = word.end(), word


def _past_apposition(
    text: str,
    start: int,
    end: int,
    mention: Mention,
    left: int,
    taken: Sequence[tuple[int, int]],
) -> int:
    """Where a phrase that begins at ``start`` begins past the end of an apposition it opens
    with: a stretch up to a comma that holds no verb and not the mention, when a verb
    follows the comma ("63, retired on Wednesday" of "Ana Ruiz, 63, retired on Wednesday");
    else ``start``."""
    segments = _segments(text, start, end, taken)
    if len(segments) < 2 or _last_clause(text, segments[:1], left) is not None:
        return start
    if segments[0][0] < mention.end and mention.start < segments[0][1]:
        return start
    following = WORD.match(text, segments[1][0])
    return segments[1][0] if following and _is_finite(following, left) else start


def _past_punctuation(text: str, at: int, end: int) -> int:
    """The first place from ``at`` that is neither white space nor punctuation."""
    while at < end and (text[at].isspace() or unicodedata.category(text[at]).startswith("P")):
        at += 1
    return at


def _first_verb(
    text: str, phrase: Span, left: int, taken: Sequence[tuple[int, int]]
) -> re.Match[str] | None:
    """The verb ``phrase`` opens with, past its adverbs ("also"), its time references
    ("today", not a subject such as "the second quarter") and the prepositions before them
    ("Was asked today", "On Friday announced", "Also increasing"); ``None`` when it opens
    with anything else: a subject, a name, a joiner, an -ing form that is a subject itself
    ("Fighting erupted") or follows a determiner ("Friday's ruling"), a fixed expression."""
    classes = word_classes()
    prepositions = classes["function"] - classes["determiner"]
    tokens = list(WORD.finditer(text, phrase.start, phrase.end))
    fixed = _in_fixed_phrase(tokens)
    after_preposition = False
    for i, token in enumerate(tokens):
        word = token.group().lower()
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if _in_time(token, taken) and (after_preposition or word not in classes["determiner"]):
            continue  # "today", "on Friday"
        if word in prepositions and following is not None and _in_time(following, taken):
            after_preposition = True
            continue  # "on" of "on Friday"
        if _is_adverb(word):
            continue  # "also", "never"
        if i in fixed or not _is_verb(token, left):
            return None
        if following is not None and token.group()[0].isupper() and following.group()[0].isupper():
            return None  # a name: "Consolidated Freightways"
        if word.endswith("ing") and _noun_reading(tokens, i):
            return None
        return token
    return None


def _noun_reading(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """Whether the -ing form ``tokens[i]`` is a noun: after a determiner or a possessive
    ("Friday's ruling"), or the subject of the verb after it ("Fighting erupted")."""
    classes = word_classes()
    word = tokens[i].group().lower()
    if word in classes["never"] or word in classes["auxiliary"]:
        return False  # "having broken", "being held"
    previous = tokens[i - 1].group().lower() if i else ""
    following = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
    return _determines(previous) or _is_verb_word(following)


def _determines(word: str) -> bool:
    """Whether the lower-case ``word`` is a determiner or a possessive ("Friday's")."""
    return word in word_classes()["determiner"] or word.endswith(("'s", "’s"))  # noqa: RUF001


def _is_adverb(word: str) -> bool:
    """Whether the lower-case ``word`` is only an adverb ("also", "recently"), and no
    preposition or word that opens a clause ("in", "when")."""
    classes = word_classes()
    opening = classes["function"] | classes["clause_after_comma"] | classes["subordinator"]
    return set(lemmas(word)) == {"ADV"} and word not in opening


def _in_time(token: re.Match[str], taken: Sequence[tuple[int, int]]) -> bool:
    """Whether the word ``token`` is part of a time reference."""
    return any(s < token.end() and token.start() < e for s, e in taken)


def _is_verb(token: re.Match[str], left: int) -> bool:
    """Whether the word ``token`` reads as a verb form and is no name: a capital past the
    sentence's first word (``left`` is where the sentence begins) makes it a name."""
    first = not WORD.search(token.string, left, token.start())
    return (first or not token.group()[0].isupper()) and _is_verb_word(token.group().lower())


def _is_finite(token: re.Match[str], left: int) -> bool:
    """Whether the word ``token`` is a verb form that can have a subject (no -ing form)."""
    return _is_verb(token, left) and not token.group().lower().endswith("ing")


def _verb_at(words: Sequence[re.Match[str]], i: int, left: int) -> bool:
    """Whether ``words[i]`` is the verb of a clause: a form that can have a subject and does
    not describe a noun after a determiner ("a retired nurse", "the most wanted list"), or a
    word the lexicon also reads as a noun, right before a determiner or a number ("The
    company cut 300 jobs")."""
    token = words[i]
    following = words[i + 1].group().lower() if i + 1 < len(words) else ""
    if verb_reading(token.group().lower()) == "maybe" and not token.group()[0].isupper():
        return following in word_classes()["determiner"] or following[:1].isdigit()
    return _is_finite(token, left) and not _describes(words, i)


def _describes(words: Sequence[re.Match[str]], i: int) -> bool:
    """Whether ``words[i]`` follows a determiner, perhaps past a word that is no noun or verb
    ("the retired", "the most wanted")."""
    previous = words[i - 1].group().lower() if i else ""
    if _determines(previous):
        return True
    if i < 2 or {"NOUN", "VERB"} & set(lemmas(previous)):
        return False
    return _determines(words[i - 2].group().lower())


def _is_verb_word(word: str) -> bool:
    """Whether the lower-case ``word`` reads as a verb form: a form of "be" or "have", a
    modal, or a word the lexicon reads only as a verb or as an inflected one ("said"), but
    for the words that never name an event ("according", "including")."""
    classes = word_classes()
    if word in classes["never"] or word in classes["auxiliary"]:
        return True
    return word not in classes["not_event"] and verb_reading(word) == "verb"


def _subject(
    text: str,
    sentence: Span,
    phrase: Span,
    verb: re.Match[str],
    joiner: re.Match[str] | None,
    taken: Sequence[tuple[int, int]],
) -> Span | None:
    """The subject a phrase that opens with a verb borrows from its sentence: after a
    relative word (``relative``: "Iran, which had condemned") the noun before it; after
    another joiner (", and on Friday announced") the sentence's subject; after stretches
    set off by commas or dashes the noun before them ("Farkas, an air force captain, was
    sent": "Farkas"; "records show Lazaro Gonzalez, 49, was found": "Lazaro Gonzalez"), and
    right after a clause that clause's subject ("The Germans launched an offensive in
    January, pushing ..."), looking past clauses without a subject of their own ("The offer,
    advertised in today's papers, is due to expire"); a phrase that opens the sentence
    takes the subject after it ("Rescued on Nov. 25, Elian has become ...")."""
    if joiner is not None and joiner.group().lower() in word_classes()["relative"]:
        return _noun_before(text, sentence.start, joiner.start(), taken)
    segments = _segments(text, sentence.start, joiner.start() if joiner else phrase.start, taken)
    if not segments:
        first = verb.start() == phrase.start
        return _subject_after(text, sentence, phrase.end, taken) if first else None
    if joiner is not None:
        return _sentence_subject(text, segments, taken)
    last: int | None = len(segments)
    while (last := _last_clause(text, segments[:last], sentence.start)) is not None:
        if last < len(segments) - 1 or _verb_after(text, phrase.end, sentence):
            found = _noun_before(text, *segments[last], taken)
        else:
            found = _noun_from(text, segments[last], taken)
        if found is not None or not _without_subject(text, segments[last]):
            return found
    return _sentence_subject(text, segments, taken)


def _segments(
    text: str, left: int, right: int, taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The stretches of ``text[left:right]`` between commas, semicolons, colons and dashes
    that are not part of a number or a time reference, without the white space around them."""
    segments = []
    at = left
    for m in SEGMENT_BREAK.finditer(text, left, right):
        if any(s <= m.start() < e for s, e in taken):
            continue
        segments.append((at, m.start()))
        at = m.end()
    segments.append((at, right))
    spans = (_span(text, s, e) for s, e in segments)
    return [(s.start, s.end) for s in spans if WORD.search(s.text)]


def _last_clause(text: str, segments: Sequence[tuple[int, int]], left: int) -> int | None:
    """The place of the last of ``segments`` that is a clause: one that holds a verb that
    can have a subject and does not open with a relative word ("who arrived ...")."""
    relative = word_classes()["relative"]
    for i in range(len(segments) - 1, -1, -1):
        words = list(WORD.finditer(text, *segments[i]))
        if words[0].group().lower() in relative:
            continue
        if any(_verb_at(words, j, left) for j in range(len(words))):
            return i
    return None


def _without_subject(text: str, segment: tuple[int, int]) -> bool:
    """Whether ``text[segment]`` opens, past its adverbs, with a verb, "to" or a preposition:
    a clause with no subject of its own ("advertised in today's papers", "to be called")."""
    stops = word_classes()["function"] - word_classes()["determiner"]
    for word in WORD.finditer(text, *segment):
        lowered = word.group().lower()
        if not _is_adverb(lowered):
            return lowered in stops or _is_verb(word, segment[0])
    return False


def _verb_after(text: str, end: int, sentence: Span) -> bool:
    """Whether a comma or dash and then a verb follow ``end``, one that is no participle
    ("followed by"): the phrase that ends there is set off between its clause's subject and
    verb ("the Americans, having broken the codes in May, were aware")."""
    mark = SEGMENT_BREAK.match(text, end)
    word = WORD.search(text, mark.end(), sentence.end) if mark else None
    if mark is None or word is None or text[mark.end() : word.start()].strip():
        return False
    return _is_finite(word, sentence.start) and not word.group().endswith("ed")


def _sentence_subject(
    text: str, segments: Sequence[tuple[int, int]], taken: Sequence[tuple[int, int]]
) -> Span | None:
    """The subject of a sentence: the noun that opens its first stretch that opens with no
    preposition, verb or relative word ("In Saudi Arabia, ...", "Rescued on Nov. 25, ...")."""
    for segment in segments:
        found = _noun_from(text, segment, taken)
        if found is not None:
            return found
    return None


def _subject_after(
    text: str, sentence: Span, end: int, taken: Sequence[tuple[int, int]]
) -> Span | None:
    """The subject after a phrase that opens its sentence with a verb ("Rescued on Nov. 25,
    Elian has become ..."): the noun that opens the stretch after it, when a verb follows."""
    mark = SEGMENT_BREAK.match(text, end)
    if mark is None:
        return None
    following = SEGMENT_BREAK.search(text, mark.end(), sentence.end)
    found = _noun_from(text, (mark.end(), following.start() if following else sentence.end), taken)
    verb = WORD.search(text, found.end, sentence.end) if found else None
    return found if verb is not None and _is_finite(verb, sentence.start) else None


def _noun_from(
    text: str, segment: tuple[int, int], taken: Sequence[tuple[int, int]]
) -> Span | None:
    """The words that open ``text[segment]``, past its time references, up to its first verb,
    preposition (but "of") or time reference, when they can be a subject: they open with no
    preposition, verb or relative word, and are at most ``SUBJECT_WORDS``."""
    classes = word_classes()
    stops = classes["function"] - classes["determiner"]
    words = list(WORD.finditer(text, *segment))
    while words and (
        _in_time(words[0], taken)
        or (words[0].group().lower() in stops and len(words) > 1 and _in_time(words[1], taken))
    ):
        words.pop(0)  # "Tomorrow the board ...", "In recent months a group of lenders ..."
    body = [w for w in words if not _is_adverb(w.group().lower())]
    first = body[0] if body else None
    if first is None or first.group().lower() in stops | classes["relative"]:
        return None
    if _is_verb(first, segment[0]):
        return None
    end, size = segment[1], 1  # to its end when nothing stops it: "Ogden Corp."
    last = first
    for i in range(words.index(first) + 1, len(words)):
        word = words[i].group().lower()
        stop = word in stops - classes["of_link"] or _in_time(words[i], taken)
        if stop or _verb_at(words, i, segment[0]):
            end = last.end()  # not past an adverb: "The council never approved"
            break
        size += 1
        last = last if _is_adverb(word) else words[i]
    if size > SUBJECT_WORDS or (size == 1 and first.group().lower() in classes["determiner"]):
        return None
    return _span(text, words[0].start(), end)


def _noun_before(text: str, left: int, right: int, taken: Sequence[tuple[int, int]]) -> Span | None:
    """The noun phrase that ends ``text[left:right]`` (past a comma): its words back to a
    determiner, or to a verb, a preposition, a time reference or a comma before them; at
    most ``SUBJECT_WORDS`` words ("the FBI's most wanted list", "Iran", "Ritter")."""
    classes = word_classes()
    stops = classes["function"] - classes["determiner"] - classes["of_link"]
    end = left + len(text[left:right].rstrip(" ,"))
    words = list(WORD.finditer(text, left, end))
    if words and words[-1].group().lower() in classes["of_link"]:
        return None  # "$14 million of that seeped out": no noun phrase ends there
    kept: list[re.Match[str]] = []
    for i in range(len(words) - 1, max(len(words) - 1 - SUBJECT_WORDS, -1), -1):
        token, word = words[i], words[i].group().lower()
        if kept and SEGMENT_BREAK.search(text, token.end(), kept[-1].start()):
            break
        verb = _verb_at(words, i, left)
        name_ends = bool(kept) and all(w.group()[0].isupper() for w in kept)
        lower = not token.group()[0].isupper() and verb_reading(word) is not None
        if name_ends and lower:
            break  # "records show Lazaro Gonzalez": a name ends at a verb in lower case
        if word in stops or verb or (_in_time(token, taken) and not _is_adverb(word)):
            break  # "with Iran", "attacked towns", "in January"; not "the recently passed law"
        kept.append(token)
        if word in classes["determiner"]:
            break
    while kept and kept[-1].group().lower() in classes["of_link"]:
        kept.pop()  # "of Lewisburg"
    return _span(text, kept[-1].start(), end) if kept else None


def _cut(words: Sequence[str]) -> list[str]:
    """The first ``HEADLINE_WORDS`` words, and when the last of them changes the meaning of
    what follows, the words up to the next that is no function word ("did not …" is "did not
    resign …", "after …" is "after his death …"), at most ``MEANING_WORDS`` more."""
    classes = word_classes()
    small = classes["function"] | classes["determiner"] | classes["dangling"]
    size = min(len(words), HEADLINE_WORDS)
    if size == len(words) or _trimmed(words[size - 1]).lower() not in classes["meaning"]:
        return list(words[:size])
    for extra in range(size, min(len(words), size + MEANING_WORDS)):
        if _trimmed(words[extra]).lower() not in small | classes["meaning"]:
            return list(words[: extra + 1])
    return list(words[:size])


def _ending(words: Sequence[str], cut: bool) -> list[str]:
    """The words without those a headline cannot end on: joiners, and when it is cut short
    function words, determiners and ``dangling`` words ("to …", "the …", "whether …"), but
    never a word that changes the meaning."""
    classes = word_classes()
    endings = classes["joiner"] | classes["clause_after_comma"]
    if cut:
        endings |= classes["function"] | classes["determiner"] | classes["dangling"]
    kept = list(words)
    while len(kept) > 1 and _trimmed(kept[-1]).lower() in endings - classes["meaning"]:
        kept.pop()
    return kept


def _trimmed(headline: str) -> str:
    """``headline`` without white space, and without the punctuation at its end that closes
    nothing (a full stop, a comma, a colon), but for the full stop of an abbreviation
    ("U.S."), a percent sign and a question or exclamation mark."""
    headline = headline.strip()
    while headline and unicodedata.category(headline[-1]).startswith("P"):
        if headline[-1] in CLOSING or ABBREVIATION.search(headline):
            break
        headline = headline[:-1].rstrip()
    return headline


def _unpaired(headline: str) -> str:
    """``headline`` without the quote marks and brackets that have no partner in it: those of
    a quotation the headline cuts into ("'' Adams said", "the talks, “trying to")."""
    unmatched: list[int] = []
    opened: list[tuple[str, int]] = []
    for m in PAIRED.finditer(headline):
        mark = m.group()
        if opened and PARTNER[opened[-1][0]] == mark and not _opens(headline, m.start()):
            opened.pop()
        elif mark in OPENING_MARKS or (mark in SYMMETRIC_MARKS and _opens(headline, m.start())):
            opened.append((mark, m.start()))
        else:
            unmatched.append(m.start())
    unmatched += [at for _, at in opened]
    for at in sorted(unmatched, reverse=True):
        size = 2 if headline.startswith(("``", "''"), at) else 1
        headline = headline[:at] + headline[at + size :]
    return re.sub(r"\s{2,}", " ", headline).strip()


def _opens(headline: str, at: int) -> bool:
    """Whether the straight quote mark at ``at`` opens a quotation: nothing but white space or
    an opening bracket before it, and a word after it."""
    before = headline[at - 1] if at else " "
    after = headline[at + 1] if at + 1 < len(headline) else " "
    return (before.isspace() or before in OPENING_MARKS) and not after.isspace()
