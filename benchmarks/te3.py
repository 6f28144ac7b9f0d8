#!/usr/bin/env python3
"""TempEval-3 Task A accuracy of the tagger, through the command line's batch mode.

For each corpus: ``te3text.py`` turns the .tml files into a docs JSONL, ``python -m timeline
extract --jsonl`` tags it, and ``te3score.py`` prints its table. The corpora and the scorer live
outside the repository (``<repo>/../shared``); when they are absent the script says so and exits 0.

    python benchmarks/te3.py [--corpus tbaq|wikiwars|all] [--show-weeks] [--show-values]
        [--show-extents]

After each table it counts the *wrong-week weekdays*: gold TIMEX3s whose text names a weekday
and whose gold value is a day (alone or with a time of day), where the system's overlapping
timex is on a day a whole number of weeks off (how many late, how many early), and how many of
them no reading of the text can reach from the creation date: a gold day one to four weeks from
it (a bare weekday names the nearest such day, before or after; one further off is the story's,
as in a history), or a gold day before it that its sentence says is ahead ("will meet Bush on
Thursday"). ``--show-weeks`` prints each of them with
its sentence, publication date, gold and system values, and the reason where there is one.

It then counts the *value errors by kind*: each gold TIMEX3 whose first overlapping system
timex has another value, sorted by what differs (:func:`value_error_kind`): the type, a day
a whole number of weeks off, a part of the day, the clock's form or zone, a gold value left
unspecified ("1949-XX", "198X", "1989-WXX") or written unpadded ("2000-W7"), a quarter, the
granularity, the year alone, another date at the same granularity, a vague reference, or
something else. The pairing is the first overlap, not the scorer's matching, so the total is
close to (not exactly) the scorer's count of wrong values.
``--show-values`` prints each of them, kind by kind, in its sentence.

Last it counts the *extent differences*: each gold TIMEX3 whose first overlapping system timex
covers other characters, by which side differs and how (:func:`extent_difference_kind`: words
the system adds or leaves out at the start, at the end, or at both), and the gold TIMEX3s no
system timex overlaps and the system timexes no gold one overlaps. ``--show-extents`` prints
each difference, with the words added or left out, kind by kind.

The peak RSS reported is the batch process's own (``ru_maxrss`` of that child, read with
``os.wait4`` so the conversion and scoring processes do not count).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline.tagger.context import sentence_bounds  # noqa: E402
from timeline.tagger.lexicon import load_lexicon  # noqa: E402

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


# A day, alone or with a time of day ("1998-08-07", "1998-08-07TNI", "1998-08-07T09:00").
ON_A_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T.*)?")


@dataclass(frozen=True)
class WrongWeek:
    """A gold weekday the system dates a whole number of weeks off (``weeks`` > 0: late)."""

    weeks: int
    doc: str
    dct: str
    gold: dict[str, Any]
    system: dict[str, Any]


def gold_timexes(corpus: Path) -> dict[str, list[dict[str, Any]]]:
    """The gold TIMEX3s of each document of ``corpus``, as ``te3text.py --gold`` reads them
    (the same text and offsets as the docs JSONL the tagger reads)."""
    found = subprocess.run(
        [sys.executable, str(TE3TEXT), str(corpus), "--gold"],
        capture_output=True,
        text=True,
        check=True,
    )
    records = (json.loads(line) for line in found.stdout.splitlines() if line.strip())
    return {r["doc"]: r["timexes"] for r in records}


def read_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    """The records of a JSONL file by their ``doc``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    records = (json.loads(line) for line in lines if line.strip())
    return {r["doc"]: r for r in records}


def week_offset(gold_value: str, system_value: str) -> int:
    """How many whole weeks the system's day lies after the gold day: 0 when either value
    is not on a day, or the two days are not a whole number of weeks apart."""
    gold, system = ON_A_DAY.fullmatch(gold_value), ON_A_DAY.fullmatch(system_value)
    if not (gold and system):
        return 0
    days = (date.fromisoformat(system.group(1)) - date.fromisoformat(gold.group(1))).days
    return days // 7 if days and days % 7 == 0 else 0


# "will" before the weekday in its sentence: the text puts the day ahead of the writing.
AHEAD = re.compile(r"\bwill\b", re.IGNORECASE)


