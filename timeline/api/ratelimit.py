"""Rate limits held in the process: ``Rate.parse("60/minute")`` and a :class:`Limiter` that
says, per client, whether one more request fits and else how long to wait.

The algorithm is GCRA (the generic cell rate algorithm, a token bucket kept as one
timestamp per client): a rate of N per period lets a client send N requests at once and
then one every period/N. Each process keeps its own counts: with several web processes a
client may send up to that many times the rate in all (the README says so).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InvalidInputError

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
OFF = ("", "off", "none", "0")
# forget clients idle this long past their allowance only once this many are known
PRUNE_ABOVE = 10_000
# rounding of the clock's floats: a wait shorter than this is none
EPSILON = 1e-6


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``seconds``."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"60/minute"``, ``"5/second"``, ``"1000/hour"``, ``"10000/day"`` (a plural unit
        or a number of them too: ``"10/5 minutes"``)."""
        count, _, per = text.strip().partition("/")
        number, _, unit = per.strip().rpartition(" ")
        unit = unit.strip().lower().removesuffix("s")
        try:
            amount = int(count)
            periods = int(number) if number.strip() else 1
        except ValueError:
            amount = periods = 0
        if amount < 1 or periods < 1 or unit not in PERIODS:
            raise InvalidInputError(
                f"not a rate: {text!r} (a number per second, minute, hour or day: 60/minute)"
            )
        return cls(amount, periods * PERIODS[unit])

    @classmethod
    def setting(cls, value: object, name: str) -> Rate | None:
        """The rate a setting gives, or None for ``off`` (no limit)."""
        if value is None or value is False or str(value).strip().lower() in OFF:
            return None
        try:
            return cls.parse(str(value))
        except InvalidInputError as exc:
            raise InvalidInputError(f"TIMELINE_{name}: {exc}") from None

    @property
    def interval(self) -> float:
        """The seconds one request uses of the allowance."""
        return self.seconds / self.count

    def __str__(self) -> str:
        return f"{self.count} per {self.seconds:g} s"


class Limiter:
    """One :class:`Rate` applied to each client (any hashable name) separately; safe to
    share between threads."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._lock = threading.Lock()
        # each client's theoretical arrival time: when its allowance is whole again
        self._due: dict[object, float] = {}

    def hit(self, client: object) -> float:
        """Count one request of ``client``: 0 when it fits, else the seconds to wait before
        one would (the request is then not counted)."""
        interval, burst = self.rate.interval, self.rate.seconds
        with self._lock:
            now = self._clock()
            # how far ahead of now the client's allowance is spent (relative, so that a
            # fresh client is exactly 0 however large the clock's reading)
            ahead = max(self._due.get(client, now) - now, 0.0)
            wait = ahead + interval - burst
            if wait > EPSILON:
                return wait
            self._due[client] = now + ahead + interval
            if len(self._due) > PRUNE_ABOVE:
                self._due = {k: v for k, v in self._due.items() if v > now}
            return 0.0

    @staticmethod
    def retry_after(wait: float) -> int:
        """``wait`` as a ``Retry-After`` value: whole seconds, at least 1."""
        return max(1, math.ceil(wait))
