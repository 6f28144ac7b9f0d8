"""What a regex can match, worked out from its parsed form: the prefixes of its matches, the
whole list of words of a small finite one, and the trie regex of a list of words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any


def prefixes(regex: re.Pattern[str], size: int = 2) -> set[str] | None:
    """The lower-cased strings of ``size`` characters a match of ``regex`` can start with
    (shorter ones for matches that can be shorter); ``None`` when they are too many to list."""
    return _listed(regex.pattern, regex.flags, _Prefixes, size)


def key_prefixes(pattern: str, flags: int, size: int) -> set[str] | None:
    """Strings of at most ``size`` characters one of which starts every match of ``pattern``,
    written as :func:`key_of` writes a text: the longest ones that stay few (``"a day"``
    beside ``"00"`` when what may follow two digits is too much to list); ``None`` when no
    list can be had (other Pythons)."""
    return _listed(pattern, flags, _Keys, size)


def _listed(pattern: str, flags: int, walker: type[_Prefixes], size: int) -> set[str] | None:
    """The prefixes ``walker`` lists for ``pattern``, or ``None``."""
    try:
        from re import _parser  # type: ignore[attr-defined,unused-ignore]

        parsed = _parser.parse(pattern, flags)
    except (ImportError, re.error, AttributeError):  # pragma: no cover - other Pythons
        return None
    found = walker(_parser, size).sequence(list(parsed))
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
                return self.unknown(result)
            joined = self.few(self.join(result, item))
            if joined is None:
                return None
            result = joined
        return result

    def few(self, found: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
        """``found`` when it has at most ``LIMIT`` prefixes, else ``None``."""
        return found if len(found) <= self.LIMIT else None

    def unknown(self, found: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
        """What a sequence gives when its next item cannot be listed after ``found``."""
        return None

    def join(
        self, left: set[tuple[str, bool]], right: set[tuple[str, bool]]
    ) -> set[tuple[str, bool]]:
        out: set[tuple[str, bool]] = set()
        cut: dict[int, set[tuple[str, bool]]] = {}  # ``right`` cut to what fits after a text
        for text, is_open in left:
            if not is_open:
                out.add((text, False))
                continue
            room = self.size - len(text)
            fits = cut.get(room)
            if fits is None:
                fits = {(more[:room], is_on and len(more) < room) for more, is_on in right}
                cut[room] = fits
            out.update((text + more, is_on) for more, is_on in fits)
        return out

    def item(self, op: Any, arg: Any) -> set[tuple[str, bool]] | None:
        c = self.c
        if op is c.LITERAL:
            return {(self.fold(chr(arg)), True)}
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
            return self.few(union)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            once = self.sequence(list(body))
            if once is None:
                return None
            result: set[tuple[str, bool]] = {("", True)}
            total: set[tuple[str, bool]] = {("", True)} if low == 0 else set()
            for count in range(1, min(high, self.size) + 1):
                joined = self.few(self.join(result, once))
                if joined is None:
                    return None
                result = joined
                if count >= low:
                    total |= result
            if high > self.size:  # longer runs only continue the prefixes already listed
                total |= {(t, False) for t, _ in result}
            return self.few(total)
        return None

    def fold(self, char: str) -> str:
        """How a character of a prefix is written: lower-cased."""
        return char.lower()

    def charset(self, items: list[Any]) -> set[str] | None:
        c = self.c
        chars: set[str] = set()
        for kind, value in items:
            if kind is c.LITERAL:
                chars.add(self.fold(chr(value)))
            elif kind is c.RANGE and value[1] - value[0] < 128:
                chars |= {self.fold(chr(x)) for x in range(value[0], value[1] + 1)}
            elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                chars |= {self.fold(d) for d in "0123456789"}
            elif kind is c.CATEGORY and value is c.CATEGORY_SPACE:
                chars |= {self.fold(w) for w in " \t\n\r\f\v"}
            else:
                return None
        return chars


class _Keys(_Prefixes):
    """:class:`_Prefixes` that shortens prefixes instead of giving up: when they grow too
    many, those of the greatest length that share all but their last character give way to
    that shared part, which then stands for every way to go on ("120", "121" ... become
    "12"); a part that cannot be listed ends the prefixes before it."""

    # Fewer than :class:`_Prefixes` lists: shorter prefixes are cheaper to work out and
    # still tell most rules apart.
    LIMIT = 1000

    def few(self, found: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
        if len(found) <= self.LIMIT:
            return found
        while len(found) > self.LIMIT // 4:  # well below: the next join has room to grow
            longest = max(len(text) for text, _ in found)
            if longest == 0:
                return None
            groups: dict[str, int] = {}
            for text, _ in found:
                if len(text) == longest:
                    groups[text[:-1]] = groups.get(text[:-1], 0) + 1
            size, stems = len(found), set()
            for stem, count in sorted(groups.items(), key=lambda g: (-g[1], g[0])):
                if size <= self.LIMIT // 4:
                    break
                stems.add(stem)
                size -= count - 1
            found = {
                (text[:-1], False)
                if len(text) == longest and text[:-1] in stems
                else (text, is_open)
                for text, is_open in found
            }
        return found

    def unknown(self, found: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
        return {(text, False) for text, _ in found}

    def fold(self, char: str) -> str:
        """As :func:`key_of` writes a character."""
        return key_of(char)


def key_of(text: str) -> str:
    """``text`` written as :func:`key_prefixes` writes its prefixes: lower-cased, every digit
    written ``0`` ("1998 a" and "2001 a" start the same rules) and every white space a space
    (what ``\\d`` and ``\\s`` match, in any script: "a\\u00a0day" starts as "a day" does)."""
    return "".join(
        " " if char.isspace() else "0" if char.isdecimal() else char for char in text.lower()
    )


# :func:`key_of` for a text of ASCII characters, as a table for ``str.translate``.
ASCII_KEY = str.maketrans({chr(c): key_of(chr(c)) for c in range(128) if key_of(chr(c)) != chr(c)})

# The characters outside ASCII that a letter of a pattern matches when case is ignored
# (KELVIN SIGN for "k", LONG S for "s", the dotted and dotless I for "i"): a key that holds
# one may start any rule.
ASCII_FOLDS = "\u0130\u0131\u017f\u212a"


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


def by_first_character(words: Iterable[str], patterns: list[str]) -> str:
    """An alternation of ``words`` and then ``patterns`` (alternatives) that finds what
    ``word_trie(words)`` followed by ``patterns`` in their order finds, begun with the first
    character of a match where it can be: each character starts one alternative, the trie
    of the words that begin with it and then the patterns that do, in their order (a pattern
    that begins with a class of plain characters, ``[ap]m``, goes with each of them); the
    patterns that begin otherwise (``\\d``) come last.

    The regex engine skips at once an alternative that begins with another character than
    the text's, but enters every one that begins otherwise (a trie of words begins with a
    choice). Alternatives that cannot begin with the same character cannot both match at one
    place, so their order does not matter; when a pattern that begins otherwise could begin
    with one of the characters (or with nothing), the alternation is the trie then the
    patterns as written."""
    words = list(words)
    by_char: dict[str, list[str]] = {}
    for char in sorted({word[0] for word in words if word}):
        by_char[char] = [word_trie(w[1:] for w in words if w[:1] == char)]
    last: list[str] = []
    for pattern in patterns:
        split = _first_characters(pattern)
        if split is None:
            last.append(pattern)
        for char, rest in split or ():
            by_char.setdefault(char, []).append(rest)
    if "" in words or any(_may_begin_with(p, by_char) for p in last):
        return "|".join([word_trie(words), *patterns])
    return "|".join(
        [
            re.escape(char) + ("(?:" + "|".join(rests) + ")" if len(rests) > 1 else rests[0])
            for char, rests in by_char.items()
        ]
        + last
    )


def _may_begin_with(pattern: str, chars: Iterable[str]) -> bool:
    """Whether a match of ``pattern`` may begin with one of ``chars`` (or be empty), as far as
    :func:`prefixes` can tell: a digit or space that it lists stands for every one."""
    try:
        first = prefixes(re.compile(pattern), 1)
    except re.error:
        return True
    if first is None or "" in first:
        return True
    digit, space = any(f.isdecimal() for f in first), any(f.isspace() for f in first)
    return any(
        c in first or c.lower() in first or (digit and c.isdecimal()) or (space and c.isspace())
        for c in chars
    )


def _first_characters(pattern: str) -> list[tuple[str, str]] | None:
    """``pattern`` as the first character of its matches and the rest, one pair for each
    character it may begin with, when it begins with a plain character or a class of
    letters and digits (``[ap]\\.m``) that no repeat follows; else ``None``."""
    if pattern.startswith("["):
        end = pattern.find("]")
        chars, rest = pattern[1:end], pattern[end + 1 :]
        if end < 2 or not chars.isalnum() or not chars.isascii():
            return None
    else:
        chars, rest = pattern[:1], pattern[1:]
        if not chars or chars in SYNTAX:
            return None
    if rest[:1] in ("?", "*", "+", "{"):
        return None
    return [(char, rest) for char in chars]


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Each bracket and bar of ``pattern`` that is not escaped or in a character class: its
    offset, the character, and the depth of groups after it."""
    depth, at, in_class = 0, 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith("]", at + 1) or pattern.startswith("^]", at + 1):
                at += 1 + (pattern[at + 1] == "^")  # a "]" first in a class is a character
        elif char in "()|":
            depth += 1 if char == "(" else -1 if char == ")" else 0
            yield at, char, depth
        at += 1


