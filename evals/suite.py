"""Run any dataset file (question suite or brief suite) and package what the CLI shows/writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.markdown import Markdown

from assistant.types import Answer, Briefing
from evals.brief import (
    BRIEF_DATASET,
    brief_to_json,
    brief_to_markdown,
    is_brief_dataset,
    load_brief_dataset,
    run_brief_eval,
)
from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.report import to_json, to_markdown, to_rich_table
from evals.runner import run_eval

DEFAULT_SUITES = (DEFAULT_DATASET, BRIEF_DATASET)


@dataclass(frozen=True)
class SuiteOutcome:
    name: str
    kind: str  # "questions" | "brief"
    report: dict[str, Any]
    markdown: str
    table: RenderableType
    failures: tuple[str, ...]


def run_suite(
    path: Path, ask: Callable[[str], Answer], brief: Callable[[str | None], Briefing]
) -> SuiteOutcome:
    """Raises ValueError/OSError when the dataset file cannot be used."""
    if is_brief_dataset(path):
        brief_report = run_brief_eval(brief, load_brief_dataset(path))
        markdown = brief_to_markdown(brief_report)
        return SuiteOutcome(
            brief_report.dataset, "brief", brief_to_json(brief_report), markdown,
            Markdown(markdown), brief_report.failures,
        )  # fmt: skip
    report = run_eval(ask, load_dataset(path))
    return SuiteOutcome(
        report.dataset, "questions", to_json(report), to_markdown(report),
        to_rich_table(report), report.failures,
    )  # fmt: skip
