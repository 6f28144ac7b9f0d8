"""What a regex can match, worked out from its parsed form: the prefixes of its matches, the
whole list of words of a small finite one, and the trie regex of a list of words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def prefixes(regex: re.Pattern[str], size: int = 2) -> set[str] | None:
    """The lower-cased strings of ``size`` characters a match of ``regex`` can start with
    (shorter ones for matches that can be shorter); ``None`` when they are too many to list."""
    try:
        from re import _parser  # type: ignore[attr-defined,unused-ignore]

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
                if len(union) > self.LIMIT:
                    return None
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
                if len(result) > self.LIMIT:
                    return None
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


def finite_words(pattern: str, flags: int = 0) -> set[str] | None:
    """Every (lower-cased) string ``pattern`` matches, when they are few and short; else None.

    Patterns with scoped flags (``(?-i:May)``) are not listed: their case matters.
    """
    if "(?" in pattern.replace("(?:", "") or UNBOUNDED.search(pattern):
        return None
    found = prefixes(re.compile(pattern, flags), WORD_LIMIT)
    if found is None or any(len(text) >= WORD_LIMIT - 1 for text in found):
        return None
    return found


WORD_LIMIT = 40
# Classes of characters and repeats that make a pattern's strings too many to list.
UNBOUNDED = re.compile(r"\\[dwsDWS]|[+*{]")


def word_trie(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, as a trie: ``["day", "daily"]`` gives
    ``da(?:ily|y)``."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)
