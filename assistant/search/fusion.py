"""Combining rankings: reciprocal rank fusion, and MMR to skip near-duplicate passages."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

_K = TypeVar("_K", bound=Hashable)
_T = TypeVar("_T")


def reciprocal_rank_fusion(rankings: Sequence[Sequence[_K]], k: int = 60) -> list[tuple[_K, float]]:
    """Items by Σ 1/(k + rank) over the rankings they appear in (rank 1 = best), best first.

    Cormack et al. (2009): rank-based, so scores on different scales (cosine, BM25) need no
    calibration. Ties keep the order of first appearance (earlier rankings first).
    """
    scores: dict[_K, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(dict.fromkeys(ranking), start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def mmr(
    items: Sequence[_T],
    relevance: Sequence[float],
    terms: Callable[[_T], frozenset[str]],
    k: int,
    lambda_: float,
) -> list[_T]:
    """Maximal marginal relevance (Carbonell & Goldstein 1998) over term-set similarity.

    Picks `k` items, each maximising λ·relevance − (1−λ)·max similarity to those already
    picked; relevance is min-max normalised first. Near-duplicate passages (the same wire
    story in two outlets) share most terms, so Jaccard similarity finds them without vectors.
    """
    if not items:
        return []
    low, high = min(relevance), max(relevance)
    norm = [(r - low) / (high - low) if high > low else 1.0 for r in relevance]
    sets = [terms(item) for item in items]
    chosen: list[int] = []
    left = list(range(len(items)))
    while left and len(chosen) < k:

        def gain(i: int) -> float:
            overlap = max((jaccard(sets[i], sets[j]) for j in chosen), default=0.0)
            return lambda_ * norm[i] - (1.0 - lambda_) * overlap

        best = max(left, key=lambda i: (gain(i), -i))
        chosen.append(best)
        left.remove(best)
    return [items[i] for i in chosen]
