"""Extraction: match the rule tables on the original text and fill each rule's production.

The engine knows no words. It compiles every rule of ``rules/*.rules.tsv`` into a regex
(expanding ``%class`` references from the lexicon), runs them over the text as given, keeps
the longest non-overlapping matches, and turns each into a :class:`Partial` whose fields are
the rule's production with ``{group}`` placeholders replaced by normalised words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import RuleFileError
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


def candidates(
    text: str, rules: tuple[Rule, ...]
) -> Iterator[tuple[int, int, Rule, re.Match[str]]]:
    """Every match of every rule, as ``(start, end, rule, match)``; empty matches are skipped.

    A rule may match context it does not tag: its ``(?P<span>...)`` group, when present,
    gives the mention's extent ("in (?P<span>%year)" tags the year, not "in").
    """
    for rule in rules:
        spanned = "span" in rule.regex.groupindex
        for match in rule.regex.finditer(text):
            start, end = (
                match.span("span") if spanned and match.group("span") is not None else match.span()
            )
            if end > start:
                yield start, end, rule, match


def extract(text: str) -> list[Partial]:
    """The time expressions of ``text`` as underspecified partials, in text order.

    Overlaps are settled by length (the longest match wins), then by rule rank. A rule of
    ``type=NONE`` claims its words and yields nothing: a negative rule ("a second chance",
    a dateline restating the publication date).
    """
    lexicon = load_lexicon()
    rules = load_rules()
    found = sorted(candidates(text, rules), key=lambda c: (c[0] - c[1], c[2].rank, c[0]))
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
