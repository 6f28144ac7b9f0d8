"""Event anchoring: the clause and the trigger word each time reference dates."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from lemminflect import getAllLemmas

from timeline import tag
from timeline.events import words
from timeline.events.anchoring import (
    COMMA,
    CONJUNCTION,
    QUOTE,
    RELATIVE,
    STRONG_SEPARATOR,
    _gaps,
    _pairs,
    _Sentence,
    _Word,
    _word_part,
    anchor_events,
    link_features,
)
from timeline.events.linking import Model, default_event_model
from timeline.events.words import WORD, Span, clause_of, word_classes
from timeline.tagger.context import sentence_bounds
from timeline.tagger.model import Mention

PUBLISHED = "2021-07-17"

CASES = [
    # (text, the time reference, the trigger it dates)
    (
        "The Afghan army clashed with Taliban fighters in Spin Boldak on Friday.",
        "Friday",
        "clashed",
    ),
    ("On Friday, the envoys met in Doha.", "Friday", "met"),
    ("In composite trading Friday, the shares closed at $16.25.", "Friday", "closed"),
    ("The talks, which began in March, will resume on Monday.", "Monday", "resume"),
    ("The talks, which began in March, will resume on Monday.", "March", "began"),
    ("Nobody forgot the attacks of September 11, 2001.", "September 11, 2001", "attacks"),
    ("The company reported a third-quarter loss.", "third-quarter", "loss"),
    ("Profit fell in the third quarter, reflecting weak sales.", "the third quarter", "fell"),
    ("The rights, which expire Nov. 21, can be exercised for $100 each.", "Nov. 21", "expire"),
    ("The debentures are due March 1, 2011.", "March 1, 2011", "due"),
    (
        "The minister condemned the decision on Thursday and called for calm.",
        "Thursday",
        "condemned",
    ),
    ("The armed group now controls more than half the country.", "now", "controls"),
    ("For a long time, the border has been a hot spot.", "a long time", "been"),
    ("Talks will resume on Monday, a spokesman said.", "Monday", "resume"),
    # the event's verb, not a noun beside it
    (
        "The Afghan army clashed with Taliban fighters near the crossing on Friday.",
        "Friday",
        "clashed",
    ),
    # "return" of "in return for" is no event
    ("The rebels freed two hostages in return for food on Monday.", "Monday", "freed"),
    ("In return for the loan, the bank took a stake in the firm on Monday.", "Monday", "took"),
]


@pytest.mark.parametrize(("text", "reference", "trigger"), CASES)
def test_the_trigger_is_the_event_of_the_references_clause(
    text: str, reference: str, trigger: str
) -> None:
    anchors = {a.mention.text: a for a in anchor_events(text, tag(text, PUBLISHED))}
    assert reference in anchors, f"the tagger did not find {reference!r}: {sorted(anchors)}"
    found = anchors[reference].trigger
    assert found is not None and found.text == trigger
    assert text[found.start : found.end] == found.text


def test_a_clause_with_another_dated_clause_is_cut_at_its_boundary() -> None:
    text = "The envoys met on Friday, while the army retreated on Saturday."
    anchors = {a.mention.text: a for a in anchor_events(text, tag(text, PUBLISHED))}
    assert anchors["Friday"].clause.text == "The envoys met on Friday"
    assert anchors["Saturday"].clause.text == "while the army retreated on Saturday."
    assert anchors["Friday"].headline == "The envoys met on Friday"


def test_a_long_clause_makes_a_short_headline() -> None:
    text = (
        "The Afghan government and the Taliban negotiators, meeting again in the Qatari "
        "capital after months of delays and quarrels over the agenda, agreed on Friday to meet "
        "again."
    )
    (anchor,) = [a for a in anchor_events(text, tag(text, PUBLISHED)) if a.mention.text == "Friday"]
    assert anchor.headline.endswith("…")
    assert len(anchor.headline.split()) <= 15


def test_a_sentence_without_an_event_word_has_no_trigger() -> None:
    text = "Friday."
    (anchor,) = anchor_events(text, tag(text, PUBLISHED))
    assert anchor.trigger is None


def test_the_seed_article_dates_its_events(repo_root: Path) -> None:
    article = json.loads((repo_root / "seeds" / "doha-talks-2021-07-17.json").read_text("utf-8"))
    text = article["text"]
    triggers = {
        a.mention.text: a.trigger.text if a.trigger else None
        for a in anchor_events(text, tag(text, article["published_at"]))
    }
    assert triggers["September 11, 2001"] == "attacks"
    assert triggers["nearly 20 years"] == "stationed"
    assert triggers["several months"] == "met"
    assert triggers["recent weeks"] == "occupied"


def test_the_other_events_are_the_words_above_the_threshold_in_text_order() -> None:
    text = "The rebels attacked the convoy, seized two trucks and fled on Friday."
    mentions = tag(text, PUBLISHED)
    (everything,) = anchor_events(text, mentions, Model({}, threshold=0.0))
    (nothing,) = anchor_events(text, mentions, Model({}, threshold=1.0))
    assert nothing.also == ()
    assert everything.trigger is not None
    words = {
        w.span for w, _ in link_features(text, mentions[0], [(m.start, m.end) for m in mentions])
    }
    assert set(everything.also) == words - {everything.trigger}
    assert [s.start for s in everything.also] == sorted(s.start for s in everything.also)
    assert "Friday" not in {s.text for s in words}  # the time reference's own words never


def test_a_weight_moves_the_trigger() -> None:
    text = "The rebels attacked the convoy and fled on Friday."
    mentions = tag(text, PUBLISHED)
    for lemma, word in (("flee", "fled"), ("attack", "attacked")):
        (anchor,) = anchor_events(text, mentions, Model({f"lemma={lemma}": 5.0}, threshold=1.0))
        assert anchor.trigger is not None and anchor.trigger.text == word


@pytest.mark.parametrize(
    "text",
    [
        "The rebels freed two hostages in return for food on Monday.",
        "On Friday the army withdrew in return for a ceasefire.",
        "The company paid $5 million in return for the land last year.",
    ],
)
def test_the_words_of_a_fixed_phrase_are_never_events(text: str) -> None:
    mentions = tag(text, PUBLISHED)
    # at a threshold of 0 every candidate of the sentence is dated: none is "return"
    for anchor in anchor_events(text, mentions, Model({}, threshold=0.0)):
        dated = [anchor.trigger, *anchor.also]
        assert anchor.trigger is not None
        assert "return" not in {s.text.lower() for s in dated if s is not None}
    assert [m.text for m in mentions]


def test_every_word_class_is_there() -> None:
    classes = word_classes()
    for name in (
        "auxiliary",
        "never",
        "determiner",
        "noun_event",
        "not_event",
        "verb_context",
        "meaning",
        "joiner",
        "relative",
        "coordinator",
        "fixed",
        "dangling",
    ):
        assert classes[name], name
    assert classes["relative"] | classes["coordinator"] <= classes["joiner"]
    assert not classes["joiner"] & classes["meaning"]
    assert all("_" in phrase for phrase in classes["fixed"])  # words of several


def test_the_lexicon_is_asked_once_for_each_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anchoring asks the lemmas of the same words again and again: lemminflect answers once
    per word (its answer costs a copy each time)."""
    asked: list[str] = []
    real = getAllLemmas

    def counted(word: str) -> Any:
        asked.append(word)
        return real(word)

    monkeypatch.setattr(words, "getAllLemmas", counted)
    words.lemmas.cache_clear()
    try:
        first = words.lemmas("zigzagged")
        assert words.lemmas("zigzagged") == first
    finally:
        words.lemmas.cache_clear()
    assert asked == ["zigzagged"]


