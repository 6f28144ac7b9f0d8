"""The ``timeline extract`` command: one text as JSON or TimeML, JSONL batches, and its errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[[Sequence[str]], Any]  # conftest.run_cli: (code, out, err) of one command
TEXT = "The army clashed with fighters on Friday. The ministers will meet on Friday.\n"


def assert_usage_error(result: Any, *words: str) -> None:
    """See :meth:`conftest.CliResult.assert_usage_error`."""
    result.assert_usage_error(*words)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_extract_a_file(run_cli: RunCli, article: Path) -> None:
    result = run_cli(["extract", str(article), "--dct", "2021-07-17"])
    assert result.code == 0
    payload = json.loads(result.out)
    assert payload["dct"] == "2021-07-17"
    found = [(t["start"], t["end"], t["text"], t["type"], t["value"]) for t in payload["timexes"]]
    assert found == [
        (34, 40, "Friday", "DATE", "2021-07-16"),
        (69, 75, "Friday", "DATE", "2021-07-23"),
    ]
    for timex in payload["timexes"]:
        assert TEXT[timex["start"] : timex["end"]] == timex["text"]
        assert {"mod", "interval", "granularity", "anchor", "confidence"} <= timex.keys()


def test_extract_stdin(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXT))
    result = run_cli(["extract", "-", "--dct", "2021-07-17"])
    assert result.code == 0
    values = [t["value"] for t in json.loads(result.out)["timexes"]]
    assert values == ["2021-07-16", "2021-07-23"]


def test_extract_timeml(run_cli: RunCli, article: Path) -> None:
    result = run_cli(["extract", str(article), "--dct", "2021-07-17", "--format", "timeml"])
    assert result.code == 0
    assert 'functionInDocument="CREATION_TIME">2021-07-17</TIMEX3>' in result.out
    assert 'on <TIMEX3 tid="t1" type="DATE" value="2021-07-16">Friday</TIMEX3>.' in result.out
    assert '<TIMEX3 tid="t2" type="DATE" value="2021-07-23">Friday</TIMEX3>' in result.out


def test_batch_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    docs = [
        {"doc": "a", "dct": "2021-07-17", "text": TEXT},
        {"doc": "b", "dct": "1998-08-07T09:30:00", "text": "Nothing happened here."},
        {"doc": "c", "dct": "2001-09-12", "text": "The towers fell yesterday, on Sept. 11, 2001."},
    ]
    source, target = tmp_path / "docs.jsonl", tmp_path / "pred.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in docs) + "\n", encoding="utf-8")
    result = run_cli(["extract", "--jsonl", str(source), "-o", str(target), "--no-progress"])
    assert result.code == 0
    assert result.err == ""
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line["doc"] for line in lines] == ["a", "b", "c"]
    assert all(set(line) == {"doc", "timexes"} for line in lines)
    by_doc = {line["doc"]: line["timexes"] for line in lines}
    assert [t["value"] for t in by_doc["a"]] == ["2021-07-16", "2021-07-23"]
    assert by_doc["b"] == []
    assert [t["value"] for t in by_doc["c"]] == ["2001-09-11", "2001-09-11"]
    for doc in docs:
        for timex in by_doc[doc["doc"]]:
            assert list(timex)[:5] == ["start", "end", "text", "type", "value"]
            assert doc["text"][timex["start"] : timex["end"]] == timex["text"]


def test_unreadable_file(run_cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    assert_usage_error(run_cli(["extract", str(missing), "--dct", "2021-07-17"]), str(missing))


def test_invalid_dct(run_cli: RunCli, article: Path) -> None:
    assert_usage_error(run_cli(["extract", str(article), "--dct", "17/07/2021"]), "17/07/2021")


def test_malformed_jsonl_line_names_its_number(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    good = json.dumps({"doc": "a", "dct": "2021-07-17", "text": "On Friday."})
    source.write_text(good + "\n{not json\n", encoding="utf-8")
    result = run_cli(
        ["extract", "--jsonl", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-progress"]
    )
    assert_usage_error(result, "line 2")


def test_jsonl_line_with_a_bad_dct(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text(
        json.dumps({"doc": "a", "dct": "yesterday", "text": "x"}) + "\n", encoding="utf-8"
    )
    result = run_cli(
        ["extract", "--jsonl", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-progress"]
    )
    assert_usage_error(result, "line 1")


def test_errors_print_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text('{"doc": "a", "dct": "2021-07-17", "text": "x"}\n[1, 2]\n', encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "timeline",
            "extract",
            "--jsonl",
            str(source),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("timeline: error: line 2")


def test_a_bug_is_reported_in_one_line(
    run_cli: RunCli, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("timeline.cli.commands.tag", broken)
    result = run_cli(["extract", str(article), "--dct", "2021-07-17"])
    assert result.code == 70
    assert result.err.splitlines() == [
        "timeline: internal error: RuntimeError: boom (please report it)"
    ]


def test_db_reanchor_needs_a_current_schema_then_anchors_every_article_again(
    tmp_path: Path, repo_root: Path
) -> None:
    env = {
        **os.environ,
        "TIMELINE_DATABASE_URL": f"sqlite:///{tmp_path / 'timeline.db'}",
    }

    def timeline(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "timeline", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    early = timeline("db", "reanchor")
    assert early.returncode == 2
    assert "Traceback" not in early.stderr
    assert "run `timeline db upgrade` first" in early.stderr
    assert timeline("db", "upgrade").returncode == 0
    assert timeline("load", str(repo_root / "seeds")).returncode == 0
    done = timeline("db", "reanchor")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("anchored the events of 1 article(s) again: ")


# What `timeline extract` on an English text never needs: the service's libraries, and those of
# foreign languages, holidays and the Hijri calendar (imported when a text asks for them).
NOT_FOR_EXTRACT = (
    "flask",
    "sqlalchemy",
    "marshmallow",
    "apscheduler",
    "dateparser",
    "holidays",
    "hijridate",
    "timeline.cli.service",
    "timeline.tagger.timeml",
)
LOADED_AFTER_EXTRACT = """
import contextlib, io, json, sys
from timeline.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["extract", sys.argv[1], "--dct", "2021-07-17"])
print(json.dumps({"code": code, "timexes": len(json.loads(out.getvalue())["timexes"]),
                  "modules": sorted(sys.modules)}))
"""


def test_extract_imports_only_what_the_command_needs(article: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER_EXTRACT, str(article)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(proc.stdout)
    assert report["code"] == 0 and report["timexes"] == 2
    loaded = {name.partition(".")[0] for name in report["modules"]} | set(report["modules"])
    assert sorted(loaded & set(NOT_FOR_EXTRACT)) == []
    assert "timeline.tagger.resolver" in loaded  # the check sees what extract imported
