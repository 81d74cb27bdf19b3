from __future__ import annotations

import json

from rich.console import Console

from assistant.types import Answer, Citation
from evals.dataset import Dataset, EvalCase, Fact, Thresholds
from evals.metrics import CaseResult
from evals.report import to_json, to_markdown, to_rich_table
from evals.runner import EvalReport, run_eval

DOC = "trump-japan-trade-talks"
QUOTE = "A 10% universal rate remains active, as does a 25% duty on cars."

DATASET = Dataset(
    name="fake",
    description="",
    thresholds=Thresholds(),
    cases=(
        EvalCase(id="car-duty", question="What duty on cars?", facts=(Fact("25%"),), doc=DOC),
        EvalCase(
            id="universal-rate",
            question="What universal rate?",
            facts=(Fact("10%"), Fact(r"universal|across the board", is_regex=True)),
            doc=DOC,
        ),
        EvalCase(id="boj-rate", question="What is the BoJ rate?", answerable=False),
    ),
)


class FakeAssistant:
    """Queues one hand-built answer per question and records what it was asked."""

    def __init__(self) -> None:
        citation = Citation(
            marker=1, doc_id=DOC, title="T", quote=QUOTE, start=0, end=len(QUOTE), score=0.8
        )
        self.answers = {
            # good: fact stated and quoted from the expected doc
            "What duty on cars?": Answer(
                "What duty on cars?", "A 25 percent duty [1].", False, (citation,)
            ),
            # wrong: states the wrong rate, and a fact's wording is missing; quote still supports
            "What universal rate?": Answer(
                "What universal rate?", "It is 24% [1].", False, (citation,)
            ),
            # abstains correctly
            "What is the BoJ rate?": Answer("What is the BoJ rate?", "Not in the sources.", True),
        }
        self.asked: list[str] = []

    def __call__(self, question: str) -> Answer:
        self.asked.append(question)
        return self.answers[question]


def run() -> tuple[EvalReport, list[CaseResult], FakeAssistant]:
    seen: list[CaseResult] = []
    fake = FakeAssistant()
    return run_eval(fake, DATASET, on_case=seen.append), seen, fake


def test_run_eval_scores_each_case() -> None:
    report, seen, fake = run()
    assert fake.asked == [c.question for c in DATASET.cases]
    assert [r.case_id for r in seen] == ["car-duty", "universal-rate", "boj-rate"]
    assert list(report.results) == seen
    assert [r.passed for r in report.results] == [True, False, True]
    assert all(r.latency_ms >= 0 for r in report.results)


def test_summary_figures_and_failed_thresholds() -> None:
    report, _, _ = run()
    s = report.summary
    assert s.facts_expected == 3
    assert s.fact_recall == 1 / 3  # only "25%" is stated
    assert s.citation_support == 1.0  # every fact is inside the cited quote
    assert s.abstention_accuracy == 1.0
    assert s.hit_at_k == 1.0
    assert (s.cases_passed, s.cases_total) == (2, 3)
    assert s.latency_p50_ms <= s.latency_p95_ms
    assert report.failures == ("fact_recall 0.333 < 1.000",)
    assert not report.passed
    assert s.meets(Thresholds(fact_recall=0.3)) == []


def test_json_report_is_serialisable_and_stable() -> None:
    report, _, _ = run()
    data = to_json(report)
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {
        "schema_version",
        "dataset",
        "passed",
        "failures",
        "thresholds",
        "summary",
        "by_tag",
        "cases",
    }
    case = data["cases"][1]
    assert case["id"] == "universal-rate" and case["passed"] is False
    assert [f["found"] for f in case["facts"]] == [False, False]
    assert data["summary"]["fact_recall"] == report.summary.fact_recall


def test_markdown_report_lists_metrics_and_failing_facts() -> None:
    report, _, _ = run()
    md = to_markdown(report)
    assert "| fact_recall | 0.333 | 1.000 | ✗ |" in md
    assert "| hit_at_k | 1.000 | 1.000 | ✓ |" in md
    assert "missing '10%'" in md
    assert "missing '/universal\\|across the board/'" in md  # pipes escaped for tables
    assert "| ✓ | car-duty |" in md


def test_rich_table_renders() -> None:
    report, _, _ = run()
    console = Console(record=True, width=200)
    console.print(to_rich_table(report))
    text = console.export_text()
    assert "universal-rate" in text and "fact_recall" in text
    assert "/universal|across the board/" in text
