"""A cache on disk of what the rule tables compile to, so that a new process starts quickly.

Expanding the rules' ``%class`` references, checking that each one compiles and working out
which characters each rule's matches can start with (:mod:`.index`) takes about a second
(a process then compiles only the rules it tries), and writing the tense cues as one
factored regex (:mod:`.context`) a few milliseconds; the results are plain strings and lists,
kept as JSON in the user's cache folder (``$XDG_CACHE_HOME/timeline``, else
``~/.cache/timeline``, none when there is no home folder; ``TIMELINE_TAGGER_CACHE`` names
another folder, or ``off``).

A cache file is named by a fingerprint of everything its content follows from: the bytes of
every file under ``rules/``, the source of the modules that compile them, and the Python
version (whose regex parser the prefixes come from). A file that is absent, unreadable, of
another fingerprint or of another shape is ignored and the tables are built again; a folder
that cannot be written to is left alone. Files of other fingerprints that no process has read
for ``STALE_SECONDS`` are removed when a new one is written. The cache changes how fast the
tagger starts, never what it finds.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

ENVIRONMENT = "TIMELINE_TAGGER_CACHE"
OFF = "off"
# The modules whose code decides what the cached tables hold.
MODULES = (
    "compiler.py",
    "context.py",
    "index.py",
    "lexicon.py",
    "regexwords.py",
    "tablecache.py",
)
PREFIX = "tagger-"
# Files of other fingerprints unread for this long are removed (other checkouts of the code
# may share the folder: theirs are read, and so kept, while they are in use).
STALE_SECONDS = 7 * 24 * 3600


def cache_folder() -> Path | None:
    """The folder of the cache files, or ``None`` when the cache is turned off."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named.lower() == OFF:
        return None
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    folder = (Path(base) if base else Path(os.path.expanduser("~")) / ".cache") / "timeline"
    return folder if folder.is_absolute() else None  # no home: no cache, not one in the cwd


@functools.cache
def fingerprint() -> str:
    """The SHA-256 of the rule files, the compiling modules' source and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    package = resources.files(__package__ or "timeline.tagger")
    rules = sorted(package.joinpath("rules").iterdir(), key=lambda p: p.name)
    sources = [package.joinpath(name) for name in MODULES]
    for item in [*rules, *sources]:
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(name: str, build: Callable[[], Any]) -> Any:
    """The JSON value ``build()`` returns, read from the cache when it holds it for this
    fingerprint, else built and (when the folder can be written) stored."""
    folder = cache_folder()
    if folder is None:
        return build()
    stamp = fingerprint()
    path = folder / f"{PREFIX}{name}-{stamp[:20]}.json"
    found = _read(path, stamp)
    if found is not None:
        return found
    value = build()
    _write(folder, path, {"fingerprint": stamp, "value": value})
    return value


def _read(path: Path, stamp: str) -> Any:
    """The value stored in ``path`` for ``stamp``, or ``None`` (absent, unreadable, stale)."""
    try:
        with path.open(encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("fingerprint") != stamp:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # read: not stale
    return stored.get("value")


def _write(folder: Path, path: Path, payload: dict[str, Any]) -> None:
    """Store ``payload`` in ``path`` (whole or not at all), and remove the stale files of other
    fingerprints of the same name; nothing happens when the folder cannot be written to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        stem = path.name.rsplit("-", 1)[0] + "-"
        for old in folder.glob(stem + "*.json"):
            if old != path and time.time() - old.stat().st_mtime > STALE_SECONDS:
                old.unlink(missing_ok=True)
    except OSError:
        return
