"""The cache of compiled tables: read back when its fingerprint matches, ignored when it does
not, never needed, and the rules it gives are the rules compiled afresh."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from timeline.errors import RuleFileError
from timeline.tagger import compiler, context, index, tablecache
from timeline.tagger.rulefiles import read_table


class Builds:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(tablecache.ENVIRONMENT, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_cached_value_is_built_once_and_read_back(folder: Path) -> None:
    build = Builds({"a": [1, 2]})
    assert tablecache.cached("thing", build) == {"a": [1, 2]}
    assert tablecache.cached("thing", build) == {"a": [1, 2]}
    assert build.calls == 1
    assert len(list(folder.glob("tagger-thing-*.json"))) == 1


def test_a_file_of_another_fingerprint_or_damaged_is_built_again(folder: Path) -> None:
    tablecache.cached("thing", Builds([1]))
    (path,) = folder.glob("tagger-thing-*.json")
    path.write_text(json.dumps({"fingerprint": "another", "value": [2]}), encoding="utf-8")
    build = Builds([1])
    assert tablecache.cached("thing", build) == [1]
    path.write_text("{not json", encoding="utf-8")
    assert tablecache.cached("thing", build) == [1]
    assert build.calls == 2


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tablecache.ENVIRONMENT, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build = Builds([1])
    tablecache.cached("thing", build)
    tablecache.cached("thing", build)
    assert build.calls == 2
    assert not list(tmp_path.rglob("*.json"))


def test_a_folder_that_cannot_be_written_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(tablecache.ENVIRONMENT, str(blocker / "cache"))
    assert tablecache.cached("thing", Builds([3])) == [3]


def test_the_fingerprint_follows_the_rule_files() -> None:
    stamp = tablecache.fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", stamp)
    assert read_table("lexicon.tsv")  # the files it covers are there to read


def test_the_cached_rules_are_the_rules_compiled_afresh(folder: Path) -> None:
    rows = compiler.rule_rows()
    fresh = compiler.expand_rules(rows)
    tablecache.cached("rules", lambda: fresh)
    compiler.load_rules.cache_clear()
    try:
        rules = compiler.load_rules()
    finally:
        compiler.load_rules.cache_clear()
    assert [r.regex.pattern for r in rules] == [f["pattern"] for f in fresh]
    for rule in rules:
        plain = re.compile(rule.regex.pattern, compiler.FLAGS)
        assert rule.regex.groupindex == plain.groupindex
        for example in rule.examples:
            text = example.partition("=>")[0].strip()
            got, want = rule.regex.search(text), plain.search(text)
            assert (got and (got.span(), got.groupdict())) == (
                want and (want.span(), want.groupdict())
            ), (rule.name, text)


def test_the_cached_index_is_the_index_built_afresh(folder: Path) -> None:
    rules = compiler.load_rules()
    tablecache.cached("index", lambda: index.index_tables(rules))
    index.rule_index.cache_clear()
    try:
        cached = index.rule_index()
        index.rule_index.cache_clear()
        fresh_tables = index.index_tables(rules)
    finally:
        index.rule_index.cache_clear()
    assert cached.trie == fresh_tables["trie"]
    own = [[rule.order for rule in g if rule not in cached.anywhere] for g in cached.groups]
    assert own == fresh_tables["groups"]
    assert cached.anchor.pattern == fresh_tables["anchor"]


def test_the_cached_cue_regex_is_the_one_written_afresh(folder: Path) -> None:
    fresh = context.cue_table()
    tablecache.cached("cues", lambda: fresh)
    context.cue_pattern.cache_clear()
    try:
        regex, weights = context.cue_pattern()
    finally:
        context.cue_pattern.cache_clear()
    assert regex.pattern == fresh["pattern"]
    assert {name: list(w) for name, w in weights.items()} == fresh["weights"]
    assert set(weights) == set(regex.groupindex)


def test_a_cue_table_of_another_shape_is_written_again(folder: Path) -> None:
    tablecache.cached("cues", lambda: {"pattern": "x", "weights": {"a": ["now", "cue", 1, "any"]}})
    context.cue_pattern.cache_clear()
    try:
        regex, _ = context.cue_pattern()
    finally:
        context.cue_pattern.cache_clear()
    assert regex.pattern == context.cue_table()["pattern"]


def test_a_rule_is_compiled_when_first_tried() -> None:
    rule = compiler.Rule(
        "weekday",
        r"(?P<day>mon|tue)day",
        (("type", "DATE"),),
        (("day", "day"),),
        (),
        "x",
        1,
        0,
        False,
    )
    assert "regex" not in vars(rule)
    match = rule.regex.match("Monday")
    assert match is not None and match.group("day") == "Mon"
    assert vars(rule)["regex"] is rule.regex  # compiled once


def test_a_bad_pattern_raises_rule_file_error_naming_its_line() -> None:
    rule = compiler.Rule(
        "broken", "(unclosed", (("type", "DATE"),), (), (), "x.rules.tsv", 7, 0, False
    )
    with pytest.raises(RuleFileError, match=r"x\.rules\.tsv:7: rule broken"):
        rule.regex  # noqa: B018 - compiling is the point


def test_building_the_tables_checks_every_pattern() -> None:
    (row, *_) = compiler.rule_rows()
    bad = type(row)(row.source, row.line, {**row.cells, "pattern": "(?:%month"})
    with pytest.raises(RuleFileError, match=f"{row.source}:{row.line}: rule {row['name']}"):
        compiler.expand_rules([bad])


def test_without_a_home_folder_there_is_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(tablecache.ENVIRONMENT, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    assert tablecache.cache_folder() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
    assert tablecache.cache_folder() == Path("/var/cache/someone/timeline")
