"""Offline evaluation of the assistant against hand-written question/fact datasets.

dataset (YAML → EvalCase) → runner (ask each question, time it) → metrics (score) → report.
"""

from evals.dataset import DEFAULT_DATASET, Dataset, EvalCase, Fact, Thresholds, load_dataset
from evals.metrics import CaseResult, Summary, fact_found, normalise, score_case, summarise
from evals.report import to_json, to_markdown, to_rich_table
from evals.runner import EvalReport, run_eval

__all__ = [
    "DEFAULT_DATASET",
    "CaseResult",
    "Dataset",
    "EvalCase",
    "EvalReport",
    "Fact",
    "Summary",
    "Thresholds",
    "fact_found",
    "load_dataset",
    "normalise",
    "run_eval",
    "score_case",
    "summarise",
    "to_json",
    "to_markdown",
    "to_rich_table",
]
