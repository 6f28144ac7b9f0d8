"""Text in other languages (``tag(..., language="fr")``), read through dateparser against the
publication date that is passed in, never the wall clock."""

from __future__ import annotations

import pytest

from timeline import InvalidInputError, Mention, tag

FRENCH = "La réunion a eu lieu le 14 juillet 2021."
GERMAN = "Das Treffen fand am 3. März 2020 statt."


def tagged(text: str, published: str, language: str) -> list[Mention]:
    """``tag`` in ``language``, checking that every offset points into the text."""
    mentions = tag(text, published, language=language)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text, f"offsets {m.start}-{m.end} do not give {m.text!r}"
    return mentions


@pytest.mark.parametrize(
    ("text", "language", "words", "day"),
    [
        (FRENCH, "fr", "14 juillet 2021", "2021-07-14"),
        (GERMAN, "de", "3. März 2020", "2020-03-03"),
    ],
)
def test_an_explicit_date_resolves_to_that_date(
    reference: str, text: str, language: str, words: str, day: str
) -> None:
    (m,) = tagged(text, reference, language)
    assert words in m.text
    assert m.value[:10] == day
    assert m.interval is not None
    assert m.interval.start is not None
    assert m.interval.start[:10] == day
    assert m.anchor == reference


def test_a_region_subtag_and_case_do_not_matter(reference: str) -> None:
    expected = [(m.start, m.end, m.value) for m in tagged(FRENCH, reference, "fr")]
    assert expected
    for language in ("FR", "fr-CA", "fr-FR"):
        found = [(m.start, m.end, m.value) for m in tagged(FRENCH, reference, language)]
        assert found == expected, language


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Les combats ont repris hier.", "fr", "hier"),
        ("Die Kämpfe begannen gestern.", "de", "gestern"),
        ("Los combates se reanudaron ayer.", "es", "ayer"),
    ],
)
@pytest.mark.parametrize(
    ("published", "day_before"),
    [("2021-07-17", "2021-07-16"), ("2020-03-01", "2020-02-29"), ("1999-01-01", "1998-12-31")],
)
def test_yesterday_follows_the_publication_date(
    text: str, language: str, word: str, published: str, day_before: str
) -> None:
    (m,) = tagged(text, published, language)
    assert m.text.lower() == word
    assert (m.type, m.value) == ("DATE", day_before)
    assert m.interval is not None
    assert (m.interval.start, m.interval.granularity) == (day_before, "day")
    assert m.anchor == published


def test_a_publication_datetime_anchors_relative_words() -> None:
    (m,) = tagged("Les combats ont repris hier.", "2021-07-17T09:30:00Z", "fr")
    assert (m.type, m.value) == ("DATE", "2021-07-16")
    assert m.anchor == "2021-07-17"


def test_every_mention_comes_from_dateparser(reference: str) -> None:
    text = "Les combats ont repris hier. La réunion a eu lieu le 14 juillet 2021."
    mentions = tagged(text, reference, "fr")
    assert [m.value[:10] for m in mentions] == ["2021-07-16", "2021-07-14"]
    assert {m.rule for m in mentions} == {"dateparser"}
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_a_repeated_phrase_gets_the_offsets_of_each_occurrence(reference: str) -> None:
    text = "Il est arrivé hier. Hier encore, il parlait."
    mentions = tagged(text, reference, "fr")
    assert [(m.start, m.value) for m in mentions] == [(14, "2021-07-16"), (20, "2021-07-16")]


def test_short_false_friends_are_dropped(reference: str) -> None:
    # dateparser reads German "die" as "Di" (Tuesday); it must not become a mention
    mentions = tagged("Im März 2020 begann die Pandemie.", reference, "de")
    assert all(m.text.lower() != "die" for m in mentions)
    assert [m.value[:7] for m in mentions] == ["2020-03"]


def test_a_text_without_dates(reference: str) -> None:
    assert tagged("Les négociateurs se sont retrouvés à Doha.", reference, "fr") == []


@pytest.mark.parametrize("language", ["xx", "zz-QQ", "qqq", "123", ""])
def test_an_unknown_language_is_invalid_input(reference: str, language: str) -> None:
    """An unknown code is the caller's mistake: a clear error, not an empty result."""
    with pytest.raises(InvalidInputError, match="unsupported language"):
        tag(FRENCH, reference, language=language)


@pytest.mark.parametrize("language", ["en", "EN", "en-US", "en_GB"])
def test_every_english_tag_uses_the_english_rules(reference: str, language: str) -> None:
    (m,) = tag("The army clashed on Friday.", reference, language=language)
    assert (m.value, m.rule) == ("2021-07-16", "weekday")


def test_an_explicit_date_is_a_day(reference: str) -> None:
    (m,) = tagged(FRENCH, reference, "fr")
    assert (m.type, m.value, m.granularity) == ("DATE", "2021-07-14", "day")


def test_a_month_and_year_is_a_month(reference: str) -> None:
    (m,) = tagged("Les élections de mars 2020 ont été reportées.", reference, "fr")
    assert m.value == "2020-03"


@pytest.mark.parametrize("space", ["  ", "\t"])
def test_a_date_with_unusual_spacing_is_found(reference: str, space: str) -> None:
    text = f"La réunion a eu lieu le 14{space}juillet 2021."
    (m,) = tagged(text, reference, "fr")
    assert m.value[:10] == "2021-07-14"


def test_a_following_preposition_is_not_part_of_the_date(reference: str) -> None:
    (m,) = tagged("La réunion a eu lieu le 14 juillet 2021 à Paris.", reference, "fr")
    assert m.text.endswith("2021")
