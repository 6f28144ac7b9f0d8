"""The limits on the work one article may take, so that no article keeps a core busy for
long, whatever it holds (a 2 MB post, 20,000 weekdays in a row):

* ``MAX_ARTICLE_CHARS`` (2,000,000): the characters of its text, checked before tagging;
* ``MAX_MENTIONS`` (5,000): its time references, checked after tagging, before anchoring;
* ``WORK_BUDGET`` (500,000 units): the work of anchoring its events and building its
  entries, counted in units as it is done (:class:`Budget`: for each time reference, the
  words of its sentence and the time references in it that it weighs; for each entry,
  one), so that the same article is refused on every machine. News text takes some 30
  units a reference (100 per 1,000 characters), a list of weekdays some 100;
* ``ARTICLE_SECONDS`` (120): a deadline behind the budget, on the monotonic clock (it
  never dates anything), for a machine far slower than the budget assumes.

An article beyond one of them raises :class:`timeline.errors.LimitExceededError`, which
names the limit and its value: the API answers 422 and stores nothing, an ingestion counts
the item as failed with that reason. Each is set by its ``TIMELINE_*`` variable; ``off``
(or 0) lifts it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInputError, LimitExceededError

DEFAULTS: dict[str, Any] = {
    "MAX_ARTICLE_CHARS": 2_000_000,
    "MAX_MENTIONS": 5_000,
    "WORK_BUDGET": 500_000,
    "ARTICLE_SECONDS": 120,
}


class Budget:
    """The units of work an article may still take, and its deadline: :meth:`spend`
    charges units as the work is done and raises :class:`LimitExceededError` past
    ``units``, or past ``seconds`` since the budget was made. ``spent`` counts every unit
    charged (what a test of the work's growth reads)."""

    def __init__(self, units: int | None = None, seconds: float | None = None) -> None:
        self.units, self.seconds, self.spent = units, seconds, 0
        self._deadline = None if seconds is None else time.monotonic() + seconds

    def spend(self, units: int) -> None:
        """Charge ``units`` of work; refused past the budget or the deadline."""
        self.spent += units
        if self.units is not None and self.spent > self.units:
            raise LimitExceededError(
                f"the article takes more than the {self.units:,} units of work allowed"
                " (WORK_BUDGET) to anchor its events",
                "WORK_BUDGET",
                self.units,
            )
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise LimitExceededError(
                f"the article takes longer than the {self.seconds:g} s allowed"
                " (ARTICLE_SECONDS) to anchor its events",
                "ARTICLE_SECONDS",
                self.seconds or 0,
            )


@dataclass(frozen=True)
class Limits:
    """The limits of one article (``None``: none). :data:`NONE` lifts them all."""

    max_chars: int | None = DEFAULTS["MAX_ARTICLE_CHARS"]
    max_mentions: int | None = DEFAULTS["MAX_MENTIONS"]
    work: int | None = DEFAULTS["WORK_BUDGET"]
    seconds: float | None = DEFAULTS["ARTICLE_SECONDS"]

    def check_text(self, text: str) -> None:
        """Refuse a text longer than ``max_chars``."""
        if self.max_chars is not None and len(text) > self.max_chars:
            raise LimitExceededError(
                f"the article's text has {len(text):,} characters, more than the"
                f" {self.max_chars:,} allowed (MAX_ARTICLE_CHARS)",
                "MAX_ARTICLE_CHARS",
                self.max_chars,
            )

    def check_mentions(self, count: int) -> None:
        """Refuse an article with more than ``max_mentions`` time references."""
        if self.max_mentions is not None and count > self.max_mentions:
            raise LimitExceededError(
                f"the article has {count:,} time references, more than the"
                f" {self.max_mentions:,} allowed (MAX_MENTIONS)",
                "MAX_MENTIONS",
                self.max_mentions,
            )

    def budget(self) -> Budget:
        """A new budget of ``work`` units and ``seconds``, from now."""
        return Budget(self.work, self.seconds)


NONE = Limits(None, None, None, None)


def limits_from(config: Mapping[str, Any]) -> Limits:
    """The limits the settings give (the defaults where a setting is missing); a setting
    that is neither a number above 0 nor ``off``/0 is an :class:`InvalidInputError`."""
    return Limits(
        max_chars=_whole(config, "MAX_ARTICLE_CHARS"),
        max_mentions=_whole(config, "MAX_MENTIONS"),
        work=_whole(config, "WORK_BUDGET"),
        seconds=_number(config, "ARTICLE_SECONDS"),
    )


def _number(config: Mapping[str, Any], key: str) -> float | None:
    """The setting ``key`` as a number above 0, or ``None`` for ``off``, 0 or ``None``."""
    value = config.get(key, DEFAULTS[key])
    if value is None or (isinstance(value, str) and value.strip().lower() in ("off", "0")):
        return None
    try:
        number = float(value) if not isinstance(value, bool) else -1.0
    except (TypeError, ValueError):
        number = -1.0
    if number == 0:
        return None
    if not number > 0 or number == float("inf"):
        raise InvalidInputError(f"TIMELINE_{key} is not a number above 0 or off: {value!r}")
    return number


def _whole(config: Mapping[str, Any], key: str) -> int | None:
    """The setting ``key`` as a whole number above 0, or ``None`` for ``off`` or 0."""
    number = _number(config, key)
    if number is not None and number != int(number):
        raise InvalidInputError(f"TIMELINE_{key} is not a whole number: {config[key]!r}")
    return None if number is None else int(number)
