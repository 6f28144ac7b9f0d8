#!/usr/bin/env python3
"""How many instructions a pass of ``timeline.tag`` takes, counted by valgrind's callgrind.

Wall-clock throughput (``speed.py``) moves with the machine's load; the count of
instructions does not. The script runs this same file under ``valgrind --tool=callgrind``
twice: once to warm up and once to warm up and then tag every third TBAQ-cleaned document;
the difference is the pass. The warm-up is ``timeline.tagger.warm_up()`` (every rule
compiled) and a tag() call on each of the other documents, so that the caches that depend
only on words are filled as a service's are when its next article comes, but the pass reads
text it has not seen. The cache of tense cues by sentence
(:func:`timeline.tagger.context.cues_between`, keyed by the text) is then emptied and the
garbage collector's objects are frozen, so that what the warm-up left does not count.

``--seen`` warms up on every document, the measured ones too (the figure this README gave
until 2026-12-07: the caches by words then hold every word of the pass). ``--same`` warms up
on the third of the documents the pass tags only, leaving their sentences' cues in the cache
as well (the figure it gave before that: fewer instructions, none for reading the cues).

The corpus is read through ``te3text.py`` from ``<repo>/../shared``; when it, the script or
valgrind is absent the script says so and exits 0.

    python benchmarks/instructions.py [--seen | --same]
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TE3TEXT = SHARED / "eval" / "te3text.py"
TBAQ = SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned"
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def tag_documents(docs_path: Path, warm: str, measured: bool) -> None:
    """The work under valgrind: the warm-up (``warm``: "other", "seen" or "same"), then
    (``measured``) the pass."""
    sys.path.insert(0, str(REPO))
    from timeline import tag
    from timeline.tagger import context, warm_up

    docs = [json.loads(line) for line in docs_path.read_text("utf-8").splitlines() if line]
    tagged = docs[::3]
    warm_up()
    others = [doc for i, doc in enumerate(docs) if i % 3]
    for doc in {"other": others, "seen": docs, "same": tagged}[warm]:
        tag(doc["text"], doc["dct"])
    if warm != "same":
        context.cues_between.cache_clear()
    gc.collect()
    gc.freeze()
    if measured:
        for doc in tagged:
            tag(doc["text"], doc["dct"])


def collected(docs_path: Path, warm: str, measured: bool, out: Path) -> int:
    """The instructions callgrind counts for one run of :func:`tag_documents`."""
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    command += [sys.executable, __file__, "--run", str(docs_path), "--warm", warm]
    command += ["--measured"] if measured else []
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    found = COLLECTED.search(done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--seen", action="store_true", help="warm up on every document, the measured ones too"
    )
    choice.add_argument(
        "--same", action="store_true", help="warm up on the measured documents only"
    )
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", default="other", help=argparse.SUPPRESS)
    parser.add_argument("--measured", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run is not None:
        tag_documents(args.run, args.warm, args.measured)
        return 0
    warm = "seen" if args.seen else "same" if args.same else "other"
    for what, path in (("eval script", TE3TEXT), ("corpus", TBAQ)):
        if not path.exists():
            print(f"skipped: {what} not found at {path}")
            return 0
    if shutil.which("valgrind") is None:
        print("skipped: valgrind is not installed")
        return 0
    with tempfile.TemporaryDirectory(prefix="instructions-") as tmp:
        docs_path = Path(tmp) / "tbaq_docs.jsonl"
        subprocess.run(
            [sys.executable, str(TE3TEXT), str(TBAQ), "-o", str(docs_path)],
            check=True,
            capture_output=True,
        )
        lines = [line for line in docs_path.read_text("utf-8").splitlines() if line]
        chars = sum(len(json.loads(line)["text"]) for line in lines[::3])
        before = collected(docs_path, warm, False, Path(tmp) / "warm.out")
        total = collected(docs_path, warm, True, Path(tmp) / "pass.out")
    warmed = {
        "other": "warm_up() and the other documents, then the cue cache emptied",
        "seen": "warm_up() and every document, then the cue cache emptied",
        "same": "warm_up() and the same documents",
    }[warm]
    print(f"tag() over every third TBAQ-cleaned document, {len(lines[::3])} documents, ", end="")
    print(f"{chars:,} characters (warm-up: {warmed}):")
    print(f"  {(total - before) / 1e6:.0f} million instructions (callgrind)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
