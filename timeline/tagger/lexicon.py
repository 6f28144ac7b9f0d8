"""The lexicon: named word classes (``%month``, ``%weekday``, ``%num`` ...) of ``lexicon.tsv``.

A class is an ordered list of ``(pattern, value)`` entries. Rules refer to a class as ``%name``;
the engine expands it to the alternation of its patterns and normalises the matched words
back to the value of the entry that matches them in full.

Three values are special: ``#`` takes the digits of the matched text ("16th" -> ``16``),
``=`` takes the matched text itself, ``sum(class)`` composes a number from the words of
another class ("twenty four" -> ``24``): values add up, and a value of 100 or more multiplies
what came before it ("two hundred" -> ``200``); ``hundreds(class)`` reads a year said in two
numbers ("nineteen ninety-six" -> ``1996``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import RuleFileError
from .regexwords import finite_words, word_trie
from .rulefiles import read_table

CLASS_REF = re.compile(r"%([a-z_]+)(?::([a-z0-9_]+))?")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
JOINER = re.compile(r"[\s\-]+")
NORMALISE_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a regex fragment and the value it normalises to."""

    pattern: str
    value: str


class Lexicon:
    """Word classes by name, with expansion to regex and normalisation back to values."""

    def __init__(self, classes: dict[str, list[Entry]]) -> None:
        self.classes = classes
        self._norm_cache: dict[tuple[str, str], str | None] = {}
        self._regexes: dict[Entry, re.Pattern[str]] = {}

    def regex(self, entry: Entry) -> re.Pattern[str]:
        """The regex of ``entry`` (nested ``%refs`` expanded), compiled when first asked for."""
        found = self._regexes.get(entry)
        if found is None:
            try:
                found = re.compile(self.expand(entry.pattern), re.IGNORECASE)
            except re.error as exc:
                raise RuleFileError(f"lexicon.tsv: bad pattern {entry.pattern!r}: {exc}") from exc
            self._regexes[entry] = found
        return found

    def check(self) -> None:
        """Compile every entry: a bad pattern raises :class:`RuleFileError`."""
        for entries in self.classes.values():
            for entry in entries:
                self.regex(entry)

    @functools.cache  # noqa: B019 - one lexicon per process, kept for its lifetime
    def body(self, name: str) -> str:
        """The regex of class ``name``: the words of its entries that can be listed as one
        trie, then the other entries (nested ``%refs`` expanded), as alternatives."""
        if name not in self.classes:
            raise RuleFileError(f"unknown lexicon class %{name}")
        words: set[str] = set()
        others: list[str] = []
        for entry in self.classes[name]:
            listed = None if CLASS_REF.search(entry.pattern) else finite_words(entry.pattern)
            if listed is None:
                others.append(self.expand(entry.pattern))
            else:
                words |= listed
        parts = ([word_trie(words)] if words else []) + others
        return "(?:" + "|".join(parts) + ")"

    def expand(self, pattern: str, groups: bool = False) -> str:
        """Replace each ``%class`` (or ``%class:alias``) in ``pattern`` by its alternation.

        With ``groups``, each reference becomes a named group (the alias, else the class name).
        """

        def sub(m: re.Match[str]) -> str:
            body = self.body(m.group(1))
            return f"(?P<{m.group(2) or m.group(1)}>{body})" if groups else body

        return CLASS_REF.sub(sub, pattern)

    def normalise(self, name: str, text: str) -> str | None:
        """The value of the first entry of class ``name`` that matches all of ``text``."""
        key = (name, text.lower())
        if key not in self._norm_cache:
            if len(self._norm_cache) > NORMALISE_CACHE_SIZE:
                self._norm_cache.clear()
            self._norm_cache[key] = self._normalise(name, text)
        return self._norm_cache[key]

    def _normalise(self, name: str, text: str) -> str | None:
        text = text.strip()
        for entry in self.classes.get(name, []):
            if not self.regex(entry).fullmatch(text):
                continue
            if entry.value == "#":
                digits = DIGITS.search(text)
                return digits.group(0) if digits else None
            if entry.value == "=":
                return text
            if entry.value.startswith("sum(") and entry.value.endswith(")"):
                return self._compose(entry.value[4:-1], text)
            if entry.value.startswith("hundreds(") and entry.value.endswith(")"):
                return self._hundreds(entry.value[9:-1], text)
            return entry.value
        return None

    def _hundreds(self, word_class: str, text: str) -> str | None:
        """A year said in two numbers: the first counts hundreds ("nineteen ninety-six" ->
        "1996", "eighteen oh five" -> "1805", "nineteen hundred" -> "1900")."""
        first, _, rest = text.strip().partition(" ")
        high = self.normalise(word_class, first)
        low = self._compose(word_class, rest) if rest else "0"
        if high is None or low is None:
            return None
        below = int(float(low))
        return str(int(float(high)) * 100 + (below if below < 100 else 0))

    def _compose(self, word_class: str, text: str) -> str | None:
        """Compose a number from the words of ``word_class`` ("twenty four" -> "24")."""
        total, current = 0.0, 0.0
        for word in JOINER.split(text):
            value = self.normalise(word_class, word)
            if value is None:
                continue  # a joining word such as "and"
            number = float(value)
            if number >= 100:
                current = max(current, 1.0) * number
                if number >= 1000:
                    total, current = total + current, 0.0
            else:
                current += number
        result = total + current
        return str(int(result)) if result == int(result) else str(result)


@functools.cache
def load_lexicon() -> Lexicon:
    """The lexicon of ``rules/lexicon.tsv`` (read once per process; each entry's regex is
    compiled when first used, all of them by :meth:`Lexicon.check`)."""
    _, rows = read_table("lexicon.tsv")
    classes: dict[str, list[Entry]] = {}
    for row in rows:
        name, pattern, value = row["class"], row["pattern"], row["value"]
        if not name or not pattern:
            raise RuleFileError(f"{row.source}:{row.line}: class and pattern are required")
        classes.setdefault(name, []).append(Entry(pattern, value))
    return Lexicon(classes)
