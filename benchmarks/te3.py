#!/usr/bin/env python3
"""TempEval-3 Task A accuracy of the tagger, through the command line's batch mode.

For each corpus: ``te3text.py`` turns the .tml files into a docs JSONL, ``python -m timeline
extract --jsonl`` tags it, and ``te3score.py`` prints its table. The corpora and the scorer live
outside the repository (``<repo>/../shared``); when they are absent the script says so and exits 0.

    python benchmarks/te3.py [--corpus tbaq|wikiwars|all]

The peak RSS reported is the batch process's own (``ru_maxrss`` of that child, read with
``os.wait4`` so the conversion and scoring processes do not count).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
TE3TEXT = EVAL / "te3text.py"
TE3SCORE = EVAL / "te3score.py"
CORPORA = {
    "tbaq": SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned",
    "wikiwars": SHARED / "corpora" / "tempeval3" / "WikiWars" / "timex3-tml",
}


def max_rss_mb(ru_maxrss: int) -> float:
    """``ru_maxrss`` in megabytes (kilobytes on Linux, bytes on macOS)."""
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_batch(docs: Path, pred: Path) -> tuple[int, float, float, str]:
    """Tag ``docs`` into ``pred`` with the CLI: exit status, seconds, peak RSS (MB), stderr."""
    command = [
        sys.executable,
        "-m",
        "timeline",
        "extract",
        "--jsonl",
        str(docs),
        "-o",
        str(pred),
        "--no-progress",
    ]
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as errors:
        proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        errors.seek(0)
        return proc.returncode, seconds, max_rss_mb(usage.ru_maxrss), errors.read()


def evaluate(name: str, corpus: Path, workdir: Path) -> int:
    """Convert, tag and score one corpus; the exit status of the first step that failed, else 0."""
    if not corpus.is_dir():
        print(f"{name}: skipped: corpus not found at {corpus}")
        return 0
    docs, pred = workdir / f"{name}_docs.jsonl", workdir / f"{name}_pred.jsonl"
    convert = subprocess.run(
        [sys.executable, str(TE3TEXT), str(corpus), "-o", str(docs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if convert.returncode != 0:
        print(f"{name}: te3text.py failed:\n{convert.stderr}", file=sys.stderr)
        return convert.returncode
    lines = docs.read_text(encoding="utf-8").splitlines()
    chars = sum(len(json.loads(line)["text"]) for line in lines if line.strip())
    code, seconds, rss, errors = run_batch(docs, pred)
    if code != 0:
        print(f"{name}: the batch run failed (exit {code}):\n{errors}", file=sys.stderr)
        return code
    print(f"== {name}: {corpus}")
    print(
        f"batch: {len(lines)} documents, {chars:,} characters, tagged in {seconds:.2f} s; "
        f"peak RSS of the batch run: {rss:.1f} MB"
    )
    score = subprocess.run(
        [sys.executable, str(TE3SCORE), "--gold", str(corpus), "--pred", str(pred), "--name", name],
        capture_output=True,
        text=True,
        check=False,
    )
    print(score.stdout, end="")
    if score.returncode != 0:
        print(f"{name}: te3score.py failed:\n{score.stderr}", file=sys.stderr)
    return score.returncode


def main(argv: list[str] | None = None) -> int:
    """Score the chosen corpora; exit 0 when the corpora or the scorer are not installed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("tbaq", "wikiwars", "all"), default="all")
    args = parser.parse_args(argv)
    missing = [p for p in (TE3TEXT, TE3SCORE) if not p.is_file()]
    if missing:
        print(f"skipped: eval scripts not found at {', '.join(map(str, missing))}")
        return 0
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    status = 0
    with tempfile.TemporaryDirectory(prefix="te3-") as tmp:
        for name in names:
            status = evaluate(name, CORPORA[name], Path(tmp)) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
