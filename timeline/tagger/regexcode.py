"""Compiled regexes as data: what CPython's regex compiler makes of a pattern, kept so that a
new process need not compile the rule tables again (:mod:`.tablecache` stores it).

:func:`dump` gives the compiler's output for a pattern as JSON (its opcodes, flags and
groups); :func:`load` hands that back to the regex engine, which checks the opcodes before it
accepts them, and compiles the pattern the ordinary way when it cannot (another Python, a
damaged cache). Either way the regex is the one ``re.compile(pattern, flags)`` gives.
"""

from __future__ import annotations

import array
import base64
import re
from typing import Any

try:  # CPython's regex compiler and engine; elsewhere every pattern is compiled as usual
    import _sre  # type: ignore[import-not-found,unused-ignore]
    from re import _compiler, _parser  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - other Pythons
    _sre = None

MAGIC = getattr(_sre, "MAGIC", None)
WORD = "I"  # the opcodes are unsigned ints of _sre.CODESIZE bytes
USABLE = _sre is not None and array.array(WORD).itemsize == getattr(_sre, "CODESIZE", 0)


def dump(pattern: str, flags: int) -> dict[str, Any] | None:
    """The compiled form of ``pattern`` as JSON, or ``None`` where it cannot be had."""
    if not USABLE:
        return None
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
    except (AttributeError, TypeError, re.error):  # pragma: no cover - other versions
        return None
    return {
        "magic": MAGIC,
        "flags": flags | parsed.state.flags,
        "code": base64.b64encode(array.array(WORD, code).tobytes()).decode("ascii"),
        "groups": parsed.state.groups - 1,
        "groupindex": dict(parsed.state.groupdict),
    }


def load(pattern: str, flags: int, stored: Any) -> re.Pattern[str]:
    """The regex of ``pattern``: from ``stored`` (what :func:`dump` gave) when it is usable,
    else compiled."""
    if USABLE and isinstance(stored, dict) and stored.get("magic") == MAGIC:
        try:
            code = array.array(WORD)
            code.frombytes(base64.b64decode(stored["code"]))
            groups, groupindex = stored["groups"], stored["groupindex"]
            names: list[str | None] = [None] * (groups + 1)
            for name, number in groupindex.items():
                names[number] = name
            regex: re.Pattern[str] = _sre.compile(
                pattern, stored["flags"], code.tolist(), groups, groupindex, tuple(names)
            )
        except (KeyError, TypeError, ValueError, IndexError, RuntimeError, OverflowError):
            pass
        else:
            if regex.flags & flags == flags:
                return regex
    return re.compile(pattern, flags)
