"""The limits of one article (:mod:`timeline.limits`): read from the settings, counted in
units of work, refused with an error that names the limit and its value."""

from __future__ import annotations

from typing import Any

import pytest

from timeline.errors import InvalidInputError, LimitExceededError
from timeline.limits import DEFAULTS, NONE, Budget, Limits, limits_from


def test_the_settings_give_the_limits_and_off_lifts_one() -> None:
    assert limits_from({}) == Limits()
    assert Limits().max_mentions == DEFAULTS["MAX_MENTIONS"]
    read = limits_from(
        {"MAX_ARTICLE_CHARS": "1000", "MAX_MENTIONS": 7, "WORK_BUDGET": "off", "ARTICLE_SECONDS": 0}
    )
    assert read == Limits(max_chars=1000, max_mentions=7, work=None, seconds=None)


@pytest.mark.parametrize(
    "setting",
    [{"MAX_MENTIONS": "many"}, {"MAX_MENTIONS": -1}, {"WORK_BUDGET": 2.5}, {"MAX_MENTIONS": True}],
)
def test_a_setting_that_is_no_limit_is_refused(setting: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError, match="TIMELINE_"):
        limits_from(setting)


def test_each_limit_names_itself_and_its_value() -> None:
    limits = Limits(max_chars=10, max_mentions=2, work=None, seconds=None)
    with pytest.raises(LimitExceededError, match="MAX_ARTICLE_CHARS") as too_long:
        limits.check_text("x" * 11)
    assert (too_long.value.limit, too_long.value.value) == ("MAX_ARTICLE_CHARS", 10)
    limits.check_text("x" * 10)
    with pytest.raises(LimitExceededError, match="3 time references") as too_many:
        limits.check_mentions(3)
    assert (too_many.value.limit, too_many.value.value) == ("MAX_MENTIONS", 2)
    limits.check_mentions(2)
    NONE.check_text("x" * 10_000)
    NONE.check_mentions(10_000)


def test_a_budget_counts_its_units_and_stops_past_them() -> None:
    budget = Budget(units=10)
    budget.spend(4)
    budget.spend(6)
    assert budget.spent == 10
    with pytest.raises(LimitExceededError, match="WORK_BUDGET") as spent:
        budget.spend(1)
    assert spent.value.value == 10
    unbounded = Budget()
    unbounded.spend(10**9)
    assert unbounded.spent == 10**9


def test_a_budget_stops_past_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("timeline.limits.time.monotonic", lambda: now[0])
    budget = Budget(seconds=5)
    budget.spend(1)
    now[0] = 105.5
    with pytest.raises(LimitExceededError, match="ARTICLE_SECONDS") as late:
        budget.spend(1)
    assert late.value.value == 5
