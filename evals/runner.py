"""Run every case of a dataset through an `ask` callable and score the answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.types import Answer
from evals.dataset import Dataset, Thresholds
from evals.metrics import CaseResult, Summary, score_case, summarise

#: Any question → Answer callable; `as_of=` is passed only for cases that set it.
Ask = Callable[..., Answer]


@dataclass(frozen=True)
class EvalReport:
    dataset: str
    results: tuple[CaseResult, ...]
    summary: Summary
    thresholds: Thresholds
    failures: tuple[str, ...]  # thresholds not met; empty when the run passes
    by_tag: tuple[tuple[str, int, int], ...] = ()  # (tag, cases passed, cases) per question type

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
        answer = ask(case.question, as_of=case.as_of) if case.as_of else ask(case.question)
        latency_ms = (time.perf_counter() - started) * 1000
        result = score_case(case, answer, latency_ms)
        results.append(result)
        if on_case is not None:
            on_case(result)
    summary = summarise(results)
    tags = sorted({t for c in dataset.cases for t in c.tags})
    by_tag = tuple(
        (
            tag,
            sum(r.passed for r, c in zip(results, dataset.cases, strict=True) if tag in c.tags),
            sum(tag in c.tags for c in dataset.cases),
        )
        for tag in tags
    )
    return EvalReport(
        dataset=dataset.name,
        results=tuple(results),
        summary=summary,
        thresholds=dataset.thresholds,
        failures=tuple(summary.meets(dataset.thresholds)),
        by_tag=by_tag,
    )
