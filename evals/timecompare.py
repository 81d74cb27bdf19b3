"""Time-aware vs date-blind: the same dataset scored both ways (MRR@10 and answer accuracy).

MRR@10: for each answerable case, 1 / rank of the expected document among the documents of the
top-10 passages (0 when absent), averaged. Accuracy: share of cases that pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.assistant import Assistant
from assistant.types import Answer
from evals.dataset import Dataset
from evals.runner import run_eval


@dataclass(frozen=True)
class ModeScore:
    mrr_at_10: float
    accuracy: float
    cases_passed: int
    cases: int


def _mrr(assistant: Assistant, dataset: Dataset, time_aware: bool) -> float:
    reciprocal = []
    for case in dataset.answerable:
        if case.doc is None:
            continue
        passages = assistant.search(case.question, as_of=case.as_of, time_aware=time_aware)
        docs = list(dict.fromkeys(p.doc_id for p in passages))
        reciprocal.append(1 / (docs.index(case.doc) + 1) if case.doc in docs else 0.0)
    return sum(reciprocal) / len(reciprocal) if reciprocal else 0.0


def _score(assistant: Assistant, dataset: Dataset, time_aware: bool) -> ModeScore:
    def ask(question: str, /, **kwargs: Any) -> Answer:
        return assistant.ask(question, time_aware=time_aware, **kwargs)

    report = run_eval(ask, dataset)
    passed, total = report.summary.cases_passed, report.summary.cases_total
    return ModeScore(_mrr(assistant, dataset, time_aware), passed / total, passed, total)


def compare(assistant: Assistant, dataset: Dataset) -> dict[str, ModeScore]:
    return {
        "time_aware": _score(assistant, dataset, True),
        "date_blind": _score(assistant, dataset, False),
    }


def comparison_markdown(scores: dict[str, ModeScore]) -> str:
    lines = [
        "",
        "## Time-aware vs date-blind",
        "",
        "| Mode | MRR@10 | Accuracy | Cases passed |",
        "| --- | ---: | ---: | ---: |",
    ]
    for mode, s in scores.items():
        lines.append(
            f"| {mode} | {s.mrr_at_10:.3f} | {s.accuracy:.0%} | {s.cases_passed}/{s.cases} |"
        )
    return "\n".join(lines) + "\n"