def unreachable(w: WrongWeek, text: str) -> str | None:
    """Why no reading of the text reaches the gold day from the creation date, or None.

    A bare weekday names a day within six days of the creation date, so a gold day one to
    four weeks away contradicts it; so does a gold day before it that the sentence says is
    ahead. A gold day further off is dated by the story told (a history's "on Thursday" in
    2007), which the text can give: that one is within reach."""
    gold = ON_A_DAY.fullmatch(w.gold["value"])
    if not gold:
        return None
    days = (date.fromisoformat(gold.group(1)) - date.fromisoformat(w.dct[:10])).days
    if 6 < abs(days) <= 4 * 7 + 6:
        return f"gold {abs(days)} days from the creation date"
    left, _ = sentence_bounds(text, w.gold["start"], w.gold["end"])
    if days < 0 and AHEAD.search(text[left : w.gold["start"]]):
        return "gold before the creation date, the sentence says 'will'"
    return None


def wrong_weeks(
    gold: dict[str, list[dict[str, Any]]], docs: dict[str, dict[str, Any]], pred: Path
) -> list[WrongWeek]:
    """The gold TIMEX3s that name a weekday and are on a day, where the first system timex
    overlapping them is on a day a whole number of weeks off."""
    weekday = re.compile(load_lexicon().expand(r"\b%weekdayfull\b"), re.IGNORECASE)
    predicted = read_jsonl(pred)
    wrong = []
    for doc, timexes in sorted(gold.items()):
        system = predicted.get(doc, {}).get("timexes", [])
        for g in timexes:
            if not (weekday.search(g["text"]) and ON_A_DAY.fullmatch(g["value"])):
                continue
            s = next((s for s in system if s["start"] < g["end"] and g["start"] < s["end"]), None)
            weeks = week_offset(g["value"], s["value"]) if s else 0
            if s and weeks:
                wrong.append(WrongWeek(weeks, doc, docs[doc]["dct"], g, s))
    return wrong


def print_wrong_weeks(
    name: str, wrong: list[WrongWeek], docs: dict[str, dict[str, Any]], show: bool
) -> None:
    """The count of wrong-week weekdays, those the gold puts out of the text's reach apart,
    and with ``show`` each one in its sentence."""
    late = sum(1 for w in wrong if w.weeks > 0)
    reasons = [unreachable(w, docs[w.doc]["text"]) for w in wrong]
    far = sum(1 for r in reasons if r and "days from" in r)
    ahead = sum(1 for r in reasons if r and "will" in r)
    print(
        f"{name}: wrong-week weekdays: {len(wrong)} ({late} late, {len(wrong) - late} early; "
        f"{far + ahead} where the gold's week contradicts the creation date: {far} one to four "
        f"weeks from it, {ahead} before it in a sentence saying 'will'; "
        f"{len(wrong) - far - ahead} within reach)"
    )
    if not show:
        return
    for w, reason in zip(wrong, reasons, strict=True):
        text = docs[w.doc]["text"]
        left, right = sentence_bounds(text, w.gold["start"], w.gold["end"])
        why = f" [unreachable: {reason}]" if reason else ""
        print(
            f"  {w.doc} (published {w.dct}) {w.gold['text']!r}: gold {w.gold['value']}, "
            f"system {w.system['value']} ({w.weeks:+d} w){why}\n"
            f"    {' '.join(text[left:right].split())}"
        )


# A day, a week, a month, a quarter, a year... at the start of a value, its granularity named by
# the parts it has ("1998-08-07", "1998-W32", "1998-08", "1998-Q3", "1998").
DAY_PART = re.compile(r"(\d{4}-\d{2}-\d{2})T(MO|AF|EV|NI|DT)")
CLOCK = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2})(?::(\d{2}))?(?::\d{2})?(Z|[+-]\d{2}(?::?\d{2})?)?")
# A gold value left unspecified with X ("1949-XX", "198X", "1989-WXX", "1988-QX", "1998-10-XX")
# or a week written without its leading zero ("2000-W7").
UNSPECIFIED = re.compile(r"\d{3}X|\d{2}XX|\d{4}-(?:XX|WXX|QX|\d{2}-XX)(?:-XX)?|\d{4}-W\d")
SHAPE = re.compile(r"\d")
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
VAGUE = {"PAST_REF", "PRESENT_REF", "FUTURE_REF"}
CALENDAR = re.compile(r"(\d{4})(-(?:\d{2}(?:-\d{2})?|W\d{2}(?:-WE)?|Q\d|H\d|SP|SU|FA|WI))?")
# The kinds value_error_kind tells apart, in the order they are tried and printed.
VALUE_KINDS = (
    "type",
    "whole weeks off",
    "part of the day",
    "clock form or zone",
    "gold unspecified or unpadded",
    "granularity",
    "quarter",
    "year only",
    "another date",
    "vague reference",
    "other",
)


