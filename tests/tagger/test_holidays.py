"""Holidays: the calendars behind them, and a region's own observance."""

from __future__ import annotations

from datetime import date

from timeline import tag
from timeline.tagger.holidays import march_equinox_day, occurrences


def eid(published: str, region: str | None) -> str:
    (mention,) = tag("They will celebrate the upcoming Eid al-Adha.", published, region=region)
    return mention.value


def test_eid_al_adha_follows_the_umm_al_qura_calendar_by_default() -> None:
    assert eid("2024-06-10", None) == "2024-06-16"


def test_a_region_follows_its_own_observance_where_the_holidays_package_knows_it() -> None:
    assert eid("2024-06-10", "AF") == "2024-06-17"


def test_an_unknown_region_falls_back_to_the_calendar() -> None:
    assert eid("2024-06-10", "ZZ") == "2024-06-16"


def test_ramadan_lasts_its_hijri_month() -> None:
    (ramadan,) = occurrences("ramadan", 2021)
    assert ramadan.first == date(2021, 4, 13)
    assert ramadan.days == 30
    (mention,) = tag("Prices rose during Ramadan.", "2021-07-17")
    assert mention.interval is not None
    assert (mention.interval.start, mention.interval.end) == ("2021-04-13", "2021-05-13")


def test_nowruz_begins_on_the_day_of_the_march_equinox_in_tehran() -> None:
    # the equinox came at 13:07 Tehran time in 2021 (after noon: the next day), 06:36 in 2024
    assert march_equinox_day(2021) == date(2021, 3, 21)
    assert march_equinox_day(2024) == date(2024, 3, 20)


def test_a_gregorian_year_can_hold_two_eids() -> None:
    # the Hijri year is eleven days shorter: in 2000, Eid al-Fitr came on 8 January and on
    # 27 December; with no tense to go by, the nearer one is meant
    assert [o.first for o in occurrences("eid_al_fitr", 2000)] == [
        date(2000, 1, 8),
        date(2000, 12, 27),
    ]
    (mention,) = tag("The shops close for Eid al-Fitr.", "2000-11-30")
    assert mention.value == "2000-12-27"
