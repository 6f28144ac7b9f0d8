"""Headlines an editor keeps, for the anchors of :mod:`.anchoring`.

Each anchor carries a headline an editor keeps (:func:`headline`): the part of the sentence
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
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence

from ..tagger.context import tense_near
from ..tagger.model import Mention
from .words import (
    FOLLOWING_CHARS,
    WORD,
    Span,
    class_table,
    clause_of,
    in_fixed_phrase,
    is_participle,
    lemma,
    lemmas,
    light_words,
    longest_fixed_phrase,
    past_of_participle,
    trimmed_span,
    verb_reading,
    word_classes,
)

HEADLINE_WORDS = 14
# The most words a headline runs past its length for a word that changes the meaning of
# what follows ("not …": "not resign …").
MEANING_WORDS = 3
# How many stretches set off by commas a phrase with no verb looks through for one.
VERBLESS_STRETCHES = 3
# The most words a headline borrows for its subject.
SUBJECT_WORDS = 8
# The most stretches set off by commas a phrase that opens its sentence with a verb looks
# through for the subject after it.
SUBJECT_STRETCHES = 4
# A comma inside a number ("1,500"): no place to cut a phrase.
NUMBER_COMMA = re.compile(r"\d,\d")
COMMA = re.compile(",")
# What ends a clause, so that a modal before it governs no verb after it.
CLAUSE_END = re.compile(r"[;:!?]|\.(?=\s)")
SPACES = re.compile(r"\s{2,}")
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


def headline_phrase(
    text: str,
    sentence: Span,
    clause: Span,
    mention: Mention,
    trigger: Span | None,
    taken: Sequence[tuple[int, int]],
) -> Span:
    """The part of the sentence that holds both the mention and its trigger: their clauses
    (:func:`clause_of`; "The fleet would not reach the port until May 1905" for "May 1905" and
    "reach"), cut at the commas outside them, outside every time reference and outside
    numbers ("1,500") ("After the attacks on September 11, 2001, in the invasion ..., troops
    have been stationed for 20 years" keeps "troops have been stationed for 20 years" for
    "20 years"), except before a trigger that opens its part ("The negotiators, meeting in
    Doha, agreed on Friday" keeps its subject), and with a word that changes the meaning
    right before it ("not until Tuesday"). Of verb phrases joined by "and" that each have a
    time reference, the phrase keeps its own (:func:`_own_conjunct`); a phrase with no verb
    goes on to the next stretch that has one ("In an interview in October, she had said
    ..." keeps what was said; :func:`_through_verb`)."""
    first = min(mention.start, trigger.start) if trigger else mention.start
    last = max(mention.end, trigger.end) if trigger else mention.end
    start, end = clause.start, clause.end
    if trigger and not (clause.start <= trigger.start and trigger.end <= clause.end):
        own = clause_of(text, sentence.start, sentence.end, trigger)
        start, end = min(start, own.start), max(end, own.end)
    base = start
    in_time = _within_any(taken)
    for m in COMMA.finditer(text[start:end]):
        at = base + m.start()
        if not _parts(text, at, in_time):
            continue  # the comma of "September 11, 2001" or of "1,500"
        if at < first:
            if trigger and not WORD.search(text, at + 1, trigger.start):
                continue  # "..., agreed on Friday": the subject is before the comma
            start = at + 1
        elif at >= last:
            end = at
            break
    start, end = _own_conjunct(text, start, end, first, last, taken)
    if not _has_verb(text, start, end, taken, strict=False):  # "In an interview in October,"
        end = _through_verb(text, end, sentence.end, taken, in_time)
    return trimmed_span(text, _with_meaning_word(text, sentence.start, start), end)


def _own_conjunct(
    text: str, start: int, end: int, first: int, last: int, taken: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """``[start, end)`` narrowed to the verb phrase of the mention and its trigger
    (``[first, last)``) where a coordinator joins verb phrases that each have a time
    reference of their own ("will take charge of training on Tuesday and lead the team on
    Saturday": "lead the team on Saturday" for "Saturday")."""
    coordinators = word_classes()["coordinator"]
    for word in WORD.finditer(text, start, end):
        if word.group().lower() not in coordinators or _in_time(word, taken):
            continue
        after = list(itertools.islice(WORD.finditer(text, word.end(), end), 2))
        if not after or not _verb_at(after, 0, word.end()):
            continue  # "Kenya and Tanzania", "earnings and cash flow"
        timed = [(s, e) for s, e in taken if start <= s and e <= end]
        if word.end() <= first and any(e <= word.start() for _, e in timed):
            start = word.start()  # the joiner stays: the headline borrows the subject
        elif word.start() >= last and any(s >= word.end() for s, _ in timed):
            return start, word.start()
    return start, end


def _parts(text: str, at: int, in_time: Callable[[int], bool]) -> bool:
    """Whether the comma at ``at`` parts a sentence's stretches: it is outside every time
    reference ("September 11, 2001") and every number ("1,500")."""
    return not in_time(at) and not NUMBER_COMMA.match(text, max(at - 1, 0))


def _has_verb(
    text: str, start: int, end: int, taken: Sequence[tuple[int, int]], *, strict: bool = True
) -> bool:
    """Whether ``text[start:end]`` holds a word that reads as a verb outside the time
    references; unless ``strict``, also one that may be a noun or a verb and follows no
    determiner ("doesn't want", not "an interview")."""
    previous = ""
    for w in WORD.finditer(text, start, end):
        low = w.group().lower()
        maybe = not strict and verb_reading(low) == "maybe" and not _determines(previous)
        if (_is_verb_word(low) or maybe) and not _in_time(w, taken):
            return True
        previous = low
    return False


def _through_verb(
    text: str,
    end: int,
    right: int,
    taken: Sequence[tuple[int, int]],
    in_time: Callable[[int], bool],
) -> int:
    """Where a phrase with no verb that ends at the comma ``end`` ends instead: at the end of
    the first of the next ``VERBLESS_STRETCHES`` stretches (up to a comma outside time
    references and numbers) that holds a verb ("In an interview in October, she had said
    ..."; past "in Dearborn, Mich., Ford said"); ``end`` when none does."""
    at = end
    for _ in range(VERBLESS_STRETCHES):
        if at >= right:
            return end
        following = right
        for m in COMMA.finditer(text[at + 1 : right]):
            comma = at + 1 + m.start()
            if _parts(text, comma, in_time):
                following = comma
                break
        if _has_verb(text, at + 1, following, taken):
            return following
        at = following
    return end


def _within_any(taken: Sequence[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a place of the text lies inside one of the extents ``taken``: sorted once,
    with the furthest end of those that start at or before each, so that each place is one
    bisection."""
    spans = sorted(taken)
    starts = [s for s, _ in spans]
    furthest = list(itertools.accumulate((e for _, e in spans), max))

    def inside(at: int) -> bool:
        i = bisect.bisect_right(starts, at)
        return i > 0 and furthest[i - 1] > at

    return inside


def _with_meaning_word(text: str, left: int, start: int) -> int:
    """Where a phrase that begins at ``start`` begins with the word before it when that word
    changes its meaning ("not until Tuesday"), else ``start``."""
    before = list(WORD.finditer(text, max(left, start - FOLLOWING_CHARS), start))
    if not before or text[before[-1].end() : start].strip():
        return start
    return before[-1].start() if before[-1].group().lower() in word_classes()["meaning"] else start


def headline(
    text: str, phrase: Span, mention: Mention, sentence: Span, taken: Sequence[tuple[int, int]]
) -> str:
    """The phrase as a short headline an editor keeps (:func:`_headline_words`): its first
    ``HEADLINE_WORDS`` words (with an ellipsis when there are more), ending at a word, with
    no quote mark or bracket left unpaired and a capital first letter."""
    words = _without_absolute_with(_headline_words(text, phrase, mention, sentence, taken))
    kept = _cut(words)
    cut = len(kept) < len(words)
    headline = _trimmed(_unpaired(" ".join(_ending(kept, cut)))) or phrase.text
    headline = headline[:1].upper() + headline[1:]
    return headline + " …" if cut else headline


def _without_absolute_with(words: list[str]) -> list[str]:
    """``words`` without the "with" that opens an absolute phrase, a noun and then its -ing
    or past participle ("With pre-orders starting this Friday": "Pre-orders starting this
    Friday"; "With talks set to overrun their deadline"): the phrase is the event itself.
    "With" before anything else stays ("With the help of the army, ...")."""
    classes = word_classes()
    if len(words) < 3 or words[0].lower() not in classes["absolute_with"]:
        return words
    if _trimmed(words[1]).lower() in classes["joiner"] | classes["relative"] | classes["personal"]:
        return words  # "with whom the king met Monday"
    for i, word in enumerate(words[1 : 1 + SUBJECT_WORDS], start=1):
        bare = _trimmed(word).lower()
        if i > 1 and (bare.endswith("ing") or is_participle(bare)):
            return words[1:] if lemmas(bare).get("VERB") else words
        if not bare or bare in classes["function"] - classes["determiner"]:
            return words
    return words


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
    classes = word_classes()
    joined = joiner.group().lower() if joiner is not None else ""
    verb = _first_verb(
        text,
        own,
        sentence.start,
        taken,
        verbal=joined in classes["relative"],
        coordinated=joined in classes["coordinator"],
    )
    if verb is None and joiner is not None and joined in classes["object_relative"]:
        swapped = _object_relative(text, own, sentence, joiner, taken)
        if swapped is not None:  # "Crimea, which Russia annexed in 2014"
            return swapped
    if verb is None:
        return own.text.split()
    if joiner and joiner.group().lower() not in classes["coordinator"] | classes["relative"]:
        return text[joiner.start() : phrase.end].split()
    subject = _subject(text, sentence, own, verb, joiner, taken)
    if subject is None:
        return own.text.split()
    if verb.start() == own.start:  # "Elian rescued on Nov. 25"
        past = past_of_participle(verb.group().lower())
        if past is not None:  # "He told them ..., repeating a theme": "He repeated a theme"
            if tense_near(text, mention.start, mention.end) != "past":
                return own.text.split()
            rest = text[verb.end() : own.end].split()
            return [*text[subject.start : subject.end].split(), past, *rest]
        own = Span(own.start, own.end, own.text[:1].lower() + own.text[1:])
        set_off = (
            own.start == sentence.start
            and subject.start > own.end
            and text[own.end : subject.start].strip() == ","  # "Born in 1931, she ..."
        ) or (subject.end <= own.start and _verb_after(text, phrase.end, sentence))
        if joiner is None and set_off and is_participle(verb.group().lower()):
            # "Born in Seville in 1931, she moved ...": "She was born in Seville in 1931";
            # "Arrested in May, they ...": "They were arrested in May", not "They arrested"
            be = _passive_be(text[subject.start : subject.end])
            return [*text[subject.start : subject.end].split(), be, *own.text.split()]
    modal = (
        _modal_after(text, subject, verb, joiner)
        if joiner is not None and joined in classes["coordinator"]
        else None
    )
    words = own.text.split()
    lead = text[own.start : verb.start()].split()
    if lead and lead[-1].endswith(",") and not any("," in w for w in lead[:-1]):
        # "The last snap election, in 2022, was triggered": the aside's closing comma goes
        # with the subject's opening one
        words[len(lead) - 1] = lead[-1].rstrip(",")
    return text[subject.start : subject.end].split() + ([modal] if modal else []) + words


def _object_relative(
    text: str, own: Span, sentence: Span, joiner: re.Match[str], taken: Sequence[tuple[int, int]]
) -> list[str] | None:
    """The words of a relative clause whose relative word is its verb's object, with the
    noun it refers to put back after the verb ("Crimea, which Russia annexed in 2014":
    "Russia annexed Crimea in 2014"): the clause opens with a subject of a few words and no
    verb, then a verb that no object of its own nor another verb follows, and the noun is a
    name or its sentence's subject (a noun deeper in the sentence may not be the one meant);
    else ``None``."""
    classes = word_classes()
    tokens = list(WORD.finditer(text, own.start, own.end))
    for i, token in enumerate(tokens[: SUBJECT_WORDS + 1]):
        word = token.group().lower()
        if _in_time(token, taken) or word in classes["function"] - classes["determiner"]:
            return None
        if i and _is_finite(token, sentence.start) and not _noun_reading(tokens, i):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            after = following.group().lower() if following is not None else ""
            own_object = following is not None and not (
                _in_time(following, taken) or after in classes["function"] or _is_adverb(after)
            )
            if own_object or text[own.start : token.start()].count(",") > 0:
                return None
            if any(_is_finite(t, sentence.start) for t in tokens[i + 1 :]):
                return None  # "which the minister said on Friday was illegal"
            antecedent = _antecedent(text, sentence.start, joiner, taken)
            if antecedent is None:
                return None
            moved = antecedent.text.split()
            named = all(w[:1].isupper() or w in classes["determiner"] for w in moved)
            if not named and antecedent.start != sentence.start:
                return None  # "a treaty calling for border demarcation, which ...": which noun?
            if moved[0].lower() in classes["determiner"]:
                moved[0] = moved[0].lower()  # "The plant, which ...": "sold the plant"
            return [
                *text[own.start : token.end()].split(),
                *moved,
                *text[token.end() : own.end].split(),
            ]
    return None


def _passive_be(subject: str) -> str:
    """The past of "be" that agrees with ``subject``: "were" for a plural pronoun or a
    plural noun at its end ("they", "the troops"), else "was"."""
    words = subject.split()
    last = words[-1] if words else ""
    if last.lower() in word_classes()["plural_pronoun"]:
        return "were"
    if not last.islower():
        return "was"  # a name: "Ortega was honoured"
    nouns = lemmas(last).get("NOUN", ())
    plural = (nouns and last not in nouns) or (
        last.endswith("s") and not last.endswith(tuple(word_classes()["singular_ending"]))
    )
    return "were" if plural else "was"


def _modal_after(
    text: str, subject: Span, verb: re.Match[str], joiner: re.Match[str]
) -> str | None:
    """The modal that governs the verb before the ``joiner`` and so also the coordinated
    ``verb`` in its base form: the last modal between the borrowed subject and the joiner,
    within one clause ("Rizzi will take charge on Tuesday and lead the team on Saturday":
    "will" for "lead"; "Nissan said it would cut jobs and reduce capacity by March":
    "would" for "reduce"); for a coordinated participle the form of "be" that makes both
    passive ("He was arrested in March and suspended the following day": "was"); or
    ``None``."""
    word = verb.group().lower()
    if word not in lemmas(word).get("VERB", ()):
        return _passive_after(text, subject, word) if is_participle(word) else None
    helpers = class_table("entry_words.tsv")["modal"]
    found = [
        w for w in WORD.finditer(text, subject.end, joiner.start()) if w.group().lower() in helpers
    ]
    if not found or CLAUSE_END.search(text, found[-1].end(), joiner.start()):
        return None
    return found[-1].group()


def _passive_after(text: str, subject: Span, word: str) -> str | None:
    """The form of "be" right after a borrowed subject that makes the participle after it
    passive, and so the coordinated participle ``word`` too ("He was arrested in March and
    suspended the following day": "was"); ``None`` when the subject's verb is another ("He
    said he received ... and recently ordered", "Net was $10.5 million, ... compared")."""
    words = WORD.finditer(text, subject.end)
    helper = next(words, None)
    if helper is None or helper.group().lower() not in word_classes()["passive_auxiliary"]:
        return None
    following = next(words, None)
    while following is not None and _is_adverb(following.group().lower()):
        following = next(words, None)
    if following is None or not is_participle(following.group().lower()):
        return None
    return helper.group()


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
    with: a stretch up to a comma that holds no verb, or opens with a participle, and not
    the mention, when a verb follows the comma ("63, retired on Wednesday" of "Ana Ruiz, 63,
    retired on Wednesday"; "built in 1968, collapsed on March 14" of "The bridge, built in
    1968, collapsed on March 14"); else ``start``."""
    segments = list(itertools.islice(_segments(text, start, end, taken), 2))
    if len(segments) < 2 or (
        _last_clause(text, segments[:1], left) is not None and not _participial(text, segments[0])
    ):
        return start
    if segments[0][0] < mention.end and mention.start < segments[0][1]:
        return start
    following = WORD.match(text, segments[1][0])
    return segments[1][0] if following and _is_finite(following, left) else start


def _participial(text: str, segment: tuple[int, int]) -> bool:
    """Whether the stretch opens with a past participle: a verb form of the lexicon that is
    not its own lemma ("built in 1968"), in lower case, no -ing form and no reporting verb
    (", said a version of the letter, dated Feb. 4": the saying is no apposition)."""
    first = WORD.match(text, segment[0])
    if first is None:
        return False
    word = first.group().lower()
    return (
        not first.group()[0].isupper()
        and verb_reading(word) == "verb"
        and not word.endswith("ing")
        and word not in lemmas(word).get("VERB", (word,))
        and lemma(word) not in word_classes()["reporting"]
    )


def _past_punctuation(text: str, at: int, end: int) -> int:
    """The first place from ``at`` that is neither white space nor punctuation."""
    while at < end and (text[at].isspace() or unicodedata.category(text[at]).startswith("P")):
        at += 1
    return at


def _first_verb(
    text: str,
    phrase: Span,
    left: int,
    taken: Sequence[tuple[int, int]],
    *,
    verbal: bool = False,
    coordinated: bool = False,
) -> re.Match[str] | None:
    """The verb ``phrase`` opens with, past its adverbs ("also"), its time references
    ("today", not a subject such as "the second quarter") and the prepositions before them
    ("Was asked today", "On Friday announced", "Also increasing"); ``None`` when it opens
    with anything else: a subject, a name, a joiner, an -ing form that is a subject itself
    ("Fighting erupted") or follows a determiner ("Friday's ruling"), a fixed expression.
    ``verbal``: the phrase follows a relative word, after which a word the lexicon reads as a
    noun or a verb is the verb ("the deal, which runs until 2028"); ``coordinated``: it
    follows a coordinator, after which such a word is the verb before a determiner, a number
    or a time reference ("and lead the team on Saturday", "and set Friday as the deadline";
    not "and shares rose")."""
    classes = word_classes()
    prepositions = classes["function"] - classes["determiner"]
    tokens = list(WORD.finditer(text, phrase.start, phrase.end))
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
        maybe = word == token.group() and verb_reading(word) == "maybe"
        if maybe and not verbal:
            ahead = following.group().lower() if following is not None else ""
            maybe = coordinated and (
                ahead in classes["determiner"]
                or ahead[:1].isdigit()
                or (following is not None and _in_time(following, taken))
            )
        if _in_fixed_phrase_at(tokens, i) or not (maybe or _is_verb(token, left)):
            return None
        if following is not None and token.group()[0].isupper() and following.group()[0].isupper():
            return None  # a name: "Consolidated Freightways"
        if word.endswith("ing") and _noun_reading(tokens, i):
            return None
        return token
    return None


def _in_fixed_phrase_at(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """Whether the word ``tokens[i]`` is part of a fixed expression of the words ``tokens``
    (:func:`in_fixed_phrase`), read from the words around it: a phrase that holds it starts
    fewer than the longest phrase's words before it."""
    longest = longest_fixed_phrase()
    low = max(0, i - longest + 1)
    return i - low in in_fixed_phrase([t.group().lower() for t in tokens[low : i + longest]])


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


@functools.lru_cache(maxsize=50_000)
def _is_adverb(word: str) -> bool:
    """Whether the lower-case ``word`` is only an adverb ("also", "recently"), and no
    preposition or word that opens a clause ("in", "when"; cached: the words recur)."""
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
    not describe a noun after a determiner ("a retired nurse", "the most wanted list"), a
    modal or auxiliary ("will", "has"), or a word the lexicon also reads as a noun, right
    before a determiner or a number ("The company cut 300 jobs")."""
    token = words[i]
    following = words[i + 1].group().lower() if i + 1 < len(words) else ""
    word = token.group().lower()
    light = word in light_words() and word == token.group()  # "will", "has"; not "Will"
    if verb_reading(word) == "maybe" and not token.group()[0].isupper() and not light:
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
    takes the subject after it ("Rescued on Nov. 25, Elian has become ...", also past a
    sentence adverb: "However, rescued on Nov. 25, ...")."""
    if joiner is not None and joiner.group().lower() in word_classes()["relative"]:
        return _antecedent(text, sentence.start, joiner, taken)
    segments = list(
        _segments(text, sentence.start, joiner.start() if joiner else phrase.start, taken)
    )
    if all(_adverbs_only(text, segment) for segment in segments):  # "However, cited by ..."
        first = verb.start() == phrase.start
        return _subject_after(text, sentence, phrase.end, taken) if first else None
    if joiner is not None:
        return _sentence_subject(text, segments, taken)
    described = _described_by_participle(text, segments, verb, phrase, sentence, taken)
    if described is not None:  # "..., according to the group's outlook, published in May"
        return described
    last: int | None = len(segments)
    while (last := _last_clause(text, segments[:last], sentence.start)) is not None:
        if last < len(segments) - 1 or _verb_after(text, phrase.end, sentence):
            found = _noun_before(text, *segments[last], taken)
        else:
            found = _noun_from(text, segments[last], taken)
        if found is not None or not _without_subject(text, segments[last]):
            return found
    return _sentence_subject(text, segments, taken)


def _described_by_participle(
    text: str,
    segments: Sequence[tuple[int, int]],
    verb: re.Match[str],
    phrase: Span,
    sentence: Span,
    taken: Sequence[tuple[int, int]],
) -> Span | None:
    """The noun a participle phrase describes when it follows a stretch that opens with a
    fixed expression and holds no verb ("..., according to the group's annual outlook,
    published in October": the outlook), not a verb of the sentence's own ("..., closed on
    Monday"); else ``None``."""
    if verb.start() != phrase.start or not segments or _verb_after(text, phrase.end, sentence):
        return None
    if not is_participle(verb.group().lower()):
        return None
    words = list(WORD.finditer(text, *segments[-1]))
    if not words or any(_verb_at(words, j, sentence.start) for j in range(len(words))):
        return None
    if not _in_fixed_phrase_at(words, 0):
        return None
    return _noun_before(text, *segments[-1], taken)


def _adverbs_only(text: str, segment: tuple[int, int]) -> bool:
    """Whether ``text[segment]`` holds adverbs only ("However", "Meanwhile")."""
    return all(_is_adverb(w.group().lower()) for w in WORD.finditer(text, *segment))


def _segments(
    text: str, left: int, right: int, taken: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[left:right]`` between commas, semicolons, colons and dashes
    that are not part of a number or a time reference, without the white space around them,
    in text order (found as they are read: a caller that needs the first few reads no
    further)."""
    at = left
    for m in SEGMENT_BREAK.finditer(text, left, right):
        if any(s <= m.start() < e for s, e in taken):
            continue
        span = trimmed_span(text, at, m.start())
        if WORD.search(span.text):
            yield span.start, span.end
        at = m.end()
    span = trimmed_span(text, at, right)
    if WORD.search(span.text):
        yield span.start, span.end


def _last_clause(text: str, segments: Sequence[tuple[int, int]], left: int) -> int | None:
    """The place of the last of ``segments`` that is a clause: one that holds a verb that
    can have a subject and does not open with a relative word ("who arrived ...") or a
    ``dangling`` one ("if needed", "whose shares began"), whose clause lends no subject."""
    classes = word_classes()
    subordinate = classes["relative"] | classes["dangling"]
    for i in range(len(segments) - 1, -1, -1):
        words = list(WORD.finditer(text, *segments[i]))
        if words[0].group().lower() in subordinate:
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
    Elian has become ..."): the noun that opens a stretch after it and that a verb follows,
    in its stretch or after stretches set off by commas ("Fined in May for speeding, Ana
    Ruiz, 45, paid ..."; "Fined in May for speeding, driving unlicensed and parking in a bus
    lane, the mayor paid ..."), at most ``SUBJECT_STRETCHES`` stretches on."""
    mark = SEGMENT_BREAK.match(text, end)
    if mark is None:
        return None
    segments = list(
        itertools.islice(_segments(text, mark.end(), sentence.end, taken), SUBJECT_STRETCHES)
    )
    for i, segment in enumerate(segments):
        found = _noun_from(text, segment, taken)
        if found is None:
            continue
        verb = WORD.search(text, found.end, segment[1])
        if verb is not None and _is_finite(verb, sentence.start):
            return found
        if verb is None and any(_opens_with_verb(text, s, sentence) for s in segments[i + 1 :]):
            return found  # "Ana Ruiz, 45, paid": past an apposition
    return None


def _opens_with_verb(text: str, segment: tuple[int, int], sentence: Span) -> bool:
    """Whether ``text[segment]`` opens with a verb that can have a subject ("paid ...")."""
    first = WORD.search(text, *segment)
    return first is not None and _is_finite(first, sentence.start)


def _noun_from(
    text: str, segment: tuple[int, int], taken: Sequence[tuple[int, int]]
) -> Span | None:
    """The words that open ``text[segment]``, past its time references, up to its first verb,
    preposition (but "of") or time reference, when they can be a subject: they open with no
    preposition, verb or relative word, and are at most ``SUBJECT_WORDS``."""
    classes = word_classes()
    stops = (classes["function"] | classes["headed_by"]) - classes["determiner"]
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
    return trimmed_span(text, words[0].start(), end)


def _antecedent(
    text: str, left: int, joiner: re.Match[str], taken: Sequence[tuple[int, int]]
) -> Span | None:
    """The noun phrase a relative word (``joiner``) refers to: the one before it ("Iran,
    which had condemned": "Iran"), but past a name and its preposition when no comma parts
    the name from a restrictive "that", which a name does not take ("the collapse of a
    bridge near Lyon that killed seven": "a bridge near Lyon")."""
    found = _noun_before(text, left, joiner.start(), taken)
    if found is None and joiner.group().lower() in word_classes()["object_relative"]:
        return _named_time_before(text, left, joiner, taken)
    if found is not None and joiner.group().lower() in word_classes()["personal"]:
        return _name_after_title(text, found)
    if (
        found is None
        or joiner.group().lower() != "that"
        or text[found.end : joiner.start()].strip()
    ):
        return found
    if not all(w[0].isupper() for w in WORD.findall(found.text)):
        return found
    before = list(WORD.finditer(text, left, found.start))
    classes = word_classes()
    if not before or before[-1].group().lower() not in classes["function"] | classes["headed_by"]:
        return found
    head = _noun_before(text, left, before[-1].start(), taken)
    return found if head is None else Span(head.start, found.end, text[head.start : found.end])


def _name_after_title(text: str, found: Span) -> Span:
    """The name that ends the noun phrase ``found`` when the phrase runs through "of" to a
    title or a noun in apposition right before the name ("hopes of catching leaders
    Barcelona": "Barcelona"); else ``found`` ("her brother Delfin", "the head of the United
    Nations", "the prime minister")."""
    words = list(WORD.finditer(text, found.start, found.end))
    first = len(words)
    while first > 0 and words[first - 1].group()[0].isupper():
        first -= 1
    if first in (0, len(words)):
        return found
    classes = word_classes()
    before = words[first - 1].group()
    if not before.islower() or before in classes["function"] | classes["determiner"]:
        return found
    if not any(w.group().lower() in classes["of_link"] for w in words[: first - 1]):
        return found
    return trimmed_span(text, words[first].start(), found.end)


def _named_time_before(
    text: str, left: int, joiner: re.Match[str], taken: Sequence[tuple[int, int]]
) -> Span | None:
    """A time reference named in words, set off by a comma right before ``joiner`` ("a
    holiday for Eid al-Fitr, which is expected to fall next week": "Eid al-Fitr"); not a
    date in figures ("shares issued July 1, which will receive ...": the shares)."""
    for s, e in taken:
        if left <= s and text[e : joiner.start()].strip() == ",":
            named = text[s:e]
            return None if any(c.isdigit() for c in named) else Span(s, e, named)
    return None


def _noun_before(text: str, left: int, right: int, taken: Sequence[tuple[int, int]]) -> Span | None:
    """The noun phrase that ends ``text[left:right]`` (past a comma): its words back to a
    determiner, or to a verb, a preposition, a time reference or a comma before them; at
    most ``SUBJECT_WORDS`` words ("the FBI's most wanted list", "Iran", "Ritter")."""
    classes = word_classes()
    stops = (
        (classes["function"] | classes["headed_by"]) - classes["determiner"] - classes["of_link"]
    )
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
    return trimmed_span(text, kept[-1].start(), end) if kept else None


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
    endings -= classes["meaning"]
    kept = list(words)
    while len(kept) > 1 and _trimmed(kept[-1]).lower() in endings:
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
    return SPACES.sub(" ", headline).strip()


def _opens(headline: str, at: int) -> bool:
    """Whether the straight quote mark at ``at`` opens a quotation: nothing but white space or
    an opening bracket before it, and a word after it."""
    before = headline[at - 1] if at else " "
    after = headline[at + 1] if at + 1 < len(headline) else " "
    return (before.isspace() or before in OPENING_MARKS) and not after.isspace()
