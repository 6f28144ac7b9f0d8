"""The rule index: which rules to try where, so that a text is not scanned once per rule.

Every time expression holds an anchor word (the lexicon's ``anchor`` class: a month, a
weekday, a unit, a year ...). One regex finds the anchors; the rules are then tried with
``match()`` only at the few token starts before each anchor, and only those rules whose
matches can begin with the characters found there (prefix sets computed from the parsed
regexes). :func:`exhaustive_candidates` tries every rule at every token: the tests check
that both find the same matches.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .compiler import Rule, load_rules
from .context import ASCII_LOWER
from .lexicon import load_lexicon

TOKEN = re.compile(r"\d{1,2}:\d\d|[^\W\d_]\.[^\W\d_]\.|\w+|[^\w\s]")
# How many tokens before an anchor word a time expression may start
# ("more than four decades ago": four tokens before "decades").
LOOKBACK = 5
LOOKBACK_CHARS = 64
# How many leading characters of a match the rule index tells rules apart by.
PREFIX = 3


@dataclass(frozen=True)
class RuleIndex:
    """The rules by the characters they can start with, and the lexicon's anchor words
    (matched against the text with its ASCII letters lower-cased)."""

    by_prefix: dict[str, tuple[Rule, ...]]
    anywhere: tuple[Rule, ...]
    anchor: re.Pattern[str]
    cache: dict[str, tuple[Rule, ...]]

    def rules_at(self, text: str, start: int) -> tuple[Rule, ...]:
        """The rules whose matches can start with the characters at ``start``."""
        key = text[start : start + PREFIX].lower()
        found = self.cache.get(key)
        if found is None:
            found = self.anywhere + tuple(
                rule for size in range(1, PREFIX + 1) for rule in self.by_prefix.get(key[:size], ())
            )
            self.cache[key] = found
        return found


@functools.cache
def rule_index() -> RuleIndex:
    """The index of :func:`load_rules` by the first characters of their matches."""
    by_prefix: dict[str, list[Rule]] = {}
    anywhere: list[Rule] = []
    for rule in load_rules():
        found = prefixes(rule.regex, PREFIX)
        if found is None or "" in found:
            anywhere.append(rule)
            continue
        for text in found:
            by_prefix.setdefault(text, []).append(rule)
    anchor = re.compile(r"(?<!\w)" + load_lexicon().body("anchor") + r"(?!\w)")
    return RuleIndex({k: tuple(r) for k, r in by_prefix.items()}, tuple(anywhere), anchor, {})


def prefixes(regex: re.Pattern[str], size: int = 2) -> set[str] | None:
    """The lower-cased strings of ``size`` characters a match of ``regex`` can start with
    (shorter ones for matches that can be shorter); ``None`` when they are too many to list."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(regex.pattern, regex.flags)
    except (ImportError, re.error, AttributeError):  # pragma: no cover - other Pythons
        return None
    found = _Prefixes(_parser, size).sequence(list(parsed))
    if found is None:
        return None
    return {text for text, _ in found}


class _Prefixes:
    """Walks a parsed regex and lists the prefixes its matches can begin with.

    A prefix is ``(text, open)``: ``open`` when the match may go on after ``text`` (which is
    then shorter than ``size``). Anything too varied (``\\w``, ``.``) gives ``None``.
    """

    LIMIT = 4000

    def __init__(self, sre: Any, size: int) -> None:
        self.c = sre
        self.size = size

    def sequence(self, items: list[Any]) -> set[tuple[str, bool]] | None:
        result: set[tuple[str, bool]] = {("", True)}
        for op, arg in items:
            if not any(is_open for _, is_open in result):
                break
            item = self.item(op, arg)
            if item is None:
                return None
            result = self.join(result, item)
            if len(result) > self.LIMIT:
                return None
        return result

    def join(
        self, left: set[tuple[str, bool]], right: set[tuple[str, bool]]
    ) -> set[tuple[str, bool]]:
        out: set[tuple[str, bool]] = set()
        for text, is_open in left:
            if not is_open:
                out.add((text, False))
                continue
            for more, more_open in right:
                joined = (text + more)[: self.size]
                out.add((joined, more_open and len(joined) < self.size))
        return out

    def item(self, op: Any, arg: Any) -> set[tuple[str, bool]] | None:
        c = self.c
        if op is c.LITERAL:
            return {(chr(arg).lower(), True)}
        if op is c.IN:
            chars = self.charset(arg)
            return None if chars is None else {(ch, True) for ch in chars}
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return {("", True)}
        if op is c.SUBPATTERN:
            return self.sequence(list(arg[-1]))
        if op is c.BRANCH:
            union: set[tuple[str, bool]] = set()
            for branch in arg[1]:
                found = self.sequence(list(branch))
                if found is None:
                    return None
                union |= found
            return union
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            once = self.sequence(list(body))
            if once is None:
                return None
            result: set[tuple[str, bool]] = {("", True)}
            total: set[tuple[str, bool]] = {("", True)} if low == 0 else set()
            for count in range(1, min(high, self.size) + 1):
                result = self.join(result, once)
                if count >= low:
                    total |= result
            if high > self.size:  # longer runs only continue the prefixes already listed
                total |= {(t, False) for t, _ in result}
            return total
        return None

    def charset(self, items: list[Any]) -> set[str] | None:
        c = self.c
        chars: set[str] = set()
        for kind, value in items:
            if kind is c.LITERAL:
                chars.add(chr(value).lower())
            elif kind is c.RANGE and value[1] - value[0] < 128:
                chars |= {chr(x).lower() for x in range(value[0], value[1] + 1)}
            elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                chars |= set("0123456789")
            elif kind is c.CATEGORY and value is c.CATEGORY_SPACE:
                chars |= set(" \t\n\r\f\v")
            else:
                return None
        return chars


def candidates(text: str, lowered: str | None = None) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Every match of every rule that starts a few tokens before an anchor word.

    Returns ``(start, end, rule, match)`` tuples. A rule may match context it does not tag:
    its ``(?P<span>...)`` group, when present, gives the mention's extent ("in
    (?P<span>%year)" tags the year, not "in"). Empty matches are left out.
    """
    index = rule_index()
    low_text = lowered if lowered is not None else text.translate(ASCII_LOWER)
    wanted: set[int] = set()
    token_starts = TOKEN.finditer
    for anchor in index.anchor.finditer(low_text):
        at = anchor.start()
        low = max(0, at - LOOKBACK_CHARS)
        starts = [m.start() for m in token_starts(text, low, at)]
        if starts and starts[0] == low and low > 0 and text[low - 1].isalnum():
            starts.pop(0)  # a word cut in two by the window
        wanted.update(starts[-LOOKBACK:])
        wanted.add(at)
    return matches_at(text, low_text, wanted, index)


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
    text: str, lowered: str, starts: Iterable[int], index: RuleIndex
) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """The matches of the rules that can start at each of ``starts``."""
    cache = index.cache
    found: list[tuple[int, int, Rule, re.Match[str]]] = []
    for start in starts:
        rules = cache.get(lowered[start : start + PREFIX])
        if rules is None:
            rules = index.rules_at(text, start)
        for rule in rules:
            match = rule.regex.match(text, start)
            if match is not None:
                extent = _extent(rule, match)
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
