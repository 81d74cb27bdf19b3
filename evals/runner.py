"""Run every case of a dataset through an `ask` callable and score the answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.types import Answer
from evals.dataset import Dataset, Thresholds
from evals.metrics import CaseResult, Summary, score_case, summarise

Ask = Callable[[str], Answer]


@dataclass(frozen=True)
class EvalReport:
    dataset: str
    results: tuple[CaseResult, ...]
    summary: Summary
    thresholds: Thresholds
    failures: tuple[str, ...]  # thresholds not met; empty when the run passes

    @property
    def passed(self) -> bool:
        return not self.failures


def run_eval(
    ask: Ask,
    dataset: Dataset,
    on_case: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    """Ask each question in order, timing the call; `on_case` sees each result as it lands.

    Exceptions raised by `ask` propagate: a broken assistant should fail the run loudly.
    """
    results: list[CaseResult] = []
    for case in dataset.cases:
        started = time.perf_counter()
        answer = ask(case.question)
        latency_ms = (time.perf_counter() - started) * 1000
        result = score_case(case, answer, latency_ms)
        results.append(result)
        if on_case is not None:
            on_case(result)
    summary = summarise(results)
    return EvalReport(
        dataset=dataset.name,
        results=tuple(results),
        summary=summary,
        thresholds=dataset.thresholds,
        failures=tuple(summary.meets(dataset.thresholds)),
    )
