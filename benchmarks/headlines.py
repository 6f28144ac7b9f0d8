#!/usr/bin/env python3
"""Headlines an editor keeps: how many timeline headlines break each rule of issue 12.

Every document of TBAQ-cleaned and WikiWars is tagged (``timeline.tag`` with its creation
date) and anchored (:func:`timeline.events.anchoring.anchor_events`); each anchor's headline
is checked against its sentence by :func:`headline_faults`, which names the rules it breaks:

* ``starts_off_word``: it begins with punctuation (a stray quote mark, dash or bracket);
* ``leading_number``: it begins with a number that the sentence sets off after a comma, a
  cut inside an apposition ("John Smith, 54, was arrested" headlined "54, was arrested");
* ``no_subject``: after its adverbs and time references it begins with a verb form ("Said
  on Friday ...", "On Friday announced ...");
* ``dropped_meaning_word``: a word that changes the meaning (``meaning`` in ``words.tsv``:
  "before", "after", "not", "never", "no") stands in the headline's clause of the sentence
  just ahead of the words the headline keeps, and the headline lacks it;
* ``ends_off_word``: it ends with punctuation other than a quote mark or bracket it closes,
  a percent sign, a question or exclamation mark or the full stop of an abbreviation
  ("U.S."), or, cut short (``…``), with a conjunction, preposition or determiner.

The checks are heuristics read off the headline and its sentence alone:
``benchmarks/editorial.py`` imports :func:`headline_faults` for its own counts.

The corpora live outside the repository (``<repo>/../shared/corpora``) and are read through
``../shared/eval/te3text.py``; when they are absent the script says so and exits 0.

    python benchmarks/headlines.py [--corpus tbaq|wikiwars|all] [--examples N]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline import tag  # noqa: E402
from timeline.events.anchoring import anchor_events  # noqa: E402
from timeline.events.words import WORD, lemmas, word_classes  # noqa: E402

SHARED = REPO.parent / "shared"
TE3TEXT = SHARED / "eval" / "te3text.py"
CORPORA = {
    "tbaq": SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned",
    "wikiwars": SHARED / "corpora" / "tempeval3" / "WikiWars" / "timex3-tml",
}
RULES = (
    "starts_off_word",
    "leading_number",
    "no_subject",
    "dropped_meaning_word",
    "ends_off_word",
)
ELLIPSIS = "…"
# Any date does: the headline is tagged only to find where its time references are.
SOME_DATE = "2000-01-01"
# What ends a clause between two words of a sentence.
CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”]|''|``|--|\s[-–—]\s")  # noqa: RUF001
# The last word of an abbreviation, whose full stop is part of it ("U.S.", "a.m.").
ABBREVIATION = re.compile(r"\w\.\w+\.$")
PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’"}  # noqa: RUF001


def headline_faults(headline: str, sentence: str) -> list[str]:
    """The names of the rules (:data:`RULES`) that ``headline``, taken from ``sentence``,
    breaks, in the order of :data:`RULES`."""
    cut = headline.rstrip().endswith(ELLIPSIS)
    body = headline.rstrip().removesuffix(ELLIPSIS).rstrip()
    words = WORD.findall(body)
    checks = {
        "starts_off_word": _starts_off_word(body),
        "leading_number": _leading_number(body, words, sentence),
        "no_subject": _no_subject(body),
        "dropped_meaning_word": _dropped_meaning_word(words, sentence),
        "ends_off_word": _ends_off_word(body, words, cut),
    }
    return [rule for rule in RULES if checks[rule]]


def _starts_off_word(body: str) -> bool:
    """Whether the headline is empty or begins with punctuation."""
    return not body or unicodedata.category(body[0]).startswith("P")


def _leading_number(body: str, words: list[str], sentence: str) -> bool:
    """Whether the headline begins with a number that a comma follows or that the sentence
    sets off after a comma."""
    if not words or not body.startswith(words[0]) or not words[0][0].isdigit():
        return False
    after_comma = re.search(rf",\s*{re.escape(words[0])}(?!\w)", sentence)
    return bool(re.match(rf"{re.escape(words[0])}\s*,", body) or after_comma)


def _no_subject(body: str) -> bool:
    """Whether, past its adverbs, its time references and the prepositions before them, the
    headline begins with a verb form: an inflected verb, a form of "be" or "have", or an
    -ing form that takes an object ("Trying to ..."). A time reference that opens with a
    determiner and no preposition is a subject ("The second quarter ended ...")."""
    times = [(m.start, m.end) for m in tag(body, SOME_DATE)]
    tokens = list(WORD.finditer(body))
    classes = word_classes()
    prepositions = classes["function"] - classes["determiner"]
    opening = classes["clause_after_comma"] | classes["subordinator"]
    after_preposition = False
    for i, token in enumerate(tokens):
        word = token.group().lower()
        found = lemmas(word)
        if _in(token, times) and (after_preposition or word not in classes["determiner"]):
            continue
        if word in classes["period_link"] and i and _in(tokens[i - 1], times):
            continue  # "the year ended Sept. 30"
        if word in prepositions and _time_follows(tokens, i, times):
            after_preposition = True
            continue  # "on" of "on Friday"
        if set(found) == {"ADV"} and word not in opening | classes["function"]:
            continue  # "also", "recently"
        following = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if following[:1].isupper() and token.group()[0].isupper():
            return False  # a name: "Consolidated Freightways"
        return _verb_form(word, found, following.lower())
    return False


def _in(token: re.Match[str], times: list[tuple[int, int]]) -> bool:
    """Whether the word ``token`` is part of one of ``times``."""
    return any(s < token.end() and token.start() < e for s, e in times)


def _time_follows(tokens: list[re.Match[str]], i: int, times: list[tuple[int, int]]) -> bool:
    """Whether a time reference begins within two words after ``tokens[i]``."""
    ahead = tokens[i + 1 : i + 3]
    return any(any(s == t.start() for s, _ in times) for t in ahead)


def _verb_form(word: str, found: dict[str, tuple[str, ...]], following: str) -> bool:
    """Whether ``word`` (its lemmas ``found``) is a verb form no subject can be: an inflected
    verb that is nothing else, a form of "be" or "have", or an -ing form before "to" or a
    determiner."""
    classes = word_classes()
    if word in classes["never"] or word in classes["auxiliary"]:
        return True
    if word in classes["not_event"]:
        return False  # "according to", "including"
    verbs = found.get("VERB", ())
    if not verbs or set(found) - {"VERB", "AUX"} or all(v == word for v in verbs):
        return False
    if word.endswith("ing"):
        return following == "to" or following in classes["determiner"]
    return True


def _dropped_meaning_word(words: list[str], sentence: str) -> bool:
    """Whether a meaning word stands in the sentence just ahead of the headline's words, in
    their clause: walking back from where they begin, before a clause break or a word that
    opens a clause."""
    at = _where(words, sentence)
    if at is None:
        return False
    classes = word_classes()
    opening = classes["clause_after_comma"] | classes["subordinator"]
    end = at
    for token in reversed(list(WORD.finditer(sentence, 0, at))):
        if CLAUSE_BREAK.search(sentence, token.end(), end):
            return False
        word = token.group().lower()
        if word in classes["meaning"]:
            return word not in {w.lower() for w in words}
        if word in opening:
            return False
        end = token.start()
    return False


def _where(words: list[str], sentence: str) -> int | None:
    """Where in the sentence the headline's own words begin: the first place that holds the
    headline's words from the first that can be found, four at a time (a subject the
    headline borrows from elsewhere is skipped)."""
    tokens = list(WORD.finditer(sentence))
    lowered = [t.group().lower() for t in tokens]
    wanted = [w.lower() for w in words]
    for skip in range(len(wanted)):
        probe = wanted[skip : skip + 4]
        for i in range(len(lowered) - len(probe) + 1):
            if lowered[i : i + len(probe)] == probe:
                return tokens[i].start()
    return None


def _ends_off_word(body: str, words: list[str], cut: bool) -> bool:
    """Whether the headline ends with punctuation that closes nothing it opened, or, cut
    short, with a conjunction, preposition or determiner."""
    if not body or not words:
        return True
    last = body[-1]
    fine = last in "%?!" or _closes(body, last) or ABBREVIATION.search(body)
    if unicodedata.category(last).startswith("P") and not fine:
        return True
    classes = word_classes()
    dangling = classes["function"] | classes["determiner"] | classes["clause_after_comma"]
    return cut and words[-1].lower() in dangling | classes["subordinator"]


def _closes(body: str, last: str) -> bool:
    """Whether the closing bracket or quote mark ``last`` closes one opened in ``body``."""
    if last in PAIRS.values():
        opener = next(o for o, c in PAIRS.items() if c == last)
        return body.count(opener) >= body.count(last)
    if body.endswith("''"):
        return body.count("``") >= body.count("''")
    if last == '"':
        return body.count('"') % 2 == 0
    return False


def documents(corpus: Path, workdir: Path) -> list[dict[str, str]]:
    """The documents of ``corpus`` as ``te3text.py`` writes them (doc, dct, text)."""
    out = workdir / f"{corpus.name}.jsonl"
    subprocess.run(
        [sys.executable, str(TE3TEXT), str(corpus), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def faults_of(docs: list[dict[str, str]]) -> tuple[int, Counter[str], dict[str, list[str]]]:
    """The number of headlines of ``docs``, how many break each rule (and ``any``), and the
    headlines that break each, with their sentences."""
    total = 0
    counts: Counter[str] = Counter()
    seen: dict[str, list[str]] = {rule: [] for rule in RULES}
    for doc in docs:
        text = doc["text"]
        for anchor in anchor_events(text, tag(text, (doc["dct"] or SOME_DATE)[:10])):
            total += 1
            faults = headline_faults(anchor.headline, anchor.sentence.text)
            counts.update(faults)
            counts["any"] += bool(faults)
            for rule in faults:
                seen[rule].append(f"{anchor.headline!r}\n        in {anchor.sentence.text!r}")
    return total, counts, seen


def report(name: str, docs: list[dict[str, str]], examples: int) -> None:
    """Print the fault counts of one corpus, and up to ``examples`` headlines per rule."""
    total, counts, seen = faults_of(docs)
    print(f"== {name}: {len(docs)} documents, {total} headlines")
    for rule in (*RULES, "any"):
        share = counts[rule] / total if total else 0.0
        print(f"{rule:>22}: {counts[rule]:5d}  ({share:.1%})")
    for rule in RULES:
        for line in seen[rule][:examples]:
            print(f"  {rule}: {line}")


def main(argv: list[str] | None = None) -> int:
    """Count the faults of the chosen corpora; exit 0 when they are not installed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("tbaq", "wikiwars", "all"), default="all")
    parser.add_argument("--examples", type=int, default=0, help="headlines to show per rule")
    args = parser.parse_args(argv)
    if not TE3TEXT.is_file():
        print(f"skipped: te3text.py not found at {TE3TEXT}")
        return 0
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    with tempfile.TemporaryDirectory(prefix="headlines-") as tmp:
        for name in names:
            if not CORPORA[name].is_dir():
                print(f"{name}: skipped: corpus not found at {CORPORA[name]}")
                continue
            report(name, documents(CORPORA[name], Path(tmp)), args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
