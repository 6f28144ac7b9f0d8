"""The models of event anchoring: how likely a word names an event, and how likely it is an
event a time reference dates.

Two logistic models over named features:

* the event model (``eventness.tsv``): whether a word of a sentence names an event at all,
  from the word, its lemma, ending and parts of speech and the words beside it
  (:func:`timeline.events.anchoring.word_features`), learned from every word of TimeBank and
  AQUAINT, whose EVENT tags mark the words that name events;
* the link model (``links.tsv``): whether a word is an event a time reference dates, from
  the pair (:func:`timeline.events.anchoring.link_features`, the event model's probability
  among them), learned from their event-time links. ``THRESHOLD`` in its header is the
  probability above which a word that is not the time reference's main event is dated by
  it too ("The warrant issued Monday charged Kopp": "issued" and "charged").

Their weights are data, learned by ``python benchmarks/events.py --train``: the files hold
feature names and weights, no text of the corpus.

Training is here, beside scoring, so that what the benchmark learns and what the service
reads are one model: L2-regularised logistic regression, fitted by Adam over all pairs at
once (NumPy, which ``lemminflect`` already needs), with no randomness.
"""

from __future__ import annotations

import functools
import math
import operator
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from ..errors import RuleFileError
from ..tagger.rulefiles import read_table

LINKS_FILE = "links.tsv"
EVENTS_FILE = "eventness.tsv"
BIAS = "bias"


@dataclass(frozen=True, eq=False)
class Model:
    """Feature weights, and the probability above which a further word is linked too.

    Models are equal only to themselves, and hash by identity (the anchoring caches what a
    model says of a sentence's words)."""

    weights: Mapping[str, float]
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        """The model's probability that the example whose ``features`` these are is one (a
        link, or a word that names an event)."""
        return self.logistic(self.bias + self.linear(features))

    @property
    def bias(self) -> float:
        """The weight every example has."""
        return self.weights.get(BIAS, 0.0)

    def linear(self, features: Mapping[str, float]) -> float:
        """The weighted sum of ``features``, without the bias: the score of an example is
        the bias plus the sums of parts of its features that share none."""
        weight = self.weights.get
        total: float = sum(map(operator.mul, map(weight, features, repeat(0.0)), features.values()))
        return total

    @staticmethod
    def logistic(score: float) -> float:
        """The probability of a score (the bias and the weighted features summed)."""
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@functools.cache
def default_model() -> Model:
    """The link model, of ``links.tsv``."""
    return read_model(LINKS_FILE)


@functools.cache
def default_event_model() -> Model:
    """The event model, of ``eventness.tsv``."""
    return read_model(EVENTS_FILE)


def read_model(name: str) -> Model:
    """The model of the file ``name`` of this package."""
    header, rows = read_table(name, __package__ or "timeline.events", "")
    try:
        threshold = float(header.get("THRESHOLD", "0.5"))
        weights = {row["feature"]: float(row["weight"]) for row in rows}
    except (KeyError, ValueError) as exc:
        raise RuleFileError(f"{name}: expected feature<TAB>weight rows") from exc
    return Model(weights, threshold)


def train(
    examples: Sequence[tuple[Mapping[str, float], bool]],
    *,
    c: float = 0.3,
    min_count: int = 2,
    iterations: int = 600,
    rate: float = 0.05,
) -> dict[str, float]:
    """Fit the weights of a logistic model to ``examples`` (features, is one).

    ``c`` is the inverse strength of the L2 penalty, as in scikit-learn's
    ``LogisticRegression(C=...)`` (the bias is not penalised); a feature that is not zero in
    fewer than ``min_count`` examples gets no weight. Deterministic: the same examples give
    the same weights. No examples give a bias of 0 and no weights.
    """
    if not examples:
        return {BIAS: 0.0}
    seen = Counter(name for features, _ in examples for name, value in features.items() if value)
    names = sorted(name for name, n in seen.items() if n >= min_count and name != BIAS)
    index = {name: i for i, name in enumerate(names)}
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, (features, _) in enumerate(examples):
        for name, value in features.items():
            if name in index and value:
                rows.append(row)
                columns.append(index[name])
                values.append(value)
    row_of, column_of, value_of = np.array(rows), np.array(columns), np.array(values)
    labels = np.array([float(link) for _, link in examples])
    size, count = len(names), len(examples)
    weights, bias = np.zeros(size), 0.0
    moments = np.zeros(size + 1), np.zeros(size + 1)
    for step in range(1, iterations + 1):
        z = bias + np.bincount(row_of, weights=value_of * weights[column_of], minlength=count)
        error = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))) - labels
        gradient = np.empty(size + 1)
        gradient[:size] = np.bincount(column_of, weights=value_of * error[row_of], minlength=size)
        gradient[:size] += weights / c
        gradient[size] = error.sum()
        gradient /= count
        first, second = moments
        first *= 0.9
        first += 0.1 * gradient
        second *= 0.999
        second += 0.001 * gradient**2
        update = rate * (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
        weights -= update[:size]
        bias -= float(update[size])
    learned = {BIAS: bias}
    learned.update(
        (name, float(w)) for name, w in zip(names, weights, strict=True) if abs(w) >= 1e-4
    )
    return learned


def write_model(path: str, weights: Mapping[str, float], threshold: float, note: str) -> None:
    """Write ``weights`` and ``threshold`` as a model file; ``note`` says what the model is
    and how it was learned."""
    lines = [
        *(f"# {line}" for line in note.splitlines()),
        f"# THRESHOLD: {threshold}",
        "# FORMAT: feature<TAB>weight",
    ]
    lines += [f"{name}\t{weights[name]:.6g}" for name in sorted(weights)]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
