"""What becomes a timeline entry, and of which kind.

The tagger reports every time reference TimeML annotates; the timeline keeps those that
date an event an editor would publish. Not entries (:func:`why_not_entry`):

* a comparison or a measure: "a week later than usual", "quicker than it is today", "the
  trip now takes months";
* the measure of a superlative or an ordinal: "the lowest level in 30 years", "its highest
  since 1945", "the third strike in two years";
* the baseline of a comparison: "compared with $84.9 million a year earlier", "up from 443
  million Thursday", "below the 1987 level";
* the subject of "be" that opens its clause: "Today is a sad day";
* the maturity in the name of a security: "13.5% bonds due 1993";
* a time the event comes before: "ahead of the weekend", "the approach of the year 2000";
* the period of a forecast figure: "had estimated third-quarter earnings of 55 cents";
* the season or year of an outlook in quoted words said in the future: "``We will have a
  flat year this year,'' he says" (:func:`quoted_forecast`);
* a time word that only describes a noun: "current prices";
* a reference to the present ("now", "currently"): it says how things stand as the article
  is written, and a timeline dates events;
* a vague reference as a sentence adverb ("Recently, the company ...") or with no event in
  its sentence;
* a date in a dateline ("BEIJING, August 8 (Xinhua) --"): it dates the article itself;
* the time of a habit, not of one event: "the festival, usually held in mid-October";
* the time of an event a condition supposes: "if the strike lasts beyond mid-March".

An entry's ``kind`` (:func:`kind_of`) is ``reporting`` when its event is the saying of
something ("a spokesman said on Monday": timelines hide these by default), ``state`` when
it holds over a stretch of time ("he was chairman of the board in 1995", "troops have been
stationed for nearly 20 years"), else ``event``. An event or state that the text dates only
vaguely ("recently", "in recent weeks", "for weeks", "in the coming months") is
``background`` (:func:`placed_kind`): a stretch whose ends no one stated is no place on a
timeline an editor would print, so timelines hide these too unless asked for them. So is an
event a relative clause tells in passing of a noun, dated only by a decade ("the vitriol
that the issue aroused in the late 1980s": :func:`in_passing`).

The words are data (``entry_words.tsv``); this module knows their classes, not the words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from itertools import islice, pairwise

from ..tagger.model import Mention
from .anchoring import Anchor
from .quotes import quotation_of, within
from .words import (
    WORD,
    Span,
    class_table,
    is_event_noun,
    lemma,
    lemmas,
    light_words,
    verb_reading,
    word_classes,
)

__all__ = [
    "KINDS",
    "VISIBLE_KINDS",
    "aspect_trigger",
    "in_passing",
    "kind_of",
    "placed_kind",
    "quoted_forecast",
    "since_clause",
    "when_clause",
    "when_trigger",
    "why_not_entry",
]

KINDS = ("event", "state", "reporting", "background")
# What a timeline shows unless asked for more.
VISIBLE_KINDS = ("event", "state")
# How many words may stand between a time reference and the word of its comparison.
COMPARISON_REACH = 3
VAGUE_VALUES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
# How many words may stand between a superlative and "since" before a date ("the first
# strike at the port since 2019"): a phrase of the noun, longer than a comparison's.
SUPERLATIVE_SINCE_REACH = 6
# How many words before a reference a comparison with an earlier figure may begin (figures
# not counted).
BASELINE_REACH = 8
# How many words before "by" and a deadline the word that says its event is not yet done may
# stand.
DEADLINE_REACH = 5
# Punctuation that ends a comparison before a later time reference ("later than planned, on
# Tuesday").
SEPARATOR = re.compile(r"[,;:()]")
# How far a dateline reaches on either side of its date.
DATELINE_CHARS = 120
# How many words after "from" the figure a comparison starts from may stand.
FROM_FIGURE_WORDS = 3
# How far after a verb the figure it reports may begin, past the words that lead one
# ("reported another 30,000 cases").
FIGURE_LEAD_CHARS = 24
# How many words may stand between a word of habit ("usually") and the time reference.
HABITUAL_REACH = 3
# The granularities of the period of an outlook: a day or a time is a plan's date, and a
# quarter a company's reporting period, whose outlook ("will exhibit a further decline in the
# fourth quarter") is its guidance, news an editor keeps.
FORECAST_GRANULARITIES = frozenset({"season", "half-year", "year", "decade", "century"})
# A comma that ends a clause (not one inside a number, "1,500").
CLAUSE_COMMA = re.compile(r",(?!\d)")
# The granularities of a date too coarse for an event told in passing.
PASSING_GRANULARITIES = frozenset({"decade", "century"})
# How many words before a trigger the relative word of its clause may stand.
RELATIVE_REACH = 4
# How many words before a time reference the "since" that opens its clause may stand.
SINCE_REACH = 24
# How many words before an event noun the verb that starts or ends it may stand.
ASPECT_REACH = 10
# What may open a sentence before its first word.
OPENING = re.compile(r"[\s\"'“‘(_-]*")  # noqa: RUF001


def entry_words() -> dict[str, frozenset[str]]:
    """The classes of ``entry_words.tsv``: class name to its words (lower case)."""
    return class_table("entry_words.tsv")


def kind_of(text: str, anchor: Anchor) -> str:
    """``reporting``, ``state`` or ``event``: what the entry of ``anchor`` reports. A
    reporting verb followed by a figure is a change, not a saying ("the index added 12
    points"), and so is one of ``adds_to`` followed by "to" ("the auto makers added to the
    gloom") and one of ``act`` followed by a noun phrase ("Romania declared an epidemic")."""
    words = entry_words()
    mention = anchor.mention
    if mention.type == "DURATION" and mention.interval is None:
        return "state"  # "have been stationed for nearly 20 years": it lasts up to now
    if anchor.trigger is None:
        return "event"  # a holiday, a date that names its own event
    trigger = lemma(anchor.trigger.text.lower())
    end = anchor.trigger.end
    changes = (
        _counts(text, end)
        or (trigger in words["adds_to"] and _followed_by(text, end, "change_link"))
        or (trigger in words["act"] and _object_follows(text, end))
    )
    if trigger in words["reporting"] and not changes and not _reported(text, anchor):
        return "reporting"
    if trigger in words["state"]:
        return "state"
    return "event"


def _reported(text: str, anchor: Anchor) -> bool:
    """Whether the time reference is part of what its reporting verb reports, not the date
    of the saying: right after the verb (or after "that"), it describes the noun that opens
    the report as a compound ("said third-quarter profit fell"). "Said Friday it will" dates
    the saying, and so may "said Friday's talks failed"."""
    trigger, m = anchor.trigger, anchor.mention
    if trigger is None or trigger.end > m.start:
        return False
    between = [w.lower() for w in WORD.findall(text, trigger.end, m.start)]
    if any(w not in word_classes()["function"] for w in between):
        return False
    return "-" in m.text and " " not in m.text


def placed_kind(kind: str, granularity: str) -> str:
    """The kind of an entry of ``kind`` (:func:`kind_of`) placed at a stretch of
    ``granularity``: ``background`` for an event or state dated only vaguely ("recently",
    "in recent weeks"); a reporting entry stays ``reporting``."""
    return "background" if granularity == "vague" and kind != "reporting" else kind


def in_passing(text: str, anchor: Anchor) -> bool:
    """Whether the entry of ``anchor`` tells, dated only by a decade or a century, an event
    of a relative clause that describes a noun ("the vitriol that the issue aroused in the
    late 1980s", "the earning power they lost to inflation in the last decade"): said in
    passing of that noun, a background an editor does not put on a timeline. The subject
    pronouns of a relative clause without "that" are ``subject_pronoun`` of
    ``entry_words.tsv``."""
    m, trigger = anchor.mention, anchor.trigger
    if trigger is None or trigger.end > m.start or m.interval is None:
        return False
    if m.interval.granularity not in PASSING_GRANULARITIES:
        return False
    before = [w.group().lower() for w in WORD.finditer(text, anchor.sentence.start, trigger.start)][
        -RELATIVE_REACH:
    ]
    relative = word_classes()["relative"]
    for i in range(len(before) - 1, 0, -1):
        if before[i] in relative:
            return _is_noun(before[i - 1])  # "the vitriol that the issue aroused"
    pronouns = entry_words()["subject_pronoun"]
    return len(before) >= 2 and before[-1] in pronouns and _is_noun(before[-2])


def _is_noun(word: str) -> bool:
    """Whether a lower-case word reads as a noun and not as a verb ("vitriol", "power")."""
    return "NOUN" in lemmas(word) and verb_reading(word) != "verb"


def _followed_by(text: str, end: int, word_class: str) -> bool:
    """Whether the word after ``end`` is of ``word_class`` of ``entry_words.tsv``."""
    following = WORD.search(text, end)
    return following is not None and following.group().lower() in entry_words()[word_class]


def _object_follows(text: str, end: int) -> bool:
    """Whether a noun phrase follows the word that ends at ``end``: the next word is a
    determiner ("declared a state of emergency"), or a noun, or an adjective and its noun,
    in lower case right after it ("proclaimed independence", "declared martial law"); not
    "declared that ...", "declared he would", "declared on Friday", "declared dead"."""
    following = WORD.search(text, end)
    if following is None:
        return False
    word = following.group()
    lowered = word.lower()
    classes = word_classes()
    if lowered in classes["determiner"]:
        return True
    if text[end : following.start()].strip() or not word.islower():
        return False  # a comma, a quote mark or a name between
    if lowered in classes["function"] | entry_words()["subject_pronoun"]:
        return False
    found = lemmas(lowered)
    if "VERB" in found:
        return False
    if "NOUN" in found:
        return True  # "declared independence", "declaring victory"
    after = WORD.match(text, following.end() + 1)  # an adjective before its noun
    return "ADJ" in found and after is not None and "NOUN" in lemmas(after.group().lower())


def _counts(text: str, end: int) -> bool:
    """Whether a figure follows the word that ends at ``end`` ("added 12 points"), perhaps
    after words that lead a figure (``figure_lead``: "reported another 30,000 cases", "added
    nearly 12 points")."""
    leads = entry_words()["figure_lead"]
    for following in WORD.finditer(text, end):
        if following.group()[0].isdigit():
            return True
        if following.group().lower() not in leads or following.start() - end > FIGURE_LEAD_CHARS:
            return False
    return False


def why_not_entry(text: str, anchor: Anchor, mentions: Sequence[Mention] = ()) -> str | None:
    """Why the time reference of ``anchor`` makes no timeline entry (``comparison``,
    ``measure``, ``superlative``, ``baseline``, ``described``, ``label``, ``limit``, ``forecast``,
    ``adjective``,
    ``present``, ``dateline``, ``sentence_adverb``, ``habitual``, ``hypothetical``,
    ``no_event``), or ``None`` when it does.
    ``mentions`` are the article's time references."""
    for reason, test in _TESTS:
        if test(text, anchor, mentions):
            return reason
    return None


def _comparison(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference is a standard of comparison: "than" right before it ("than it is
    today"), or after it with only comparatives between ("a week later than usual")."""
    words = entry_words()
    m = anchor.mention
    stop = SEPARATOR.search(text, m.end, anchor.clause.end)  # "on Friday, more than 100 hours"
    following = WORD.finditer(text, m.end, stop.start() if stop else anchor.clause.end)
    after = [w.group().lower() for w in islice(following, COMPARISON_REACH)]
    if after and any(w in words["comparison"] for w in after):
        first = next(i for i, w in enumerate(after) if w in words["comparison"])
        if all(w in words["comparative"] for w in after[:first]):
            return True
    before = list(WORD.finditer(text, anchor.clause.start, m.start))[-COMPARISON_REACH:]
    return any(
        w.group().lower() in words["comparison"] and not SEPARATOR.search(text, w.end(), m.start)
        for w in before
    )


def _measure(text: str, anchor: Anchor, mentions: Sequence[Mention]) -> bool:
    """A vague reference in a clause that measures a length of time: a verb such as "take",
    "last" or "cost" before a length of time ("the trip now takes months")."""
    if anchor.mention.value not in VAGUE_VALUES:
        return False
    words, clause = entry_words(), anchor.clause
    lengths = [o.start for o in within(mentions, clause.start, clause.end) if o.type == "DURATION"]
    lengths += [
        w.start()
        for w in WORD.finditer(text, clause.start, clause.end)
        if w.group().lower() in words["length"]
    ]
    for word in WORD.finditer(text, clause.start, clause.end):
        if lemma(word.group().lower()) not in words["measure"]:
            continue
        for length in lengths:
            between = WORD.findall(text, word.end(), length)
            if length >= word.end() and len(between) <= COMPARISON_REACH:
                return True
    return False


def _superlative(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference measures a superlative (:func:`_measures_superlative`), and no "when"
    clause after it tells what happened then ("the first strike since 2019, when a stoppage
    cost $300 million" dates the stoppage: :func:`when_trigger`)."""
    following = WORD.search(text, anchor.mention.end)
    if following is not None and following.group().lower() in entry_words()["relative_time"]:
        return False
    return _measures_superlative(text, anchor)


def _measures_superlative(text: str, anchor: Anchor) -> bool:
    """The reference measures a superlative: a length of time after "in", "for" or "over"
    ("the lowest level in 30 years"), or any reference after "since" ("its highest since
    1945", "the first strike at the port since 2019"), with a superlative a few words
    before. A date after "in" dates the event ("built its first plant in March 2015")."""
    words = entry_words()
    m = anchor.mention
    before = _clause_before(text, anchor)
    if not before or before[-1] not in words["superlative_link"]:
        return False
    since = before[-1] in words["superlative_since"]
    if m.type != "DURATION" and not since:
        return False
    reach = SUPERLATIVE_SINCE_REACH if since else COMPARISON_REACH
    return any(_is_superlative(w) for w in before[-2 - reach : -1])


def _is_superlative(word: str) -> bool:
    """Whether the lower-case ``word`` is a superlative ("lowest", "biggest", "worst")."""
    if word in entry_words()["superlative"]:
        return True
    adjectives = lemmas(word).get("ADJ", ())
    return word.endswith("est") and any(a != word for a in adjectives)


def _baseline(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference dates the figure a comparison starts from: a verb of comparison a few
    words before it in its clause ("compared with $84.9 million a year earlier"), "from"
    after a change or a number ("up from 443 million Thursday", "down 4.5% from Friday"), or
    the figure of a period it names ("below the 1987 level", "back to 2019 levels")."""
    following = WORD.search(text, anchor.mention.end)
    if following is not None and following.group().lower() in entry_words()["relative_time"]:
        return False  # "from $186.4 million a year ago, when the industry boomed"
    return _compares(text, anchor)


def when_trigger(text: str, anchor: Anchor) -> Span | None:
    """The event of the clause that a baseline's or a superlative's "when" opens: the time
    it names dates that clause's verb, not the comparison's ("risen over comparable periods
    in 1988, when year-end net was below ..." dates "was"; "the first strike since 2019, when
    a stoppage cost $300 million" dates "cost"); ``None`` for any other reference, or one
    already dated in that clause."""
    if not (_compares(text, anchor) or _measures_superlative(text, anchor)):
        return None
    return _when_verb(text, anchor)


def when_clause(text: str, anchor: Anchor) -> Span | None:
    """The event of a clause that "when" opens right after the time reference (:func:`_when_verb`),
    which the reference dates besides its own trigger's; ``None`` for a form of "be" or
    "have" ("in 1962, when she was 4": how someone was then, no event)."""
    told = _when_verb(text, anchor)
    return None if told is None or told.text.lower() in light_words() else told


def _when_verb(text: str, anchor: Anchor) -> Span | None:
    """The verb of the clause that "when" opens right after the time reference, which the
    reference dates too ("in April next year when the alliance celebrates its 50th
    anniversary", "through 1990, when the industry will see the effect", "On Friday, when
    Albright set aside her plans, the department lifted ..."): the first verb up to a comma,
    or a word that may be one right after a name ("set"). ``None`` when no such clause
    follows, or the anchor's trigger is already in it."""
    m, trigger, sentence = anchor.mention, anchor.trigger, anchor.sentence
    following = WORD.search(text, m.end, sentence.end)
    if following is None or following.group().lower() not in entry_words()["relative_time"]:
        return None
    comma = CLAUSE_COMMA.search(text, following.end(), sentence.end)
    end = comma.start() if comma is not None else sentence.end
    if trigger is not None and following.start() <= trigger.start < end:
        return None  # the anchor dates that clause already
    light = light_words()
    words = list(WORD.finditer(text, following.end(), end))
    determiners = word_classes()["determiner"]
    for i, word in enumerate(words):
        low = word.group().lower()
        reading = verb_reading(low)
        ahead = words[i + 1].group().lower() if i + 1 < len(words) else ""
        maybe = reading == "maybe" and (ahead in determiners or ahead[:1].isdigit())
        named = i > 0 and words[i - 1].group()[0].isupper()  # "when Albright set aside"
        if named and i + 1 < len(words):  # "when Russian troops swept": the verb after
            named = verb_reading(words[i + 1].group().lower()) != "verb"
        if reading != "verb" and low not in light and not (maybe or (reading == "maybe" and named)):
            continue  # "when a stoppage cost the economy $300 million": "cost"
        if low in light and any(
            verb_reading(w.group().lower()) == "verb" for w in words[i + 1 : i + 3]
        ):
            continue  # "when prices had risen": the verb that follows
        return Span(word.start(), word.end(), word.group())
    return None


def since_clause(text: str, anchor: Anchor) -> Span | None:
    """The verb of a perfect whose stretch a clause that "since" opens starts, where the
    clause's time reference dates that start ("copies have been built since it entered
    production in February 1947", "relatives who have been caring for him since he was
    rescued in late November"): the state of that verb runs from the reference up to now.
    ``None`` when no such clause holds the reference: "since" must come before it in its
    sentence with a verb between (right before it, "since 1992", is :func:`_since_date`'s),
    and a perfect auxiliary (``since_perfect``) a few words before the verb before "since"."""
    m, sentence = anchor.mention, anchor.sentence
    words = entry_words()
    before = list(WORD.finditer(text, sentence.start, m.start))[-SINCE_REACH:]
    opener = next(
        (
            i
            for i in range(len(before) - 1, -1, -1)
            if before[i].group().lower() in words["since_date"]
        ),
        None,
    )
    if opener is None or not any(
        verb_reading(w.group().lower()) == "verb" for w in before[opener + 1 :]
    ):
        return None
    main = list(WORD.finditer(text, sentence.start, before[opener].start()))[-ASPECT_REACH:]
    light = light_words()
    for i in range(len(main) - 1, -1, -1):
        low = main[i].group().lower()
        if low in light or verb_reading(low) != "verb":
            continue
        auxiliaries = {w.group().lower() for w in main[max(0, i - 3) : i]}
        if auxiliaries & words["since_perfect"]:
            return Span(main[i].start(), main[i].end(), main[i].group())
        return None
    return None


def aspect_trigger(text: str, anchor: Anchor) -> Span | None:
    """The verb that starts or ends the event a noun trigger names, when the noun is its
    object ("started a series of protests in 1992", "launched an offensive on Monday"):
    the clause's event is the verb's, as an editor names it; ``None`` when the trigger is no
    event noun or no such verb (``aspectual`` of ``entry_words.tsv``) comes within
    ``ASPECT_REACH`` words before it, with no other verb, comma or clause break between."""
    trigger = anchor.trigger
    if trigger is None or verb_reading(trigger.text.lower()) == "verb":
        return None
    if not is_event_noun(trigger.text.lower()):
        return None
    left = max(anchor.clause.start, anchor.sentence.start)
    before = list(WORD.finditer(text, left, trigger.start))[-ASPECT_REACH:]
    for i in range(len(before) - 1, -1, -1):
        word = before[i]
        low = word.group().lower()
        if SEPARATOR.search(text, word.end(), trigger.start):
            return None
        if lemma(low) in entry_words()["aspectual"] and verb_reading(low) is not None:
            return Span(word.start(), word.end(), word.group())
        previous = before[i - 1].group().lower() if i else ""
        reading = verb_reading(low)
        if reading == "verb" or low in light_words():
            return None
        if reading == "maybe" and previous in word_classes()["verb_context"]:
            return None  # "started to plan a series of protests": the noun is plan's
    return None


def _compares(text: str, anchor: Anchor) -> bool:
    """:func:`_baseline`, whatever follows the reference."""
    words = entry_words()
    m = anchor.mention
    following = WORD.search(text, m.end)
    if following is not None and following.group().lower() in words["level"]:
        return True  # "net was below the 1987 level"
    before = _clause_before(text, anchor)
    near = before[_reach(before, BASELINE_REACH) :]
    if any(lemma(w) in words["baseline"] for w in near):
        return True
    for i in range(len(near) - 1, -1, -1):
        if near[i] in words["from"]:
            lead = near[i - 1] if i else ""
            if i > 1 and set(lemmas(lead)) == {"ADV"}:  # "up sharply from last year"
                lead = near[i - 2]
            # a figure right after "from" ("from $36 million", "from a record 443 million"),
            # not a score later in the clause ("came from behind to beat Cadiz 2-1")
            figures = any(w[0].isdigit() for w in near[i + 1 : i + 1 + FROM_FIGURE_WORDS])
            return lead in words["baseline_from"] or lead[:1].isdigit() or figures
    return False


def _reach(before: Sequence[str], reach: int) -> int:
    """Where the last ``reach`` words of ``before`` start, figures not counted: numbers and
    the words of an amount (``figure`` of ``entry_words.tsv``: "from $36 million, or 39 cents a
    share in the year-ago quarter" is four words from "from")."""
    figure, counted = entry_words()["figure"], 0
    for i in range(len(before) - 1, -1, -1):
        if not (before[i][0].isdigit() or before[i] in figure):
            counted += 1
            if counted == reach:
                return i
    return 0


def _label(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The maturity in the name of a security ("13.5% bonds due 1993")."""
    words = entry_words()
    before = _clause_before(text, anchor)
    if not before or before[-1] not in words["due"]:
        return False
    return any(w in words["instrument"] for w in before[-1 - COMPARISON_REACH : -1])


def _limit(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference is a time the event comes before, not its date: "ahead of", "the
    approach of", "the run-up to" right before it ("traders sold ahead of the weekend", "the
    approach of the year 2000 has worried the groups")."""
    before = _clause_before(text, anchor)[-4:]
    if before and before[-1] in word_classes()["determiner"]:
        before = before[:-1]
    phrases = {"_".join(before[-n:]) for n in (2, 3) if len(before) >= n}
    return bool(phrases & entry_words()["limit"]) or _deadline(text, anchor, before)


def _deadline(text: str, anchor: Anchor, before: Sequence[str]) -> bool:
    """A date after "by" (``deadline``) that ends the time for an event not yet done: one
    said with a modal, an infinitive or a word of intent a few words before ("the boy should
    go home by Jan. 14", "his promise to halve unemployment by 2030"; ``unrealised``). A
    done event stays dated ("the envoys left the city by Aug. 10"), and so does a reference
    that describes the noun after it ("depressed by overnight losses")."""
    words, m = entry_words(), anchor.mention
    if not before or before[-1] not in words["deadline"]:
        return False
    following = WORD.match(text, m.end + 1) if text[m.end : m.end + 1] == " " else None
    if following is not None and "NOUN" in lemmas(following.group().lower()):
        return False
    every = list(WORD.finditer(text, anchor.clause.start, m.start))
    spans = every[-2 - DEADLINE_REACH : -1]
    if any(span.group().lower() in words["unrealised"] for span in spans):
        return True
    if _before_a_verb(spans, words["infinitive"]):
        return True  # "to withdraw the troops by", not "sent troops to the border by"
    # "to phase out coal and strengthen their targets by": a verb joined to an infinitive
    # further back, at most DEADLINE_REACH words before the near ones
    earlier = every[: -1 - DEADLINE_REACH][-DEADLINE_REACH:]
    coordinated = _before_a_verb(spans, word_classes()["coordinator"])
    return coordinated and _before_a_verb(earlier, words["infinitive"])


def _before_a_verb(spans: Sequence[re.Match[str]], words: frozenset[str]) -> bool:
    """Whether one of ``words`` stands among ``spans`` right before a word that may be a
    verb ("to withdraw", "and strengthen")."""
    return any(
        span.group().lower() in words and verb_reading(following.group().lower()) is not None
        for span, following in pairwise(spans)
    )


def _forecast(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference names the period of a figure a forecast verb dates: right after the
    verb (or its determiner) and before a noun, "had estimated third-quarter earnings of 55
    cents" (the quarter is the figure's, not the estimate's)."""
    trigger, m = anchor.trigger, anchor.mention
    if trigger is None or trigger.end > m.start:
        return False
    if lemma(trigger.text.lower()) not in entry_words()["forecast"]:
        return False
    classes = word_classes()
    between = [w.lower() for w in WORD.findall(text, trigger.end, m.start)]
    if any(w not in classes["determiner"] for w in between):
        return False  # "projected on November 7 that ...": the forecast's own date
    following = WORD.match(text, m.end + 1) if text[m.end : m.end + 1] == " " else None
    if following is None or following.group().lower() in classes["function"]:
        return False
    return "NOUN" in lemmas(following.group().lower())


def _described(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """A reference that opens its clause as the subject of "be": the day is described, no
    event dated ("Today is a sad day")."""
    m = anchor.mention
    if WORD.findall(text, anchor.clause.start, m.start):
        return False
    following = WORD.match(text, m.end + 1) if text[m.end : m.end + 1] == " " else None
    return following is not None and following.group().lower() in entry_words()["copula"]


def _adjective(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """A time word that describes the noun after it ("current prices", "the year-earlier
    results"), or a length of time joined to it by a hyphen ("the 30-year bond")."""
    m = anchor.mention
    last = m.text.split()[-1].lower() if m.text.split() else ""
    compound = m.type == "DURATION" and "-" in last  # "the 30-year bond", "a two-day visit"
    if last not in entry_words()["adjective"] and not compound:
        return False
    following = WORD.match(text, m.end + 1) if text[m.end : m.end + 1] == " " else None
    return following is not None and "NOUN" in lemmas(following.group().lower())


def _habitual(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference says when something usually happens, not when it happened: a word of
    habit (``habitual``) a few words before it in its clause, with no punctuation between
    ("the festival, usually held in mid-October, was postponed")."""
    m = anchor.mention
    before = list(WORD.finditer(text, anchor.clause.start, m.start))[-1 - HABITUAL_REACH :]
    return any(
        w.group().lower() in entry_words()["habitual"]
        and not SEPARATOR.search(text, w.end(), m.start)
        for w in before
    )


def _hypothetical(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """The reference dates the verb of a condition (``conditional``: "if", "unless"), an
    event only supposed: "ships would be diverted if the strike lasted beyond mid-March".
    The verb is the first after the word, with no punctuation up to the reference, and a
    modal (``modal``) outside the condition says what would follow ("It was not known if the
    arrest announced today ...": "if" asks, no modal). A noun dated there may be a real event
    ("if approved at a meeting on Dec. 5"), and so may a later clause ("if they lose when the
    case is heard in May")."""
    trigger, m, sentence = anchor.trigger, anchor.mention, anchor.sentence
    if trigger is None or trigger.end > m.start or verb_reading(trigger.text.lower()) is None:
        return False
    words = entry_words()
    before = list(WORD.finditer(text, sentence.start, trigger.start))
    opening = next((w for w in reversed(before) if w.group().lower() in words["conditional"]), None)
    if opening is None or SEPARATOR.search(text, opening.end(), m.start):
        return False
    if any(
        verb_reading(w.group().lower()) == "verb"
        for w in WORD.finditer(text, opening.end(), trigger.start)
    ):
        return False  # not the condition's own verb
    outside = [
        w.group().lower()
        for w in WORD.finditer(text, sentence.start, sentence.end)
        if not opening.start() <= w.start() < m.end
    ]
    return any(w in words["modal"] for w in outside)


def _sentence_adverb(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """A vague reference that opens its sentence before a comma ("Now, the company says")."""
    m = anchor.mention
    if m.value not in VAGUE_VALUES:
        return False
    opening = OPENING.match(text, anchor.sentence.start)
    starts = opening is not None and opening.end() >= m.start
    return starts and text[m.end : m.end + 1] == ","


def _present(_text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """A reference to the present ("now", "currently")."""
    return anchor.mention.value == "PRESENT_REF"


def quoted_forecast(text: str, anchor: Anchor, quotes: Sequence[tuple[int, int]]) -> bool:
    """Whether the reference is the period of a forecast in quoted words: inside a quotation
    (``quotes``, the spans of :func:`.quotes.quotations`), a season, a year or longer in a
    clause said in the future ("``We will have a flat year this year,'' he
    says", "``the sector is going to start getting beat up in the spring''"): someone's
    outlook, not an event a timeline dates. A day or a time in quoted words is a plan and
    stays ("``He will leave at 4 a.m. Thursday,'' Castro said"), and so does a quarter, a
    company's guidance (:data:`FORECAST_GRANULARITIES`)."""
    m = anchor.mention
    if m.interval is None or m.interval.granularity not in FORECAST_GRANULARITIES:
        return False
    if quotation_of(quotes, m) is None:
        return False
    future = entry_words()["future"]
    words = [w.lower().replace("’", "'") for w in WORD.findall(anchor.clause.text)]  # noqa: RUF001
    phrases = {*words, *(f"{a}_{b}" for a, b in pairwise(words))}
    contracted = {w[w.index("'") :] for w in words if "'" in w}
    return bool((phrases | contracted) & future)


def _dateline(text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """A date in a short line without a lower-case word ("BEIJING, August 8 (Xinhua) --").
    Only ``DATELINE_CHARS`` around the mention are read: a longer line is no dateline."""
    m = anchor.mention
    left, right = max(0, m.start - DATELINE_CHARS), min(len(text), m.end + DATELINE_CHARS)
    line_start = text.rfind("\n", left, m.start) + 1 if left else text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end, right)
    if (line_start == 0 and left > 0) or (line_end < 0 and right < len(text)):
        return False  # the line runs on beyond what a dateline takes
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return not any(w.group()[0].islower() for w in WORD.finditer(line))


def _clause_before(text: str, anchor: Anchor) -> tuple[str, ...]:
    """The words of the anchor's clause before its time reference, in lower case: what
    several of the tests read."""
    return _lowered_words(text, anchor.clause.start, anchor.mention.start)


@functools.lru_cache(maxsize=256)
def _lowered_words(text: str, start: int, end: int) -> tuple[str, ...]:
    """The words of ``text[start:end]`` in lower case (cached: the tests of one reference
    read the same stretch)."""
    return tuple(w.lower() for w in WORD.findall(text, start, end))


def _no_event(_text: str, anchor: Anchor, _mentions: Sequence[Mention]) -> bool:
    """A vague reference ("now", "recently") that dates no word of its sentence."""
    return anchor.mention.value in VAGUE_VALUES and anchor.trigger is None


_TESTS = (
    ("comparison", _comparison),
    ("measure", _measure),
    ("superlative", _superlative),
    ("baseline", _baseline),
    ("described", _described),
    ("label", _label),
    ("limit", _limit),
    ("forecast", _forecast),
    ("adjective", _adjective),
    ("present", _present),
    ("dateline", _dateline),
    ("sentence_adverb", _sentence_adverb),
    ("habitual", _habitual),
    ("hypothetical", _hypothetical),
    ("no_event", _no_event),
)