def value_error_kind(gold: dict[str, Any], system: dict[str, Any]) -> str:
    """What differs between a gold TIMEX3 and the system's overlapping one whose values differ:
    one of ``VALUE_KINDS``, the first that fits.

    >>> value_error_kind({"type": "DATE", "value": "1989-XX"}, {"type": "DATE", "value": "1989"})
    'gold unspecified or unpadded'
    >>> value_error_kind({"type": "DATE", "value": "1988-12"}, {"type": "DATE", "value": "1989-12"})
    'year only'
    """
    g, s = str(gold["value"]), str(system["value"])
    if str(gold["type"]).upper() != str(system["type"]).upper():
        return "type"
    if week_offset(g, s):
        return "whole weeks off"
    g_part, s_part = DAY_PART.fullmatch(g), DAY_PART.fullmatch(s)
    g_day = (g_part.group(1) if g_part else None) or (g if DAY_PATTERN.fullmatch(g) else None)
    s_day = (s_part.group(1) if s_part else None) or (s if DAY_PATTERN.fullmatch(s) else None)
    if (g_part or s_part) and g_day and g_day == s_day:
        return "part of the day"
    g_clock, s_clock = CLOCK.fullmatch(g), CLOCK.fullmatch(s)
    if g_clock and s_clock and g_clock.groups()[:2] == s_clock.groups()[:2]:
        return "clock form or zone"
    if UNSPECIFIED.fullmatch(g) and not s.startswith("P"):
        return "gold unspecified or unpadded"
    g_cal, s_cal = CALENDAR.fullmatch(g), CALENDAR.fullmatch(s)
    if g_cal and s_cal:
        if "Q" in g or "Q" in s:
            return "quarter"
        if SHAPE.sub("9", g) != SHAPE.sub("9", s):
            return "granularity"
        return "year only" if g[4:] == s[4:] else "another date"
    if g in VAGUE or s in VAGUE:
        return "vague reference"
    return "other"


@dataclass(frozen=True)
class WrongValue:
    """A gold TIMEX3 and the first system timex overlapping it, whose values differ."""

    kind: str
    doc: str
    dct: str
    gold: dict[str, Any]
    system: dict[str, Any]


def value_errors(
    gold: dict[str, list[dict[str, Any]]], docs: dict[str, dict[str, Any]], pred: Path
) -> list[WrongValue]:
    """Each gold TIMEX3 whose first overlapping system timex has another value, with its kind."""
    predicted = read_jsonl(pred)
    found = []
    for doc, timexes in sorted(gold.items()):
        system = predicted.get(doc, {}).get("timexes", [])
        for g in timexes:
            s = next((s for s in system if s["start"] < g["end"] and g["start"] < s["end"]), None)
            if s and str(s["value"]).strip() != str(g["value"]).strip():
                found.append(WrongValue(value_error_kind(g, s), doc, docs[doc]["dct"], g, s))
    return found


def print_value_errors(
    name: str, errors: list[WrongValue], docs: dict[str, dict[str, Any]], show: bool
) -> None:
    """The count of value errors by kind, and with ``show`` each one in its sentence."""
    counts = {kind: sum(1 for e in errors if e.kind == kind) for kind in VALUE_KINDS}
    listed = ", ".join(f"{kind} {n}" for kind, n in counts.items() if n)
    print(f"{name}: value errors by kind: {len(errors)} ({listed})")
    if not show:
        return
    for kind in VALUE_KINDS:
        for e in (e for e in errors if e.kind == kind):
            text = docs[e.doc]["text"]
            left, right = sentence_bounds(text, e.gold["start"], e.gold["end"])
            print(
                f"  [{kind}] {e.doc} (published {e.dct}) {e.gold['text']!r}: gold "
                f"{e.gold['type']} {e.gold['value']}, system {e.system['text']!r} "
                f"{e.system['type']} {e.system['value']}\n"
                f"    {' '.join(text[left:right].split())}"
            )


# The kinds extent_difference_kind tells apart, in the order they are printed.
EXTENT_KINDS = (
    "adds at the start",
    "leaves out at the start",
    "adds at the end",
    "leaves out at the end",
    "both ends",
)


def extent_difference_kind(gold: dict[str, Any], system: dict[str, Any]) -> str:
    """Which side of a gold TIMEX3 the overlapping system timex differs on, and how: one of
    ``EXTENT_KINDS`` (the spans must differ).

    >>> extent_difference_kind({"start": 4, "end": 10}, {"start": 0, "end": 10})
    'adds at the start'
    >>> extent_difference_kind({"start": 0, "end": 10}, {"start": 0, "end": 6})
    'leaves out at the end'
    """
    starts, ends = system["start"] != gold["start"], system["end"] != gold["end"]
    if starts and ends:
        return "both ends"
    if starts:
        return "adds at the start" if system["start"] < gold["start"] else "leaves out at the start"
    return "adds at the end" if system["end"] > gold["end"] else "leaves out at the end"


