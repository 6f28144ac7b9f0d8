"""The rule files follow their own FORMAT: headers, examples, valid productions, unique names."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from timeline.tagger.compiler import load_rules
from timeline.tagger.model import MODS, TIMEX_TYPES
from timeline.tagger.rulefiles import read_table, rule_files

RULE_COLUMNS = ["name", "pattern", "production", "examples"]
# type=NONE is a negative rule: it claims words that look like a time and yields nothing.
PRODUCTION_TYPES = TIMEX_TYPES | {"NONE"}


def data_files() -> list[str]:
    """Every table under ``timeline/tagger/rules/`` (rule tables, lexicon, cues, holidays)."""
    folder = resources.files("timeline.tagger").joinpath("rules")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv"))


RULE_FILES = rule_files()


def test_there_are_rule_files() -> None:
    assert "dates.rules.tsv" in RULE_FILES
    assert len(RULE_FILES) >= 5


@pytest.mark.parametrize("name", data_files())
def test_every_data_file_has_a_format_header(name: str) -> None:
    header, rows = read_table(name)
    assert header.get("FORMAT"), f"{name}: no '# FORMAT:' header"
    assert rows, f"{name}: no rows"


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_file_names_its_columns_and_reference(name: str) -> None:
    header, _ = read_table(name)
    assert [c.strip() for c in header.get("FORMAT", "").split("<TAB>")] == RULE_COLUMNS
    assert "REFERENCE" in header, f"{name}: no '# REFERENCE: YYYY-MM-DD' header"
    date.fromisoformat(header["REFERENCE"])


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_names_are_unique_per_file(name: str) -> None:
    _, rows = read_table(name)
    seen: dict[str, int] = {}
    duplicates = []
    for row in rows:
        if row["name"] in seen:
            duplicates.append(f"{row['name']!r} on lines {seen[row['name']]} and {row.line}")
        seen.setdefault(row["name"], row.line)
    assert all(row["name"] for row in rows), f"{name}: a rule without a name"
    assert not duplicates, f"{name}: duplicate rule names: " + ", ".join(duplicates)


@pytest.mark.parametrize("name", RULE_FILES)
def test_every_production_has_one_valid_type(name: str) -> None:
    _, rows = read_table(name)
    bad = []
    for row in rows:
        pairs = [token.partition("=") for token in row["production"].split()]
        types = [value for key, _, value in pairs if key == "type"]
        if (
            len(types) != 1
            or types[0] not in PRODUCTION_TYPES
            or any(not sep for _, sep, _ in pairs)
        ):
            bad.append(f"{name}:{row.line} {row['name']}: {row['production']!r}")
    assert not bad, (
        "productions without exactly one type=DATE|TIME|DURATION|SET|NONE:\n" + "\n".join(bad)
    )


def test_every_rule_has_an_example() -> None:
    missing = [
        f"{name}:{row.line} {row['name']}"
        for name in RULE_FILES
        for row in read_table(name)[1]
        if not row["examples"].strip()
    ]
    assert not missing, f"{len(missing)} rule(s) without an example:\n" + "\n".join(missing)


def test_every_example_is_well_formed() -> None:
    bad = []
    for name in RULE_FILES:
        for row in read_table(name)[1]:
            for raw in (e.strip() for e in row["examples"].split("|") if e.strip()):
                text, sep, expected = raw.rpartition("=>")
                words = expected.split()
                if (
                    not sep
                    or not text.strip()
                    or not 1 <= len(words) <= 2
                    or (len(words) == 2 and words[1] not in MODS)
                ):
                    bad.append(f"{name}:{row.line} {raw!r}")
    assert not bad, "examples that are not 'text => VALUE [MOD]':\n" + "\n".join(bad)


def test_every_holiday_has_an_example() -> None:
    _, rows = read_table("holidays.tsv")
    missing = [
        f"holidays.tsv:{row.line} {row['key']}" for row in rows if "@" not in row["examples"]
    ]
    assert not missing, "holidays without a 'text @ date => value' example:\n" + "\n".join(missing)


def test_every_rule_compiles() -> None:
    rules = load_rules()
    total = sum(len(read_table(name)[1]) for name in RULE_FILES)
    assert len(rules) == total
    assert all(rule.regex.groupindex is not None for rule in rules)  # compiled, eagerly here


def test_every_strategy_a_rule_names_exists() -> None:
    from timeline.tagger.resolver import STRATEGIES

    unknown = [
        f"{rule.source}:{rule.line} {rule.name}: do={value}"
        for rule in load_rules()
        for key, value in rule.production
        if key == "do" and value not in STRATEGIES
    ]
    assert not unknown, unknown
