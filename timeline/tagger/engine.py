"""Extraction: match the rule tables on the original text and fill each rule's production.

The engine knows no words. It compiles every rule of ``rules/*.rules.tsv`` into a regex
(expanding ``%class`` references from the lexicon), runs them over the text as given, keeps
the longest non-overlapping matches, and turns each into a :class:`Partial` whose fields are
the rule's production with ``{group}`` placeholders replaced by normalised words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import RuleFileError
from .context import ASCII_LOWER
from .lexicon import CLASS_REF, Lexicon, load_lexicon
from .model import TIMEX_TYPES, Partial
from .rulefiles import Row, read_table, rule_files

PLACEHOLDER = re.compile(r"\{([a-z0-9_|]+)\}")
# A match never starts inside a word or a number, nor right after a currency sign,
# and never stops inside a word or before the rest of a number ("2001,000", "48.5").
LEFT_EDGE = r"(?<![\w$€£¥#@/])(?<!\d[.,:])"
RIGHT_EDGE = r"(?!\w)(?![.,:/]\d)"


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its name, regex, production template and the classes of its groups."""

    name: str
    regex: re.Pattern[str]
    production: tuple[tuple[str, str], ...]
    group_classes: tuple[tuple[str, str], ...]
    examples: tuple[str, ...]
    source: str
    line: int
    order: int
    spanned: bool

    @property
    def rank(self) -> tuple[bool, int]:
        """Tie-break between matches of one length: negative rules first, then file order."""
        return (dict(self.production).get("type") != "NONE", self.order)


def spaces_to_whitespace(pattern: str) -> str:
    """Each literal space of ``pattern`` becomes ``\\s+`` (``\\s`` inside a look-behind, which
    must keep a fixed width); escaped characters and character classes are left alone."""
    out: list[str] = []
    stack: list[bool] = []  # for each open group: is it a look-behind?
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            stack.append(pattern.startswith(("(?<=", "(?<!"), i))
        elif char == ")" and stack:
            stack.pop()
        elif char == " ":
            char = r"\s" if any(stack) else r"\s+"
        out.append(char)
        i += 1
    return "".join(out)


def compile_pattern(lexicon: Lexicon, pattern: str) -> str:
    """The regex of a rule pattern: ``%class`` expanded into named groups, spaces into ``\\s+``."""
    spaced = spaces_to_whitespace(pattern)
    return LEFT_EDGE + "(?:" + lexicon.expand(spaced, groups=True) + ")" + RIGHT_EDGE


def parse_production(row: Row) -> tuple[tuple[str, str], ...]:
    """Split ``key=value key=value`` into pairs; ``type`` must be a TIMEX3 type."""
    pairs: list[tuple[str, str]] = []
    for token in row["production"].split():
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise RuleFileError(
                f"{row.source}:{row.line}: production token {token!r} is not key=value"
            )
        pairs.append((key, value))
    types = [v for k, v in pairs if k == "type"]
    if len(types) != 1 or types[0] not in TIMEX_TYPES | {"NONE"}:
        raise RuleFileError(
            f"{row.source}:{row.line}: production needs one type=DATE|TIME|DURATION|SET|NONE"
        )
    return tuple(pairs)


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule of every ``*.rules.tsv`` file, compiled, in file then line order."""
    lexicon = load_lexicon()
    rules: list[Rule] = []
    for name in rule_files():
        _, rows = read_table(name)
        for row in rows:
            try:
                regex = re.compile(compile_pattern(lexicon, row["pattern"]), re.IGNORECASE)
            except (re.error, RuleFileError) as exc:
                raise RuleFileError(f"{name}:{row.line}: rule {row['name']}: {exc}") from exc
            classes = tuple(
                (m.group(2) or m.group(1), m.group(1)) for m in CLASS_REF.finditer(row["pattern"])
            )
            examples = tuple(e.strip() for e in row["examples"].split("|") if e.strip())
            rules.append(
                Rule(
                    row["name"],
                    regex,
                    parse_production(row),
                    classes,
                    examples,
                    name,
                    row.line,
                    len(rules),
                    "span" in regex.groupindex,
                )
            )
    return tuple(rules)


def fill(rule: Rule, match: re.Match[str], lexicon: Lexicon) -> dict[str, str] | None:
    """The production of ``rule`` with its placeholders filled from ``match``.

    ``{a|b}`` takes the first of the groups that matched. A field whose placeholder names
    no group that took part in the match is left out; a group whose words the lexicon
    cannot normalise rejects the match (``None``).
    """
    values: dict[str, str | None] = {}
    for group, cls in rule.group_classes:
        words = match.group(group)
        if words is None:
            values[group] = None
            continue
        value = lexicon.normalise(cls, words)
        if value is None:
            return None
        values[group] = value
    fields: dict[str, str] = {}
    for key, template in rule.production:
        missing = False

        def sub(m: re.Match[str]) -> str:
            nonlocal missing
            value = next(
                (values[g] for g in m.group(1).split("|") if values.get(g) is not None), None
            )
            if value is None:
                missing = True
                return ""
            return value

        filled = PLACEHOLDER.sub(sub, template)
        if not missing:
            fields[key] = filled
    return fields


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
                rule
                for size in range(1, PREFIX + 1)
                for rule in self.by_prefix.get(key[:size], ())
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

    def join(self, left: set[tuple[str, bool]], right: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
        out: set[tuple[str, bool]] = set()
        for text, is_open in left:
            if not is_open:
                out.add((text, False))
                continue
            for more, more_open in right:
                joined = (text + more)[: self.size]
                out.add((joined, more_open and len(joined) < self.size))
        return out

    def item(self, op: Any, arg: Any) -> set[tuple[str, bool]] | None:  # noqa: PLR0911
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


def extract(text: str, lowered: str | None = None) -> list[Partial]:
    """The time expressions of ``text`` as underspecified partials, in text order.

    Overlaps are settled by length (the longest match wins), then by rule rank. A rule of
    ``type=NONE`` claims its words and yields nothing: a negative rule ("a second chance",
    a dateline restating the publication date).
    """
    lexicon = load_lexicon()
    found = sorted(candidates(text, lowered), key=lambda c: (c[0] - c[1], c[2].rank, c[0]))
    taken = bytearray(len(text))
    chosen: list[Partial] = []
    for start, end, rule, match in found:
        if any(taken[start:end]):
            continue
        fields = fill(rule, match, lexicon)
        if fields is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        if fields["type"] != "NONE":
            chosen.append(Partial(start, end, text[start:end], rule.name, fields))
    chosen.sort(key=lambda p: p.start)
    return chosen
