"""The end-to-end trap eval runs: over a small generated collection, no answer quotes the
non-statement line that best matches its question, which the unfiltered answerer does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_settings


def test_filtered_answers_never_quote_a_trap(tmp_path: Path) -> None:
    pytest.importorskip("evals.scraped")
    from evals.statement_traps import run

    results = run(make_settings(tmp_path), docs=60, questions=60, seed=11)
    filtered, unfiltered = results["filtered"], results["unfiltered"]
    assert filtered.asked >= 10
    assert filtered.quoted_trap == 0
    assert unfiltered.quoted_trap > 0  # the traps are real
    assert filtered.answered >= unfiltered.answered
