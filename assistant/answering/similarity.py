"""Cosine similarity between embedding vectors, one place for every answering module."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def cosines(query: Sequence[float], vectors: Sequence[Sequence[float]]) -> list[float]:
    """Cosine of `query` with each of `vectors` (0.0 where either has no length)."""
    if not vectors:
        return []
    matrix = np.asarray(vectors, dtype=np.float64)
    target = np.asarray(query, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(target)
    dots = matrix @ target
    return [float(d / n) if n else 0.0 for d, n in zip(dots, norms, strict=True)]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return cosines(a, [b])[0]
