"""Rates and the in-process limiter (:mod:`timeline.api.ratelimit`), on a clock of the
test's own."""

from __future__ import annotations

import pytest

from timeline.api.ratelimit import Limiter, Rate
from timeline.errors import InvalidInputError


class Clock:
    """A clock that moves only when told, started far from 0 (as ``time.monotonic`` is)."""

    def __init__(self) -> None:
        self.now = 1_234_567.891

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "count", "seconds"),
    [
        ("60/minute", 60, 60.0),
        ("5/second", 5, 1.0),
        ("1000/hour", 1000, 3600.0),
        ("10000/day", 10000, 86400.0),
        ("10/5 minutes", 10, 300.0),
        (" 3 / Minute ", 3, 60.0),
    ],
)
def test_a_rate_is_read(text: str, count: int, seconds: float) -> None:
    assert Rate.parse(text) == Rate(count, seconds)


@pytest.mark.parametrize("text", ["lots", "60", "60/fortnight", "0/minute", "-1/minute", "x/hour"])
def test_a_rate_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="not a rate"):
        Rate.parse(text)


@pytest.mark.parametrize("value", [None, False, "", "off", "OFF", "none", "0", 0])
def test_a_setting_turns_the_limit_off(value: object) -> None:
    assert Rate.setting(value, "WRITE_RATE") is None


def test_a_setting_names_itself_when_wrong() -> None:
    with pytest.raises(InvalidInputError, match="TIMELINE_WRITE_RATE"):
        Rate.setting("often", "WRITE_RATE")


def test_a_burst_of_the_count_then_one_per_interval() -> None:
    clock = Clock()
    limiter = Limiter(Rate(3, 60.0), clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.hit("a") == pytest.approx(20.0)
    clock.now += 19.0
    assert limiter.hit("a") == pytest.approx(1.0)  # a refused request is not counted
    clock.now += 1.0
    assert limiter.hit("a") == 0.0
    assert limiter.hit("a") == pytest.approx(20.0)
    assert limiter.hit("b") == 0.0  # each client has its own allowance


def test_an_idle_client_gets_its_whole_burst_back() -> None:
    clock = Clock()
    limiter = Limiter(Rate(2, 10.0), clock=clock)
    assert limiter.hit("a") == limiter.hit("a") == 0.0
    clock.now += 3600.0
    assert limiter.hit("a") == limiter.hit("a") == 0.0
    assert limiter.hit("a") > 0


def test_one_per_period_lets_the_first_request_through() -> None:
    # the first request of a client fits however large the clock's reading (rounding once
    # refused it)
    for start in (0.0, 1e6, 1e9 + 0.1, 123456.789):
        clock = Clock()
        clock.now = start
        assert Limiter(Rate(1, 60.0), clock=clock).hit(("key", 1)) == 0.0


@pytest.mark.parametrize(("wait", "header"), [(0.001, 1), (1.0, 1), (1.2, 2), (59.99, 60)])
def test_retry_after_is_whole_seconds_rounded_up(wait: float, header: int) -> None:
    assert Limiter.retry_after(wait) == header
