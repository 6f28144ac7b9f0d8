"""The link model: scoring, the shipped weights, and training."""

from __future__ import annotations

import math

from timeline.events.linking import BIAS, Model, default_event_model, default_model, train


def test_the_probability_is_the_logistic_of_the_weighted_sum() -> None:
    model = Model({BIAS: -1.0, "a": 2.0, "b": -0.5}, threshold=0.5)
    assert math.isclose(model.probability({"a": 1.0, "b": 2.0}), 1 / (1 + math.exp(0.0)))
    assert math.isclose(model.probability({"unknown": 1.0}), 1 / (1 + math.exp(1.0)))
    assert 0.0 < model.probability({"a": 1e6}) <= 1.0  # no overflow


def test_the_shipped_model_has_weights_and_a_threshold() -> None:
    model = default_model()
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 100
    assert all(math.isfinite(w) for w in model.weights.values())


def test_training_learns_which_feature_makes_a_link() -> None:
    examples = [({"near": 1.0, f"word={i % 7}": 1.0}, True) for i in range(40)]
    examples += [({"far": 1.0, f"word={i % 7}": 1.0}, False) for i in range(60)]
    model = Model(train(examples, c=1.0, min_count=1), threshold=0.5)
    assert model.probability({"near": 1.0, "word=3": 1.0}) > 0.8
    assert model.probability({"far": 1.0, "word=3": 1.0}) < 0.2


def test_training_is_deterministic_and_drops_rare_features() -> None:
    examples = [
        ({"common": float(i % 4 == 0), "rare": float(i == 0)}, i % 2 == 0) for i in range(30)
    ]
    first = train(examples, min_count=2)
    assert first == train(examples, min_count=2)
    assert "rare" not in first
    assert "common" in first and BIAS in first


def test_the_penalty_shrinks_the_weights() -> None:
    examples = [({"x": 1.0}, True)] * 20 + [({"y": 1.0}, False)] * 20
    loose, tight = train(examples, c=10.0), train(examples, c=0.01)
    assert abs(tight["x"]) < abs(loose["x"])


def test_the_shipped_event_model_tells_events_from_things() -> None:
    from timeline.events.anchoring import word_features
    from timeline.events.words import WORD

    text = "The army clashed with the fighters and the talks collapsed."
    every = list(WORD.finditer(text))
    model = default_event_model()
    probability = {
        t.group(): model.probability(word_features(every, i)) for i, t in enumerate(every)
    }
    assert probability["clashed"] > 0.5 > probability["army"]
    assert probability["collapsed"] > 0.5 > probability["fighters"]
    assert probability["talks"] > probability["army"]


def test_word_features_see_the_word_and_its_neighbours() -> None:
    from timeline.events.anchoring import word_features
    from timeline.events.words import WORD

    every = list(WORD.finditer("They met on Friday"))
    features = word_features(every, 1)
    assert {"word=met", "lemma=meet", "previous=they", "next=on"} <= set(features)
    assert "previous=<s>" in word_features(every, 0)
    assert "next=</s>" in word_features(every, 3)


def test_no_examples_learn_nothing() -> None:
    assert train([]) == {BIAS: 0.0}
    assert Model(train([]), threshold=0.5).probability({"any": 1.0}) == 0.5
