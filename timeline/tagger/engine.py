"""Extraction: match the rule tables on the original text and fill each rule's production.

The engine knows no words. It takes the rules' matches from the index (:mod:`.index`),
keeps the longest non-overlapping ones, and turns each into a :class:`Partial` whose
fields are the rule's production with ``{group}`` placeholders replaced by normalised words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from .compiler import Rule
from .index import candidates
from .lexicon import Lexicon, load_lexicon
from .model import Partial

PLACEHOLDER = re.compile(r"\{([a-z0-9_|]+)\}")


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


def extract(text: str, lowered: str | None = None) -> list[Partial]:
    """The time expressions of ``text`` as underspecified partials, in text order.

    Overlaps are settled by length (the longest match wins), then by rule rank. A rule of
    ``type=NONE`` claims its words and yields nothing: a negative rule ("a second chance",
    "a 52-year-old").
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
    return complete_ranges(text, chosen, lexicon)


@functools.cache
def range_join(lexicon: Lexicon) -> re.Pattern[str]:
    """The lexicon's ``rangejoin`` words, compiled."""
    return re.compile(lexicon.body("rangejoin"), re.IGNORECASE)


def complete_ranges(text: str, partials: list[Partial], lexicon: Lexicon) -> list[Partial]:
    """Give the first end of a range the year its second end states.

    In "from March to May 2021" the words of "March" name no year, but the range does:
    when two partials are joined only by a ``rangejoin`` word and the first one has a month,
    day, quarter or season and no year while the second has a year, the first takes it.
    """
    join = range_join(lexicon)
    out = list(partials)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        year = second.get("y")
        if (
            year
            and not first.get("y")
            and first.get("do") in (None, "date")
            and any(first.get(k) for k in ("m", "q", "season", "h"))
            and join.fullmatch(text, first.end, second.start)
        ):
            out[i] = replace(first, fields={**first.fields, "y": year})
    return out
