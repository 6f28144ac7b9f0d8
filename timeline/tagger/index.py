"""The rule index: which rules to try where, so that a text is not scanned once per rule.

Every time expression holds an anchor word (the lexicon's ``anchor`` class: a month, a
weekday, a unit, a year ...). One regex finds the anchors; the rules are then tried with
``match()`` only at the few token starts before each anchor, and only those rules whose
matches can begin with the characters found there (prefix sets computed from the parsed
regexes, every ASCII digit written 0). :func:`exhaustive_candidates` tries every rule at
every token: the tests check that both find the same matches. The prefix sets and the
anchor regex are kept in the cache of :mod:`.tablecache`.

The prefixes form a trie, one character a level; each prefix holds the rules of every prefix
it begins with, and each node of the trie the rules of the last prefix met on the way down to
it, so that the rules to try at a place are those of the node where the walk of its
characters down the trie ends, when no prefix goes on: most places of a text start no rule,
and the walk ends there after a character or two.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import tablecache
from .compiler import FLAGS, Rule, load_rules
from .context import ASCII_LOWER
from .lexicon import load_lexicon
from .regexwords import (
    ASCII_FOLDS,
    ASCII_KEY,
    by_first_character,
    finite_words,
    key_of,
    key_prefixes,
    optional_groups_as_branches,
    top_alternatives,
)

# The ``match`` of a rule's regex.
Matcher = Callable[[str, int], "re.Match[str] | None"]
TOKEN = re.compile(r"\d{1,2}:\d\d|[^\W\d_]\.[^\W\d_]\.|\w+|[^\w\s]")
# How many tokens before an anchor word a time expression may start
# ("more than four decades ago": four tokens before "decades").
LOOKBACK = 5
LOOKBACK_CHARS = 64
# A shorter window tried first: its last LOOKBACK tokens are those of the whole window when
# white space stands before them (after white space the tokens are the same, wherever the
# window began), which is most of the time.
NEAR_CHARS = 38
SPACE = re.compile(r"\s")
# The last LOOKBACK tokens before a place, read backwards in the text reversed: where no
# token of TOKEN_MARKS is near, a token is a word (all of it) or one other character that is
# no white space, whichever way it is read. What the near window asks is asked after them:
# a character that is no white space (a token before them) and one that is (after which
# the tokens are the same wherever the window began).
LAST_TOKENS = re.compile(r"\s*+(\w++|[^\w\s])" * LOOKBACK + r"(?=\s*+\S)(?=\S*+\s)")
# Where a token of TOKEN may hold a mark ("10:30", "U.S."): any colon after a digit and
# before two, any full stop after a letter and before a letter and a full stop.
TOKEN_MARKS = re.compile(r"[.:](?:(?<=\d:)\d\d|(?<=[^\W\d_]\.)[^\W\d_]\.)")
# How many leading characters of a match the rule index tells rules apart by, at most: where
# a rule's prefixes of that length are too many to list, those that vary too much are cut
# shorter ("a day" and "a wee" stay beside "00" for two digits; regexwords.key_prefixes).
PREFIX = 8

# What the anchor regex begins with: no letter, digit or "_" before the word.
NOT_AFTER_WORD = r"(?<!\w)"


@dataclass(frozen=True)
class RuleIndex:
    """The rules by the characters they can start with, and the lexicon's anchor words
    (matched against the text with its ASCII letters lower-cased)."""

    # The prefixes as a trie: a node maps each character to the node below it, and "" to
    # the number of the group of rules of the last prefix met on the way down to it (the
    # prefix that ends there, else the nearest one it begins with; none when no prefix does:
    # :func:`index_tables`).
    trie: dict[str, Any]
    # The rules of each group: those of every prefix that the group's prefixes begin with,
    # and those that may start anywhere, in rule order.
    groups: tuple[tuple[Rule, ...], ...]
    anywhere: tuple[Rule, ...]
    # The anchor regex as written (:attr:`anchor` compiles it when a text needs it).
    anchor_source: str
    every: tuple[Rule, ...]
    # The anchor regex after a space, and after any other character that is no ASCII letter,
    # digit or "_" (one outside ASCII is then checked to be no letter): :meth:`anchor_starts`.
    after_space: re.Pattern[str]
    after_other: re.Pattern[str]

    @functools.cached_property
    def anchor(self) -> re.Pattern[str]:
        """The anchor regex, compiled when first needed (the two scans of
        :meth:`anchor_starts` stand in for it)."""
        return re.compile(self.anchor_source)

    def anchor_starts(self, lowered: str) -> list[int]:
        """Where :attr:`anchor` finds the anchor words of ``lowered``, as its ``finditer``
        would (each match after the end of the one before), found faster.

        A scan for the anchor regex tries it at every character; most of them are inside
        words, where the look-behind fails. Two scans try it only after a space (which the
        regex engine looks for as a literal) and after another character that is no ASCII
        letter, digit or ``_`` (a character set it checks without trying the regex): an
        anchor word starts at the text's start or after one of them. Where two of the
        matches found overlap (an anchor word inside another, never seen in a text), the
        scans cannot tell which one ``finditer`` keeps, and the text is scanned as before.
        """
        found = [(m.start() + 1, m.end()) for m in self.after_space.finditer(lowered)]
        found += [(m.start() + 1, m.end()) for m in self.after_other.finditer(lowered)]
        first = self.after_space.match(" " + lowered)  # an anchor word at the start
        if first is not None:
            found.append((0, first.end() - 1))
        found.sort()
        reached = 0
        for start, end in found:
            if start < reached:
                return [m.start() for m in self.anchor.finditer(lowered)]
            reached = end
        return [start for start, _ in found]

    def rules_at(self, key: str) -> tuple[Rule, ...]:
        """The rules whose matches can start with ``key`` (the next ``PREFIX`` characters of
        the text, its ASCII letters lower-cased; its ASCII characters may be folded already,
        as :func:`.regexwords.key_of` folds them)."""
        if key.isascii():
            return self.rules_of(key.translate(ASCII_KEY))
        if any(char in key for char in ASCII_FOLDS):
            return self.every
        return self.rules_of(key_of(key))

    def rules_of(self, folded: str) -> tuple[Rule, ...]:
        """:meth:`rules_at` of a key already folded by :func:`.regexwords.key_of`: the rules
        of the last prefix met walking its first ``PREFIX`` characters down the trie."""
        group = self.group_of(folded)
        return self.anywhere if group is None else self.groups[group]

    def group_of(self, folded: str) -> int | None:
        """The number of the group of :meth:`rules_of`, ``None`` for :attr:`anywhere`."""
        node = self.trie
        for char in folded[:PREFIX]:
            below = node.get(char)
            if below is None:
                break
            node = below
        group: int | None = node.get("")
        return group

    @functools.cached_property
    def tries(self) -> list[tuple[tuple[Rule, Matcher], ...] | None]:
        """The rules of each group, then those of :attr:`anywhere`, with the ``match`` of
        their regexes, as :func:`matches_at` tries them; a group's are filled in when a text
        first needs them (:meth:`tries_of`: a rule's regex is compiled when first tried)."""
        return [None] * (len(self.groups) + 1)

    def tries_of(self, slot: int) -> tuple[tuple[Rule, Matcher], ...]:
        """:attr:`tries` at ``slot`` (a group's number, or the number of groups for
        :attr:`anywhere`), filled in."""
        found = self.tries[slot]
        if found is None:
            rules = self.groups[slot] if slot < len(self.groups) else self.anywhere
            found = self.tries[slot] = tuple((rule, rule.regex.match) for rule in rules)
        return found


@functools.cache
def rule_index() -> RuleIndex:
    """The index of :func:`load_rules` by the first characters of their matches."""
    rules = load_rules()
    tables = tablecache.cached("index", lambda: index_tables(rules))
    if not _is_tables(tables, len(rules)):
        tables = index_tables(rules)
    anywhere = tuple(rules[i] for i in tables["anywhere"])
    groups = tuple(
        tuple(rules[i] for i in sorted({*tables["anywhere"], *at})) for at in tables["groups"]
    )
    after_space = re.compile(" " + tables["anchor"].removeprefix(NOT_AFTER_WORD))
    after_other = re.compile("[^0-9A-Za-z_ ]" + tables["anchor"])
    return RuleIndex(
        tables["trie"], groups, anywhere, tables["anchor"], rules, after_space, after_other
    )


def index_tables(rules: tuple[Rule, ...]) -> dict[str, Any]:
    """What :func:`rule_index` is made of, as JSON: the trie of the prefixes, the groups of
    rules (by their ``order``) that its prefixes start, the rules that may start anywhere,
    and the regex of the anchor words.

    A prefix's group holds the rules whose matches can start with it or with a shorter
    prefix that it begins with; prefixes that start the same rules share a group."""
    own: dict[str, set[int]] = {}
    anywhere: list[int] = []
    for rule in rules:
        found = key_prefixes(rule.pattern, FLAGS, PREFIX)
        if found is None or "" in found:
            anywhere.append(rule.order)
            continue
        for text in found:
            own.setdefault(text, set()).add(rule.order)
    trie: dict[str, Any] = {}
    numbers: dict[tuple[int, ...], int] = {}
    for text in sorted(own):
        at = set().union(*(own.get(text[:size], ()) for size in range(1, len(text) + 1)))
        node = trie
        for char in text:
            node = node.setdefault(char, {})
        node[""] = numbers.setdefault(tuple(sorted(at)), len(numbers))
    # a node where no prefix ends takes the group of the last one above it
    below: list[tuple[dict[str, Any], int | None]] = [(trie, None)]
    while below:
        node, above = below.pop()
        if "" not in node and above is not None:
            node[""] = above
        below.extend((child, node.get("")) for char, child in node.items() if char)
    anchor = NOT_AFTER_WORD + optional_groups_as_branches(anchor_pattern()) + r"(?!\w)"
    return {
        "trie": trie,
        "groups": [list(at) for at in numbers],
        "anywhere": anywhere,
        "anchor": anchor,
    }


def _is_tables(value: Any, count: int) -> bool:
    """Whether ``value`` has the shape :func:`index_tables` gives, for ``count`` rules."""
    if not isinstance(value, dict) or not isinstance(value.get("anchor"), str):
        return False
    groups = value.get("groups")
    if not isinstance(groups, list):
        return False
    lists = [value.get("anywhere"), *groups]
    if not all(
        isinstance(at, list) and all(isinstance(i, int) and 0 <= i < count for i in at)
        for at in lists
    ):
        return False
    return _is_trie(value.get("trie"), len(groups))


def _is_trie(root: Any, groups: int) -> bool:
    """Whether ``root`` is a trie as :func:`index_tables` writes it, of ``groups`` groups."""
    nodes = [root]
    while nodes:
        node = nodes.pop()
        if not isinstance(node, dict):
            return False
        for key, below in node.items():
            if key:
                if len(key) != 1:
                    return False
                nodes.append(below)
            elif not (isinstance(below, int) and 0 <= below < groups):
                return False
    return True


def anchor_pattern() -> str:
    """The lexicon's anchor words as one regex: the rows whose words can be listed go into a
    trie (``d(?:a(?:ily|y)|...)``), which the regex engine walks faster than a long
    alternation; the others are kept as written, each after the words of the trie that begin
    with the character it begins with (:func:`.regexwords.by_first_character`)."""
    words: set[str] = set()
    patterns: list[str] = []
    for entry in load_lexicon().classes["anchor"]:
        listed = finite_words(entry.pattern)
        if listed is None:
            patterns.extend(top_alternatives(entry.pattern))
        else:
            words |= listed
    return "(?:" + by_first_character(words, patterns) + ")"


def candidates(text: str, lowered: str | None = None) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Every match of every rule that starts a few tokens before an anchor word.

    Returns ``(start, end, rule, match)`` tuples. A rule may match context it does not tag:
    its ``(?P<span>...)`` group, when present, gives the mention's extent ("in
    (?P<span>%year)" tags the year, not "in"). Empty matches are left out.
    """
    index = rule_index()
    low_text = lowered if lowered is not None else text.translate(ASCII_LOWER)
    wanted: set[int] = set()
    backwards = text[::-1]
    for at in index.anchor_starts(low_text):
        wanted.update(tokens_before(text, at, backwards))
        wanted.add(at)
    # The text's ASCII characters folded as the index's keys are, once for all its places.
    return matches_at(text, low_text.translate(ASCII_KEY), wanted, index)


def tokens_before(text: str, at: int, backwards: str | None = None) -> list[int]:
    """The starts of the last ``LOOKBACK`` tokens in the ``LOOKBACK_CHARS`` characters before
    ``at`` (a word the window cuts in two is not one of them). ``backwards``, ``text``
    reversed, lets most of them be read in one match (:data:`LAST_TOKENS`)."""
    near = at - NEAR_CHARS
    if near > 0 and backwards is not None:
        last = LAST_TOKENS.match(backwards, len(text) - at, len(text) - near)
        if last is not None and TOKEN_MARKS.search(text, near, at) is None:
            size, spans = len(text), last.regs
            return [size - spans[i][1] for i in range(LOOKBACK, 0, -1)]
    if near > 0:
        starts = [m.start() for m in TOKEN.finditer(text, near, at)]
        if len(starts) > LOOKBACK and SPACE.search(text, near, starts[-LOOKBACK]):
            return starts[-LOOKBACK:]
    low = max(0, at - LOOKBACK_CHARS)
    starts = [m.start() for m in TOKEN.finditer(text, low, at)]
    if starts and starts[0] == low and low > 0 and text[low - 1].isalnum():
        starts.pop(0)  # a word cut in two by the window
    return starts[-LOOKBACK:]


def exhaustive_candidates(text: str) -> Iterator[tuple[int, int, Rule, re.Match[str]]]:
    """Every match of every rule at every token start: what :func:`candidates` must equal."""
    everything = load_rules()
    for m in TOKEN.finditer(text):
        for rule in everything:
            match = rule.regex.match(text, m.start())
            found = _extent(rule, match) if match is not None else None
            if found:
                yield found


def matches_at(
    text: str, keys: str, starts: Iterable[int], index: RuleIndex
) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """The matches of the rules that can start at each of ``starts``. ``keys`` is ``text``
    with its ASCII letters lower-cased, and its ASCII characters folded as
    :func:`.regexwords.key_of` folds them."""
    found: list[tuple[int, int, Rule, re.Match[str]]] = []
    trie, tries, tries_of = index.trie, index.tries, index.tries_of
    nowhere = len(index.groups)  # the slot of the rules that may start anywhere
    for start in starts:
        key = keys[start : start + PREFIX]
        if key.isascii():  # :meth:`RuleIndex.group_of`, written out: it runs at every place
            node = trie
            for char in key:
                below = node.get(char)
                if below is None:
                    break
                node = below
            slot = node.get("", nowhere)
            rules = tries[slot]
            if rules is None:
                rules = tries_of(slot)
        else:
            rules = tuple((rule, rule.regex.match) for rule in index.rules_at(key))
        for rule, match in rules:
            matched = match(text, start)
            if matched is not None:
                extent = _extent(rule, matched)
                if extent:
                    found.append(extent)
    return found


def _extent(rule: Rule, match: re.Match[str]) -> tuple[int, int, Rule, re.Match[str]] | None:
    """The mention's offsets in a match (its ``span`` group when it has one); None if empty."""
    if rule.spanned and match.group("span") is not None:
        begin, end = match.span("span")
    else:
        begin, end = match.span()
    return (begin, end, rule, match) if end > begin else None