@pytest.mark.parametrize(
    ("text", "words", "trigger"),
    [
        (
            "The following week, Lombardia face Bayern Munich in the first leg of their tie,"
            " a match they lost 4-0 the last time the sides met, in 2019.",
            "The following week",
            "face",
        ),
    ],
)
def test_a_word_that_may_be_a_verb_after_a_name_is_its_verb(
    text: str, words: str, trigger: str
) -> None:
    """ "Lombardia face Bayern": a noun or a verb after a name and before another is the
    name's verb."""
    anchors = anchor_events(text, tag(text, PUBLISHED))
    anchor = next(a for a in anchors if a.mention.text == words)
    assert anchor.trigger is not None
    assert anchor.trigger.text == trigger


def test_the_words_counted_and_the_last_word_before_a_place_are_those_the_regex_finds() -> None:
    pick = random.Random(11)
    pieces = ["word", "Word", "don't", "it’s", "5,000", "1.5", "1990s", "a_b", "-", "'", " ", ". "]  # noqa: RUF001
    for _ in range(300):
        text = "".join(pick.choice(pieces) + pick.choice(["", " ", ", "]) for _ in range(12))
        left = pick.randint(0, len(text))
        right = pick.randint(left, len(text))
        sentence = _Sentence(text, left, right, default_event_model())
        for _ in range(20):
            low = pick.randint(0, len(text))
            high = pick.randint(0, len(text))
            assert sentence.count(low, high) == len(WORD.findall(text, low, high)), (
                text,
                left,
                right,
                low,
                high,
            )
            before = WORD.findall(text, left, high)
            assert sentence.last_before(high) == (before[-1].lower() if before else ""), (
                text,
                left,
                right,
                high,
            )


