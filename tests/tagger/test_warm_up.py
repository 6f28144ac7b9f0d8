"""``warm_up`` compiles what the first texts would otherwise compile, and changes no result."""

from __future__ import annotations

from timeline.tagger import tag, warm_up
from timeline.tagger.compiler import load_rules
from timeline.tagger.lexicon import load_lexicon


def test_warm_up_compiles_every_rule_and_word_class() -> None:
    warm_up()
    assert all("regex" in vars(rule) for rule in load_rules())
    lexicon = load_lexicon()
    entries = [entry for entries in lexicon.classes.values() for entry in entries]
    assert all(entry in lexicon._regexes for entry in entries)


def test_warm_up_changes_nothing_that_tag_finds() -> None:
    text = "The talks resumed on Friday, two days after the March 3 vote, and end next week."
    before = tag(text, "2021-07-17")
    warm_up()
    assert tag(text, "2021-07-17") == before
    assert before
