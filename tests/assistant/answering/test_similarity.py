"""One cosine for every answering module."""

from __future__ import annotations

import pytest

from assistant.answering.similarity import cosine, cosines


def test_cosines_against_many_and_zero_length() -> None:
    assert cosines([1.0, 0.0], [[2.0, 0.0], [0.0, 3.0], [0.0, 0.0]]) == [1.0, 0.0, 0.0]
    assert cosine([1.0, 1.0], [1.0, 0.0]) == pytest.approx(0.7071, abs=1e-4)
    assert cosines([1.0], []) == []
