"""Compilation of the rule tables ``rules/*.rules.tsv`` into regexes.

Each rule's pattern has its ``%class`` references expanded from the lexicon into named
groups and its spaces turned into ``\\s+``; the production is split into ``key=value``
fields. The module knows the format of the tables, never their words.

The expanded patterns are kept in the cache of :mod:`.tablecache` (each one checked to
compile when the cache is built); a rule's regex is compiled when the rule is first tried, so
that a process tagging a short text compiles only the few rules its words can start.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ..errors import RuleFileError
from . import tablecache
from .lexicon import CLASS_REF, Lexicon, load_lexicon
from .model import TIMEX_TYPES
from .regexwords import optional_groups_as_branches
from .rulefiles import Row, read_table, rule_files

# A match never starts inside a word or a number, nor right after a currency sign,
# and never stops inside a word or before the rest of a number ("2001,000", "48.5").
LEFT_EDGE = r"(?<![\w$€£¥#@/])(?<!\d[.,:])"
RIGHT_EDGE = r"(?!\w)(?![.,:/]\d)"


FLAGS = re.IGNORECASE
# The group that gives a mention's extent when a rule matches words around it.
SPAN_GROUP = "(?P<span>"


@dataclass(frozen=True)
class Rule:
    """A rule: its name, expanded pattern (compiled on first use, :attr:`regex`), production
    template and the classes of its groups."""

    name: str
    pattern: str
    production: tuple[tuple[str, str], ...]
    group_classes: tuple[tuple[str, str], ...]
    examples: tuple[str, ...]
    source: str
    line: int
    order: int
    spanned: bool

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """The rule's regex, compiled when first asked for (a pattern that does not compile
        raises :class:`RuleFileError`, but :func:`expand_rules` has checked them all)."""
        return compile_rule(self.pattern, self.source, self.line, self.name)

    @functools.cached_property
    def group_names(self) -> tuple[str, ...]:
        """The groups whose words the production reads, in :attr:`group_classes` order."""
        return tuple(group for group, _ in self.group_classes)

    @functools.cached_property
    def fills(self) -> dict[tuple[str | None, ...], tuple[object, dict[str, str] | None]]:
        """What :func:`.engine.fill` made of each set of the groups' words, and with which
        lexicon: a corpus says "Friday" and "last year" many times over."""
        return {}

    @functools.cached_property
    def rank(self) -> tuple[bool, int]:
        """Tie-break between matches of one length: negative rules first, then file order."""
        return (dict(self.production).get("type") != "NONE", self.order)


def spaces_to_whitespace(pattern: str) -> str:
    """Each literal space of ``pattern`` becomes ``\\s+`` and an optional one (`` ?``) ``\\s*``
    (both ``\\s`` inside a look-behind, which must keep a fixed width); escaped
    characters and character classes are left alone."""
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
        elif char == " " and pattern.startswith(" ?", i):  # an optional space
            out.append(r"\s" if any(stack) else r"\s*")
            i += 2
            continue
        elif char == " ":
            char = r"\s" if any(stack) else r"\s+"
        out.append(char)
        i += 1
    return "".join(out)


def compile_rule(pattern: str, source: str, line: int, name: str) -> re.Pattern[str]:
    """``pattern`` compiled with :data:`FLAGS`; :class:`RuleFileError` naming the rule's file
    and line when it does not compile."""
    try:
        return re.compile(pattern, FLAGS)
    except re.error as exc:
        raise RuleFileError(f"{source}:{line}: rule {name}: {exc}") from exc


def compile_pattern(lexicon: Lexicon, pattern: str) -> str:
    """The regex of a rule pattern: ``%class`` expanded into named groups, spaces into ``\\s+``,
    optional groups into choices (:func:`.regexwords.optional_groups_as_branches`: the same
    matches, found faster)."""
    spaced = spaces_to_whitespace(pattern)
    expanded = LEFT_EDGE + "(?:" + lexicon.expand(spaced, groups=True) + ")" + RIGHT_EDGE
    return optional_groups_as_branches(expanded)


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


def rule_rows() -> list[Row]:
    """The rows of every ``*.rules.tsv`` file, in file then line order."""
    return [row for name in rule_files() for row in read_table(name)[1]]


def expand_rules(rows: list[Row]) -> list[dict[str, Any]]:
    """The regex of each row's pattern, each one checked to compile, and the lexicon's
    entries with them: a rule file with a bad pattern raises :class:`RuleFileError` (when the
    tables are built, before any is cached)."""
    lexicon = load_lexicon()
    lexicon.check()
    expanded: list[dict[str, Any]] = []
    for row in rows:
        try:
            pattern = compile_pattern(lexicon, row["pattern"])
        except RuleFileError as exc:
            raise RuleFileError(f"{row.source}:{row.line}: rule {row['name']}: {exc}") from exc
        compile_rule(pattern, row.source, row.line, row["name"])
        expanded.append({"pattern": pattern})
    return expanded


def _is_expanded(value: Any, count: int) -> bool:
    """Whether ``value`` has the shape :func:`expand_rules` gives, for ``count`` rows."""
    return (
        isinstance(value, list)
        and len(value) == count
        and all(isinstance(r, dict) and isinstance(r.get("pattern"), str) for r in value)
    )


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule of every ``*.rules.tsv`` file, in file then line order, its pattern
    expanded (from :mod:`.tablecache` when it holds them) and compiled when first tried."""
    rows = rule_rows()
    expanded = tablecache.cached("rules", lambda: expand_rules(rows))
    if not _is_expanded(expanded, len(rows)):
        expanded = expand_rules(rows)
    rules: list[Rule] = []
    for row, entry in zip(rows, expanded, strict=True):
        pattern = entry["pattern"]
        classes = tuple(
            (m.group(2) or m.group(1), m.group(1)) for m in CLASS_REF.finditer(row["pattern"])
        )
        examples = tuple(e.strip() for e in row["examples"].split("|") if e.strip())
        rules.append(
            Rule(
                row["name"],
                pattern,
                parse_production(row),
                classes,
                examples,
                row.source,
                row.line,
                len(rules),
                SPAN_GROUP in pattern,
            )
        )
    return tuple(rules)
