"""Choosing the abstention threshold on calibration data (never on a set it is measured on)."""

from __future__ import annotations

from collections.abc import Sequence


def best_threshold(
    answerable: Sequence[float], unanswerable: Sequence[float]
) -> tuple[float, float]:
    """The threshold with the best balanced accuracy, and that accuracy.

    Balanced (the mean of the two recalls), so a calibration set with more answerable questions
    than unanswerable ones does not push the threshold toward never abstaining.
    """
    if not answerable or not unanswerable:
        return 0.5, float("nan")
    candidates = sorted({*answerable, *unanswerable})
    best, best_accuracy = 0.5, -1.0
    for threshold in candidates:
        kept = sum(s >= threshold for s in answerable) / len(answerable)
        refused = sum(s < threshold for s in unanswerable) / len(unanswerable)
        accuracy = (kept + refused) / 2
        if accuracy > best_accuracy:
            best, best_accuracy = threshold, accuracy
    return float(best), float(best_accuracy)
