"""The statement-filter eval runs and meets its thresholds: on the hand-labelled pages (the
data the rules were designed on: exact) and on a small generated collection's labels."""

from __future__ import annotations

import pytest

from evals import statement_precision as sp
from evals.labelled_pages import KINDS, load_labelled_pages


def test_hand_labelled_pages_are_judged_exactly() -> None:
    pages = load_labelled_pages(sp.FIXTURE)
    assert {label.kind for label in pages.labels} == set(KINDS)  # every kind is represented
    result = sp.measure(pages.documents, pages.labels)
    assert (result.precision, result.recall) == (1.0, 1.0), sp.render("fixture", result)


def test_generated_pages_meet_the_thresholds() -> None:
    pytest.importorskip("evals.scraped")
    documents, labels = sp.generated(docs=300, seed=7)
    result = sp.measure(documents, labels)
    assert len(result.verdicts) > 1000
    assert result.precision >= 0.98 and result.recall >= 0.95, sp.render("generated", result)


def test_the_report_names_each_kind_and_the_errors(capsys: pytest.CaptureFixture[str]) -> None:
    sp.main([])
    out = capsys.readouterr().out
    assert "| caption | 6 | 6 (100%) | caption 6 |" in out
    assert "precision 1.000, recall 1.000" in out
