"""The sentence around a mention and the tense its words point to."""

from __future__ import annotations

from timeline.tagger.context import sentence_bounds, tense_near


def test_a_mention_that_opens_a_sentence_is_not_in_the_one_before() -> None:
    text = "The army withdrew. Earlier that day, the envoys met."
    start = text.index("Earlier")
    left, right = sentence_bounds(text, start, start + len("Earlier that day"))
    assert text[left:right] == "Earlier that day, the envoys met."


def test_a_mention_that_ends_a_sentence_is_not_in_the_one_after() -> None:
    text = "The envoys met on Friday. They will meet again."
    start = text.index("Friday")
    left, right = sentence_bounds(text, start, start + len("Friday"))
    assert text[left:right] == "The envoys met on Friday."


def test_the_sentence_before_lends_no_tense_cue() -> None:
    text = "The army will withdraw. Friday the envoys met."
    start = text.index("Friday")
    assert tense_near(text, start, start + len("Friday")) == "past"
