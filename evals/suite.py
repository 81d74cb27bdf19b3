"""Run any dataset file (question suite or brief suite) and package what the CLI shows/writes.

A question suite with its own `corpus` runs against a throwaway store holding only that
corpus, so production data is never touched and results do not depend on it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown

from assistant.assistant import Assistant
from evals.brief import (
    BRIEF_DATASET,
    brief_to_json,
    brief_to_markdown,
    is_brief_dataset,
    load_brief_dataset,
    run_brief_eval,
)
from evals.conversation_report import run_conversation_suite
from evals.conversation_report import to_json as conversation_json
from evals.conversation_report import to_markdown as conversation_markdown
from evals.conversations import is_conversation_dataset, load_conversations
from evals.dataset import DEFAULT_DATASET, Dataset, load_dataset
from evals.report import to_json, to_markdown, to_rich_table
from evals.runner import run_eval
from evals.timecompare import compare, comparison_markdown

DEFAULT_SUITES = (DEFAULT_DATASET, BRIEF_DATASET)


@dataclass(frozen=True)
class SuiteOutcome:
    name: str
    kind: str  # "questions" | "brief"
    report: dict[str, Any]
    markdown: str
    table: RenderableType
    failures: tuple[str, ...]


@contextmanager
def _isolated(assistant: Assistant, dataset: Dataset) -> Iterator[Assistant]:
    """The dataset's own corpus in a temp store, sharing the already-loaded embedding model."""
    if dataset.corpus is None:
        yield assistant
        return
    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as tmp:
        settings = assistant.settings.model_copy(
            update={"data_dir": Path(tmp), "corpus_dir": dataset.corpus, "chroma_url": None}
        )
        isolated = Assistant(settings, embeddings=assistant.embeddings)
        try:
            isolated.ingest()
            yield isolated
        finally:
            isolated.close()


def run_suite(path: Path, assistant: Assistant) -> SuiteOutcome:
    """Raises ValueError/OSError when the dataset file cannot be used."""
    if is_conversation_dataset(path):
        conv = run_conversation_suite(assistant, load_conversations(path))
        text = conversation_markdown(conv)
        return SuiteOutcome(
            conv.suite.name, "conversations", conversation_json(conv), text, Markdown(text),
            conv.failures,
        )  # fmt: skip
    if is_brief_dataset(path):
        brief_report = run_brief_eval(assistant.brief, load_brief_dataset(path))
        markdown = brief_to_markdown(brief_report)
        return SuiteOutcome(
            brief_report.dataset, "brief", brief_to_json(brief_report), markdown,
            Markdown(markdown), brief_report.failures,
        )  # fmt: skip
    dataset = load_dataset(path)
    with _isolated(assistant, dataset) as target:
        report = run_eval(target.ask, dataset)
        data, markdown = to_json(report), to_markdown(report)
        table: RenderableType = to_rich_table(report)
        if dataset.compare_date_blind:
            scores = compare(target, dataset)
            data["date_blind_comparison"] = {mode: asdict(s) for mode, s in scores.items()}
            extra = comparison_markdown(scores)
            markdown += extra
            table = Group(table, Markdown(extra))
    return SuiteOutcome(report.dataset, "questions", data, markdown, table, report.failures)