def top_alternatives(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` at its top level (``"a|b(?:c|d)"`` gives ``["a",
    "b(?:c|d)"]``)."""
    found: list[str] = []
    start = 0
    for at, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            found.append(pattern[start:at])
            start = at + 1
    found.append(pattern[start:])
    return found


def _group_end(pattern: str) -> int:
    """The offset of the ``)`` that closes the group ``pattern`` opens with."""
    for at, char, depth in _structure(pattern):
        if char == ")" and depth == 0:
            return at
    raise ValueError(f"no closing bracket in {pattern!r}")


def unfolded(alternative: str) -> list[str]:
    """``alternative`` as the alternatives it stands for when its leading non-capturing group
    is spelt out (``(?:a|b)c`` is ``ac|bc``, ``(?:a|b)?c`` is ``ac|bc|c``), in the order a
    backtracking engine tries them, so that either form finds the same match."""
    if not alternative.startswith("(?:"):
        return [alternative]
    end = _group_end(alternative)
    inner, rest = alternative[3:end], alternative[end + 1 :]
    optional = rest.startswith("?") and not rest.startswith(("??", "?+"))
    if optional:
        rest = rest[1:]
    elif rest[:1] in ("*", "+", "{", "?"):
        return [alternative]
    spelt = [more for branch in top_alternatives(inner) for more in unfolded(branch + rest)]
    return spelt + unfolded(rest) if optional else spelt


# What a factored alternative may not begin with: a character of regex syntax.
SYNTAX = "\\()[]{}.^$?*+|"


def factored(alternatives: list[str]) -> str:
    """An alternation of ``alternatives`` that tries at each place only those that can begin
    with the character found there, and finds the same match as ``"|".join(alternatives)``.

    Alternatives that begin with the same character share it (``ab|ac`` gives
    ``a(?:b|c)``, again inside); alternatives that begin with different characters cannot
    both match at one place, so their order does not matter. One that does not begin with
    a plain character (``\\w+ed``, a look-ahead) keeps its place between the others.
    """
    parts: list[str] = []
    run: dict[str, list[str]] = {}

    def close_run() -> None:
        for char, rests in run.items():
            tail = rests[0] if len(rests) == 1 else "(?:" + factored(rests) + ")"
            parts.append(re.escape(char) + tail)
        run.clear()

    for alternative in alternatives:
        first, rest = alternative[:1], alternative[1:]
        if not first or first in SYNTAX or rest[:1] in ("?", "*", "+", "{"):
            close_run()
            parts.append(alternative)
        else:
            run.setdefault(first, []).append(rest)
    close_run()
    return "|".join(parts)


def optional_groups_as_branches(pattern: str) -> str:
    """``pattern`` with each optional group written as a choice with nothing: ``(?:ab)?`` as
    ``(?:ab|)``, ``(?P<x>ab)?`` as ``(?:(?P<x>ab)|)``.

    Both try the group first, then go on without it, so they match the same text with the
    same groups; but Python's regex engine runs an optional group through its general repeat
    (a loop that counts), and a choice as a plain branch, which is cheaper: a rule whose match
    opens with optional words ("(?:about )?two days ago") is tried faster. A look-around or a
    repeat other than ``?`` (``*``, ``??``, ``{0,1}``) is left as it is, what is inside it
    rewritten. A pattern whose brackets do not pair is given back as it is (for the regex
    compiler to say what is wrong with it).
    """
    try:
        return _branches(pattern)
    except ValueError:
        return pattern


def _branches(pattern: str) -> str:
    """:func:`optional_groups_as_branches`; ``ValueError`` when a bracket is not closed."""
    out: list[str] = []
    at, in_class = 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            out.append(pattern[at : at + 2])
            at += 2
            continue
        if in_class:
            out.append(char)
            in_class = char != "]"
            at += 1
            continue
        if char == "[":
            opening = at + 1 + pattern.startswith("^", at + 1)
            opening += pattern.startswith("]", opening)
            out.append(pattern[at:opening])
            in_class, at = True, opening
            continue
        if char != "(":
            out.append(char)
            at += 1
            continue
        end = at + _group_end(pattern[at:])
        head = _group_head(pattern, at)
        inner = head + _branches(pattern[at + len(head) : end]) + ")"
        rest = pattern[end + 1 :]
        optional = rest.startswith("?") and not rest.startswith(("??", "?+"))
        if optional and head == "(?:":
            out.append(inner[:-1] + "|)")
            at = end + 2
        elif optional and (head == "(" or head.startswith("(?P<")):
            out.append("(?:" + inner + "|)")
            at = end + 2
        else:
            out.append(inner)
            at = end + 1
    return "".join(out)


def _group_head(pattern: str, at: int) -> str:
    """What opens the group at ``at`` before what it holds: ``(``, ``(?:``, ``(?P<x>``,
    ``(?<=`` ...; the whole group for one that holds no pattern (``(?P=x)``, ``(?i)``,
    ``(?#...)``), which is then copied as it is."""
    if not pattern.startswith("(?", at):
        return "("
    kind = pattern[at + 2 : at + 3]
    if kind in (":", "=", "!", ">"):
        return pattern[at : at + 3]
    if pattern.startswith(("(?<=", "(?<!"), at):
        return pattern[at : at + 4]
    if pattern.startswith("(?P<", at):
        return pattern[at : pattern.index(">", at) + 1]
    flags = re.match(r"\(\?[aiLmsux-]+:", pattern[at:])
    if flags:
        return flags.group(0)
    return pattern[at : at + _group_end(pattern[at:]) + 1][:-1]  # (?P=x), (?i), (?#...)
