"""The words of event anchoring: the word classes of ``words.tsv``, lemmas and verb readings
from ``lemminflect``, and the clause of a sentence that holds a time reference.

The words are data (``words.tsv``); this module knows their classes, not the words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lemminflect import getAllLemmas, getInflection

from ..errors import RuleFileError
from ..tagger.model import Mention
from ..tagger.rulefiles import read_table

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")  # noqa: RUF001
# A clause ends at a semicolon or a dash: the word patterns that end one are in words.tsv.
CLAUSE_PUNCTUATION = r";|\s--?\s|\s[–—]\s"  # noqa: RUF001
# Punctuation that ends the stretch after "after" or "until" in which a verb is looked for.
STOPS = re.compile(r"[,;:.]")
# A wire dateline that opens a story's first sentence: a place in capitals (a region after
# it in any case: "KABUL, Afghanistan"), the day ("March 14", "14 March"), the agency in
# brackets, then a dash ("LISBON, March 14 (Reuters) - ...", "WASHINGTON (AP) -- ...",
# "(Reuters) - ..."). Place or agency, then the dash, at the least.
DATELINE = re.compile(
    r"(?:(?P<place>[A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+)*(?:,[ ][A-Z][\w.]*(?:[ ][A-Z][\w.]*)*)?)"  # noqa: RUF001
    r"(?:,[ ](?:[A-Z][a-z]{2,}\.?[ ]\d{1,2}|\d{1,2}[ ][A-Z][a-z]{2,})(?:,[ ]\d{4})?)?)?"
    r"[ ]?(?P<agency>\([^()\n]{1,40}\))?"
    r"[ ]*(?:-{1,2}|[–—_])\s+"  # noqa: RUF001
)

# How far after "after" or "until" a verb may come for the word to open a clause.
FOLLOWING_CHARS = 40


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


@functools.cache
def class_table(name: str, column: str = "words") -> dict[str, frozenset[str]]:
    """The classes of the word table ``name`` of this package (``class<TAB>words``, the
    words in ``column``, separated by spaces): class name to its words."""
    _, rows = read_table(name, __package__ or "timeline.events", "")
    classes: dict[str, set[str]] = {}
    for row in rows:
        if not row["class"] or not row[column]:
            raise RuleFileError(f"{name}:{row.line}: expected class<TAB>{column}")
        classes.setdefault(row["class"], set()).update(row[column].split())
    return {name: frozenset(words) for name, words in classes.items()}


def word_classes() -> dict[str, frozenset[str]]:
    """The classes of ``words.tsv``: class name to its words (lower case)."""
    return class_table("words.tsv")


@functools.cache
def light_words() -> frozenset[str]:
    """The verbs that name no event of their own: "be", "have", "do" (``never``) and the
    auxiliaries."""
    classes = word_classes()
    return classes["never"] | classes["auxiliary"]


@functools.lru_cache(maxsize=10_000)
def past_of_participle(word: str) -> str | None:
    """The past tense of the verb whose present participle is the lower-case ``word``
    ("repeating": "repeated"), or ``None`` when ``word`` is no such participle."""
    if not word.endswith("ing"):
        return None
    verbs = [lemma for lemma in lemmas(word).get("VERB", ()) if lemma != word]
    if not verbs:
        return None
    found = getInflection(verbs[0], "VBD")
    return found[0] if found else None


@functools.lru_cache(maxsize=10_000)
def is_participle(word: str) -> bool:
    """Whether the lower-case ``word`` is the past participle of a verb ("born", "taken",
    "arrested"), and not only its past tense ("fell", "rose")."""
    return any(
        word in getInflection(verb, "VBN") for verb in lemmas(word).get("VERB", ()) if verb != word
    )


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


def trimmed_span(text: str, start: int, end: int) -> Span:
    """``text[start:end]`` without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def past_dateline(text: str, left: int, right: int) -> int:
    """Where the sentence ``text[left:right]`` begins past the wire dateline that opens it
    (:data:`DATELINE`), or ``left`` when none does: only the story's first sentence has one."""
    start = trimmed_span(text, left, right).start
    if text[:start].strip():
        return left
    found = DATELINE.match(text, start, right)
    if found is None or not (found.group("place") or found.group("agency")):
        return left
    return found.end()


def clause_of(text: str, left: int, right: int, mention: Mention | Span) -> Span:
    """The clause of the sentence ``text[left:right]`` that holds the mention (or another
    stretch of it, such as a trigger). A preposition that can open a clause ("after",
    "until") opens one only when a verb follows it ("after they launched", not "after the
    upcoming Eid al-Adha")."""
    start, end = left, right
    for m in patterns()["clause"].finditer(text, left, right):
        if m.group().strip().lower() in word_classes()["preposition"] and not verb_follows(
            text, m.end(), right
        ):
            continue
        if m.end() <= mention.start:
            comma = text[m.start()] == ","
            start = m.end() if text[m.start()] in ";-–—" else m.start() + comma  # noqa: RUF001
        elif m.start() >= mention.end:
            end = m.start()
            break
    return trimmed_span(text, start, end)


def verb_follows(text: str, start: int, right: int) -> bool:
    """Whether a verb comes within a few words after ``start``, before any punctuation."""
    for m in WORD.finditer(text, start, right):
        if m.start() - start > FOLLOWING_CHARS or STOPS.search(text[start : m.start()]):
            return False
        if verb_reading(m.group().lower()) == "verb":
            return True
    return False


@functools.lru_cache(maxsize=50_000)
def is_event_noun(word: str, with_suffix: bool = False) -> bool:
    """Whether the lower-case ``word`` is a noun that names something that happens: one of
    ``noun_event`` (by its singular), or with ``with_suffix`` any noun made from a verb."""
    classes = word_classes()
    nouns = lemmas(word).get("NOUN", ())
    if word in classes["noun_event"] or any(n in classes["noun_event"] for n in nouns):
        return True
    return with_suffix and any(n.endswith(tuple(classes["event_suffix"])) for n in nouns)


@functools.cache
def fixed_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The ``fixed`` expressions of ``words.tsv`` ("in return for"), as their words, by
    their first word."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in word_classes()["fixed"]:
        words = tuple(phrase.split("_"))
        found.setdefault(words[0], []).append(words)
    return {first: tuple(phrases) for first, phrases in found.items()}


@functools.cache
def longest_fixed_phrase() -> int:
    """How many words the longest ``fixed`` expression has."""
    return max((len(p) for phrases in fixed_phrases().values() for p in phrases), default=1)


def in_fixed_phrase(lowered: Sequence[str]) -> frozenset[int]:
    """The places of the words ``lowered`` (a sentence's, in lower case) that are part of a
    fixed expression: none of them is ever the event ("offered a truce in return for
    food")."""
    phrases = fixed_phrases()
    inside: set[int] = set()
    for i, word in enumerate(lowered):
        for phrase in phrases.get(word, ()):
            if tuple(lowered[i : i + len(phrase)]) == phrase:
                inside.update(range(i, i + len(phrase)))
    return frozenset(inside)
