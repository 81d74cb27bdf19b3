"""External reports: JSON round trip, Markdown, and deltas against a previous report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.external import ItemResult, summarise
from evals.external_report import (
    ExternalRun,
    deltas,
    deltas_markdown,
    load_report,
    to_json,
    to_markdown,
)
from evals.jsonl import QAItem
from evals.qa_metrics import Estimate


def item(rank: int | None, *, answerable: bool = True, abstained: bool = False) -> ItemResult:
    return ItemResult(
        id=f"q{rank}", question="?", answerable=answerable, abstained=abstained, answer="a",
        gold_rank=rank, contains=1.0, exact_match=0.0, f1=0.5, citations=2,
        citations_supported=1, claims=1, claims_supported=1, numeric_claims=1,
        numeric_claims_grounded=1, latency_ms=10.0 * (rank or 1),
    )  # fmt: skip


def qa(gold: bool) -> QAItem:
    return QAItem("q", "?", ("a",) if gold else (), ("d",) if gold else (), gold)


def test_summary_by_hand() -> None:
    results = [item(1), item(3), item(None, answerable=False, abstained=True)]
    metrics = summarise(results, [qa(True), qa(True), qa(False)])
    assert metrics["hits_at_1"].value == 0.5
    assert metrics["hits_at_4"].value == 1.0
    assert metrics["mrr_at_10"].value == pytest.approx((1 + 1 / 3) / 2)
    assert metrics["abstention_precision"].value == 1.0
    assert metrics["abstention_recall"].value == 1.0
    assert metrics["citation_precision"] == Estimate(0.5, *_wilson(3, 6), 6)
    assert metrics["latency_p50_ms"].value == 10.0


def _wilson(successes: int, n: int) -> tuple[float, float]:
    from evals.qa_metrics import wilson

    e = wilson(successes, n)
    return e.low, e.high


def run_with(metrics: dict[str, Estimate]) -> ExternalRun:
    return ExternalRun("c.jsonl", "q.jsonl", 3, "hashing", None, (item(1),), metrics)


def test_compare_reads_a_previous_report_and_signs_the_deltas(tmp_path: Path) -> None:
    before = run_with(
        {"mrr_at_10": Estimate(0.5, 0, 1, 4), "latency_p50_ms": Estimate(10, 0, 0, 4)}
    )
    path = tmp_path / "before.json"
    path.write_text(json.dumps(to_json(before)), encoding="utf-8")
    after = {"mrr_at_10": Estimate(0.75, 0, 1, 4), "latency_p50_ms": Estimate(12, 0, 0, 4),
             "hits_at_1": Estimate(1, 0, 1, 4)}  # fmt: skip
    found = deltas(load_report(path), after)
    assert [(d.metric, d.change, d.better) for d in found] == [
        ("mrr_at_10", 0.25, True),
        ("latency_p50_ms", 2.0, False),
    ]
    table = deltas_markdown(found)
    assert "| mrr_at_10 | 0.500 | 0.750 | +0.250 | better |" in table
    assert "| latency_p50_ms | 10 | 12 | +2 | worse |" in table
    assert "Compared with the previous report" in to_markdown(run_with(after), found)


def test_compare_rejects_other_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"dataset": "seed"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a `briefing eval --corpus` JSON report"):
        load_report(path)
