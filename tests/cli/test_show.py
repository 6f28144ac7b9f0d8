"""The ``timeline show FILE.json`` command: the seed article as a table and as JSON; bad files."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from timeline import Mention, tag
from timeline.ingest.files import load_article

RunCli = Callable[[Sequence[str]], Any]  # conftest.run_cli: (code, out, err) of one command
SEED = Path("seeds") / "doha-talks-2021-07-17.json"
COLUMNS = ("offset", "text", "type", "value", "mod", "interval", "granularity", "confidence")


@pytest.fixture
def seed(repo_root: Path) -> Path:
    return repo_root / SEED


@pytest.fixture
def seed_mentions(seed: Path) -> list[Mention]:
    """The seed's mentions as the library gives them, in text order."""
    article = load_article(seed)
    found = tag(
        article.text, article.published_at, language=article.language, region=article.region
    )
    assert found
    return sorted(found, key=lambda m: (m.start, m.end))


def table_rows(out: str) -> list[dict[str, str]]:
    """The rows of ``show``'s table as ``{column: cell}``, cut where the header's columns start."""
    lines = out.splitlines()
    (at,) = [i for i, line in enumerate(lines) if line.split() == list(COLUMNS)]
    header = lines[at]
    starts = [header.index(name) for name in COLUMNS]
    assert starts == sorted(starts)
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    return [
        {name: line[a:b].strip() for name, (a, b) in zip(COLUMNS, bounds, strict=True)}
        for line in lines[at + 1 :]
    ]


def test_table_heads_with_the_article(run_cli: RunCli, seed: Path) -> None:
    result = run_cli(["show", str(seed)])
    assert result.code == 0
    assert result.err == ""
    title, published = result.out.splitlines()[:2]
    assert title.startswith("High-stakes negotiations between the Afghan government")
    assert published.startswith("published 2021-07-17 (Al Jazeera, en, region AF): ")
    assert published.endswith(" time references")


def test_table_has_one_row_per_mention_in_text_order(
    run_cli: RunCli, seed: Path, seed_mentions: list[Mention]
) -> None:
    result = run_cli(["show", str(seed)])
    assert result.code == 0
    rows = table_rows(result.out)
    assert [(r["offset"], r["value"]) for r in rows] == [
        (f"{m.start}-{m.end}", m.value) for m in seed_mentions
    ]
    assert f": {len(seed_mentions)} time references" in result.out.splitlines()[1]


def test_table_lists_friday_and_eid_al_adha(run_cli: RunCli, seed: Path) -> None:
    result = run_cli(["show", str(seed)])
    assert result.code == 0
    rows = table_rows(result.out)
    fridays = [r for r in rows if r["text"] == "Friday"]
    assert len(fridays) == 2
    assert {(r["type"], r["value"]) for r in fridays} == {("DATE", "2021-07-16")}
    assert all(r["interval"] == "2021-07-16/2021-07-17" for r in fridays)
    (eid,) = [r for r in rows if r["text"].endswith("Eid al-Adha")]
    assert (eid["type"], eid["value"], eid["granularity"]) == ("DATE", "2021-07-20", "day")


def test_table_shows_the_mod(run_cli: RunCli, seed: Path) -> None:
    rows = table_rows(run_cli(["show", str(seed)]).out)
    (years,) = [r for r in rows if r["text"] == "nearly 20 years"]
    assert (years["type"], years["value"], years["mod"]) == ("DURATION", "P20Y", "APPROX")
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows)


def test_json_offsets_index_the_article_text(
    run_cli: RunCli, seed: Path, seed_mentions: list[Mention]
) -> None:
    result = run_cli(["show", str(seed), "--format", "json"])
    assert result.code == 0
    assert result.err == ""
    payload = json.loads(result.out)
    assert payload["title"].startswith("High-stakes negotiations")
    assert payload["published_at"] == "2021-07-17"
    text = load_article(seed).text
    timexes = payload["timexes"]
    assert timexes == [m.to_dict() for m in seed_mentions]
    for timex in timexes:
        assert 0 <= timex["start"] < timex["end"] <= len(text)
        assert text[timex["start"] : timex["end"]] == timex["text"]
    assert [t["start"] for t in timexes] == sorted(t["start"] for t in timexes)
    values = {t["text"]: t["value"] for t in timexes}
    assert values["Friday"] == "2021-07-16"
    assert any(t["text"].endswith("Eid al-Adha") and t["value"] == "2021-07-20" for t in timexes)


def test_json_keeps_non_ascii_text(run_cli: RunCli, tmp_path: Path) -> None:
    article = tmp_path / "caf\u00e9.json"
    text = "\u201cWe met on Friday,\u201d said the caf\u00e9 owner."
    data = {
        "title": "Caf\u00e9 talks",
        "text": text,
        "published_at": "2021-07-17",
        "source": "Example",
        "language": "en",
    }
    article.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli(["show", str(article), "--format", "json"])
    assert result.code == 0
    assert "Caf\u00e9 talks" in result.out
    (timex,) = json.loads(result.out)["timexes"]
    assert (timex["text"], timex["value"]) == ("Friday", "2021-07-16")
    assert text[timex["start"] : timex["end"]] == "Friday"


def assert_usage_error(result: Any, *words: str) -> None:
    """See :meth:`conftest.CliResult.assert_usage_error`."""
    result.assert_usage_error(*words)


BAD_FILES: list[tuple[str, bytes | None, str]] = [
    ("missing", None, "cannot read"),
    ("invalid-json", b'{"title": "Talks",', "not valid JSON"),
    ("array", b"[]", "expected a JSON object"),
    ("latin-1", '{"title": "Caf\u00e9"}'.encode("latin-1"), "not UTF-8"),
    ("unknown-field", b'{"titel": "Talks"}', "'titel'"),
    (
        "bad-date",
        json.dumps(
            {
                "title": "Talks",
                "text": "On Friday.",
                "published_at": "17/07/2021",
                "source": "Example",
                "language": "en",
            }
        ).encode(),
        "'published_at'",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "problem"), BAD_FILES, ids=[name for name, _, _ in BAD_FILES]
)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_bad_article_file_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, name: str, content: bytes | None, problem: str, fmt: str
) -> None:
    path = tmp_path / f"{name}.json"
    if content is not None:
        path.write_bytes(content)
    assert_usage_error(run_cli(["show", str(path), "--format", fmt]), str(path), problem)


def test_a_directory_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    assert_usage_error(run_cli(["show", str(tmp_path)]), str(tmp_path), "cannot read")


def test_deeply_nested_json_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000)
    assert_usage_error(run_cli(["show", str(path)]), str(path))
