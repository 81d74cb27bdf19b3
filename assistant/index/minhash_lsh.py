"""MinHash LSH by banding: which documents may be near-copies, without comparing every pair.

The same index datasketch's `MinHashLSH` builds (bands of `rows` signature values; documents
sharing any whole band are candidates; the same band count and width, chosen the same way),
written here because importing datasketch's LSH imports SciPy's integrator, about a quarter
of a second of every cold `briefing ask`. The integrals are of polynomials of degree
`bands × rows ≤ num_perm`, so Gauss–Legendre quadrature computes them exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt


@lru_cache(maxsize=32)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives below `threshold` plus false negatives above it
    (equal weights), as datasketch chooses them."""
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 2)
    shapes = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands, rows = (np.array(column, dtype=float)[:, None] for column in zip(*shapes, strict=True))

    def integral(low: float, high: float, above: bool) -> npt.NDArray[np.float64]:
        s = (high - low) / 2 * nodes + (high + low) / 2
        hit = 1 - (1 - s**rows) ** bands  # P(a pair of similarity s shares a band)
        result: npt.NDArray[np.float64] = (high - low) / 2 * ((1 - hit) if above else hit) @ weights
        return result

    error = integral(0.0, threshold, False) + integral(threshold, 1.0, True)
    return shapes[int(np.argmin(error))]  # the first of equals, as datasketch's loop keeps


def candidate_pairs(
    signatures: Iterable[tuple[str, npt.NDArray[np.uint32]]], threshold: float, num_perm: int
) -> set[tuple[str, str]]:
    """Pairs (a < b) of ids whose signatures share at least one band."""
    bands, rows = band_shape(threshold, num_perm)
    buckets: list[dict[bytes, list[str]]] = [defaultdict(list) for _ in range(bands)]
    for doc_id, signature in signatures:
        for band, bucket in enumerate(buckets):
            bucket[signature[band * rows : (band + 1) * rows].tobytes()].append(doc_id)
    pairs: set[tuple[str, str]] = set()
    for bucket in buckets:
        for ids in bucket.values():
            pairs.update(_ordered_pairs(ids))
    return pairs


def _ordered_pairs(ids: Sequence[str]) -> Iterable[tuple[str, str]]:
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if a != b:
                yield (a, b) if a < b else (b, a)