def test_a_pairs_score_in_parts_is_the_models_probability_of_all_its_features(
    repo_root: Path,
) -> None:
    article = json.loads((repo_root / "seeds" / "doha-talks-2021-07-17.json").read_text("utf-8"))
    texts = [article["text"], *(text for text, _, _ in CASES)]
    pairs = []
    for text in texts:
        mentions = tag(text, PUBLISHED)
        taken = [(m.start, m.end) for m in mentions]
        for m in mentions:
            left, right = sentence_bounds(text, m.start, m.end)
            clause = clause_of(text, left, right, m)
            pairs += _pairs(text, m, taken, None, left, right, clause)
    assert len(pairs) > 100
    names = sorted({name for p in pairs for name in p.features()})
    pick = random.Random(5)
    for _ in range(5):
        model = Model({name: pick.gauss(0, 1) for name in names if pick.random() < 0.7}, 0.5)
        for pair in pairs:
            features = pair.features()
            # the parts share no feature: none is counted twice
            word = _word_part(pair.token, pair.word.kind, pair.side)
            assert len(features) == len(pair.own) + len(word) + len(pair.mention)
            assert pair.probability(model) == pytest.approx(model.probability(features), 1e-9)


def test_the_marks_found_in_a_gap_are_those_the_regexes_find_in_its_text() -> None:
    pick = random.Random(3)
    pieces = [",", '"', "“", "”", "''", "``", "'", "`", ";", ":", "--", " _ ", "-", "_", "5"]
    pieces += [" ", " ", "a", "and", "Or", "but", "that", "who", "to", "TO", "é", "1,000"]
    after = words.patterns()["after"]
    for _ in range(3000):
        text = "".join(pick.choice(pieces) for _ in range(pick.randint(1, 30)))
        left = pick.randint(0, len(text))
        right = pick.randint(left, len(text))
        sentence = _Sentence(text, left, right, default_event_model())
        start = pick.randint(left, right)
        end = pick.randint(start, right)
        mention = Mention(start, end, text[start:end], "DATE", "2021", None, None, "", 1.0)
        candidates = [
            _Word(Span(w.start(), w.end(), w.group()), "verb", i)
            for i, w in enumerate(sentence.every)
            if w.end() <= start or w.start() >= end
        ]
        for w, gap in zip(candidates, _gaps(sentence, mention, candidates).values(), strict=True):
            low, high = (w.span.end, start) if w.span.end <= start else (end, w.span.start)
            between = text[low:high]
            found = [COMMA, QUOTE, STRONG_SEPARATOR, CONJUNCTION, RELATIVE, after]
            assert gap.words == len(WORD.findall(between)), (text, low, high)
            assert gap[1:] == tuple(p.search(between) is not None for p in found), (text, low, high)
