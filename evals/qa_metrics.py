"""Metrics for external question sets: retrieval ranks, SQuAD-style answer scores, intervals.

Answer scores follow the SQuAD v1.1 evaluation script: lowercase, drop punctuation and the
articles a/an/the, collapse whitespace; exact match and token F1 take the best over the gold
answers. Intervals are 95%: Wilson for proportions, a seeded percentile bootstrap for means,
so the same run always reports the same interval.
"""

from __future__ import annotations

import math
import random
import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evals.metrics import percentile

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation + "‘’“”–—")
Z_95 = 1.959963984540054
BOOTSTRAP_SEED = 20261126
BOOTSTRAP_SAMPLES = 1000


def squad_normalise(text: str) -> str:
    text = text.lower().translate(_PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, answers: Sequence[str]) -> float:
    norm = squad_normalise(prediction)
    return float(any(norm == squad_normalise(a) for a in answers))


def contains(prediction: str, answers: Sequence[str]) -> float:
    """1.0 when a gold answer appears in the prediction as whole tokens (after normalising)."""
    padded = f" {squad_normalise(prediction)} "
    return float(any(f" {squad_normalise(a)} " in padded for a in answers if squad_normalise(a)))


def token_f1(prediction: str, answers: Sequence[str]) -> float:
    return max((_f1(prediction, a) for a in answers), default=0.0)


def _f1(prediction: str, answer: str) -> float:
    pred, gold = squad_normalise(prediction).split(), squad_normalise(answer).split()
    if not pred or not gold:
        return float(pred == gold)
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def first_gold_rank(ranked_doc_ids: Sequence[str], gold: Sequence[str]) -> int | None:
    """1-based rank of the first passage from a gold document (None: no gold doc retrieved)."""
    wanted = set(gold)
    for rank, doc_id in enumerate(ranked_doc_ids, start=1):
        if doc_id in wanted:
            return rank
    return None


def hit_at(rank: int | None, k: int) -> float:
    return float(rank is not None and rank <= k)


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    return 1.0 / rank if rank is not None and rank <= k else 0.0


@dataclass(frozen=True)
class Estimate:
    """A point value with its 95% interval and the number of items behind it."""

    value: float
    low: float
    high: float
    n: int


def wilson(successes: int, n: int) -> Estimate:
    """Wilson score interval for a proportion; (0, 0, 1) when there is nothing to count."""
    if n == 0:
        return Estimate(0.0, 0.0, 1.0, 0)
    p = successes / n
    denom = 1 + Z_95**2 / n
    centre = (p + Z_95**2 / (2 * n)) / denom
    half = Z_95 * math.sqrt(p * (1 - p) / n + Z_95**2 / (4 * n * n)) / denom
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def bootstrap(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float] | None = None,
    samples: int = BOOTSTRAP_SAMPLES,
) -> Estimate:
    """`statistic` (default: the mean) with a percentile-bootstrap interval; the seed is fixed,
    so the same values always give the same interval."""
    stat = statistic or _mean
    n = len(values)
    if n == 0:
        return Estimate(0.0, 0.0, 0.0, 0)
    rng = random.Random(BOOTSTRAP_SEED)
    resampled = sorted(stat(rng.choices(values, k=n)) for _ in range(samples))
    return Estimate(stat(values), percentile(resampled, 2.5), percentile(resampled, 97.5), n)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def proportion(flags: Sequence[float]) -> Estimate:
    """A 0/1 metric averaged over items, with its Wilson interval."""
    return wilson(round(sum(flags)), len(flags))