@dataclass(frozen=True)
class ExtentDifference:
    """A gold TIMEX3 and the first system timex overlapping it, whose spans differ."""

    kind: str
    doc: str
    gold: dict[str, Any]
    system: dict[str, Any]


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two timexes share a character."""
    return bool(a["start"] < b["end"] and b["start"] < a["end"])


def extent_differences(
    gold: dict[str, list[dict[str, Any]]], pred: Path
) -> tuple[list[ExtentDifference], int, int]:
    """Each gold TIMEX3 whose first overlapping system timex has another span, with its kind;
    how many gold TIMEX3s no system timex overlaps (missed); how many system timexes overlap
    no gold one (spurious)."""
    predicted = read_jsonl(pred)
    found, missed, spurious = [], 0, 0
    for doc in sorted(set(gold) | set(predicted)):
        timexes = gold.get(doc, [])
        system = predicted.get(doc, {}).get("timexes", [])
        for g in timexes:
            s = next((s for s in system if overlaps(s, g)), None)
            if s is None:
                missed += 1
            elif (s["start"], s["end"]) != (g["start"], g["end"]):
                found.append(ExtentDifference(extent_difference_kind(g, s), doc, g, s))
        spurious += sum(1 for s in system if not any(overlaps(s, g) for g in timexes))
    return found, missed, spurious


def print_extent_differences(
    name: str,
    found: tuple[list[ExtentDifference], int, int],
    docs: dict[str, dict[str, Any]],
    show: bool,
) -> None:
    """The count of extent differences by kind, of missed and spurious timexes, and with
    ``show`` each difference with the words that differ."""
    differences, missed, spurious = found
    counts = {kind: sum(1 for d in differences if d.kind == kind) for kind in EXTENT_KINDS}
    listed = ", ".join(f"{kind} {n}" for kind, n in counts.items() if n)
    print(
        f"{name}: extent differences: {len(differences)} ({listed}); "
        f"gold missed {missed}, system spurious {spurious}"
    )
    if not show:
        return
    for kind in EXTENT_KINDS:
        for d in (d for d in differences if d.kind == kind):
            text = docs[d.doc]["text"]
            g, s = d.gold, d.system
            lo, hi = min(g["start"], s["start"]), max(g["end"], s["end"])
            head = text[lo : max(g["start"], s["start"])]
            tail = text[min(g["end"], s["end"]) : hi]
            print(
                f"  [{kind}] {d.doc} gold {' '.join(g['text'].split())!r} {g['value']}, system "
                f"{' '.join(s['text'].split())!r} {s['value']} (start {head!r}, end {tail!r})"
            )


def evaluate(
    name: str,
    corpus: Path,
    workdir: Path,
    show_weeks: bool = False,
    show_values: bool = False,
    show_extents: bool = False,
) -> int:
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
    texts = read_jsonl(docs)
    gold = gold_timexes(corpus)
    print_wrong_weeks(name, wrong_weeks(gold, texts, pred), texts, show_weeks)
    print_value_errors(name, value_errors(gold, texts, pred), texts, show_values)
    print_extent_differences(name, extent_differences(gold, pred), texts, show_extents)
    if score.returncode != 0:
        print(f"{name}: te3score.py failed:\n{score.stderr}", file=sys.stderr)
    return score.returncode


def main(argv: list[str] | None = None) -> int:
    """Score the chosen corpora; exit 0 when the corpora or the scorer are not installed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("tbaq", "wikiwars", "all"), default="all")
    parser.add_argument(
        "--show-weeks", action="store_true", help="print each wrong-week weekday in its sentence"
    )
    parser.add_argument(
        "--show-values",
        action="store_true",
        help="print each value error, by kind, in its sentence",
    )
    parser.add_argument(
        "--show-extents",
        action="store_true",
        help="print each extent difference, by kind, with the words that differ",
    )
    args = parser.parse_args(argv)
    missing = [p for p in (TE3TEXT, TE3SCORE) if not p.is_file()]
    if missing:
        print(f"skipped: eval scripts not found at {', '.join(map(str, missing))}")
        return 0
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    status = 0
    with tempfile.TemporaryDirectory(prefix="te3-") as tmp:
        for name in names:
            status = (
                evaluate(
                    name,
                    CORPORA[name],
                    Path(tmp),
                    args.show_weeks,
                    args.show_values,
                    args.show_extents,
                )
                or status
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
