"""What extraction remembers between calls must not leak from one mention into another."""

from __future__ import annotations

from dataclasses import replace

from timeline.tagger.compiler import load_rules
from timeline.tagger.engine import fill
from timeline.tagger.lexicon import load_lexicon
from timeline.tagger.model import Partial


def test_fill_gives_each_call_a_dict_of_its_own() -> None:
    lexicon = load_lexicon()
    text = "on Friday"
    found = [
        (rule, match)
        for rule in load_rules()
        if (match := rule.regex.search(text)) is not None and rule.group_classes
    ]
    assert found, "some rule with groups reads a weekday"
    rule, match = found[0]
    first = fill(rule, match, lexicon)
    assert first is not None
    first["type"] = "changed by a caller"
    second = fill(rule, match, lexicon)
    assert second is not None and second["type"] != "changed by a caller"
    assert second == fill(rule, match, lexicon)


def test_partial_reads_the_fields_it_holds_after_replace() -> None:
    partial = Partial(0, 6, "Friday", "weekday", {"type": "DATE", "dow": "5"})
    assert partial.get("dow") == "5" and partial.get("m") is None
    assert partial.get("m", "07") == "07"
    moved = replace(partial, fields={**partial.fields, "dow": "1"})
    assert moved.get("dow") == "1" and partial.get("dow") == "5"
    assert moved != partial and replace(moved, fields=dict(partial.fields)) == partial
