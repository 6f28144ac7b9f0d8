"""Loading of the tagger's data files (lexicon, rules, cues, holidays).

Every file under ``rules/`` is a TSV whose header names its columns in a ``# FORMAT:`` line.
Lines starting with ``#`` are comments, blank lines are skipped. This module knows the shape
of the files, never their words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from ..errors import RuleFileError


@dataclass(frozen=True)
class Row:
    """One data row of a rule file, with its file name and line number for error messages."""

    source: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")


@functools.cache
def read_table(
    name: str, package: str = __package__ or "timeline.tagger", folder: str = "rules"
) -> tuple[dict[str, str], tuple[Row, ...]]:
    """Read ``<folder>/<name>`` of ``package`` (the tagger's ``rules/`` by default): its
    ``# KEY: value`` header lines and its rows.

    The ``FORMAT`` header lists the columns separated by ``<TAB>``; a row may leave trailing
    optional columns out, but may not have more cells than the header names.
    """
    text = resources.files(package).joinpath(folder).joinpath(name).read_text(encoding="utf-8")
    header: dict[str, str] = {}
    rows: list[Row] = []
    columns: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if raw.startswith("#"):
            key, sep, value = raw[1:].strip().partition(":")
            if sep and key.strip().isupper():
                header[key.strip()] = value.strip()
                if key.strip() == "FORMAT":
                    columns = [c.strip() for c in value.split("<TAB>")]
            continue
        if columns is None:
            raise RuleFileError(f"{name}:{number}: data before the '# FORMAT:' header")
        cells = raw.split("\t")
        if len(cells) > len(columns):
            raise RuleFileError(f"{name}:{number}: {len(cells)} cells, FORMAT names {len(columns)}")
        rows.append(Row(name, number, dict(zip(columns, (c.strip() for c in cells), strict=False))))
    if columns is None:
        raise RuleFileError(f"{name}: no '# FORMAT:' header")
    return header, tuple(rows)


def rule_files() -> list[str]:
    """The names of the rule tables (``*.rules.tsv``), in a stable order."""
    folder = resources.files(__package__).joinpath("rules")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".rules.tsv"))
