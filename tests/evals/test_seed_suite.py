"""Runs the seed eval suite against the default (real model) configuration.

The figures are the eval's business (`briefing eval` reports them); this test only checks the
suite runs end to end and stays at or above the thresholds agreed in the dataset file.
"""

from __future__ import annotations

import pytest

from assistant.assistant import Assistant
from evals import load_dataset, run_eval
from evals.dataset import DEFAULT_DATASET


@pytest.mark.slow
def test_seed_suite_meets_its_thresholds(real_assistant: Assistant) -> None:
    dataset = load_dataset(DEFAULT_DATASET)
    report = run_eval(real_assistant.ask, dataset)
    assert len(report.results) == len(dataset.cases)
    assert not report.failures, report.failures


@pytest.mark.slow
def test_brief_suite_meets_its_thresholds(real_assistant: Assistant) -> None:
    from evals.brief import load_brief_dataset, run_brief_eval

    report = run_brief_eval(real_assistant.brief, load_brief_dataset())
    assert report.coverage >= 0.9 and report.citation_support == 1.0, report.failures


@pytest.mark.slow
def test_time_travel_suite_beats_the_date_blind_baseline(real_assistant: Assistant) -> None:
    from evals.suite import run_suite

    outcome = run_suite(DEFAULT_DATASET.parent / "time-travel.yaml", real_assistant)
    assert not outcome.failures, outcome.failures
    scores = outcome.report["date_blind_comparison"]
    assert scores["time_aware"]["mrr_at_10"] > scores["date_blind"]["mrr_at_10"]
    assert {t["tag"] for t in outcome.report["by_tag"]} >= {
        "explicit-date",
        "relative-date",
        "superseded",
    }


@pytest.mark.slow
def test_adversarial_suite_passes_every_case(real_assistant: Assistant) -> None:
    # Injections, false premises, near-miss unanswerables: issue 3 wants every one right.
    dataset = load_dataset(DEFAULT_DATASET.parent / "adversarial.yaml")
    report = run_eval(real_assistant.ask, dataset)
    failed = [(r.case_id, r.answer) for r in report.results if not r.passed]
    assert not failed, failed


@pytest.mark.slow
def test_adversarial_conversations_pass(real_assistant: Assistant) -> None:
    from evals.conversation_report import run_conversation_suite
    from evals.conversations import load_conversations

    suite = load_conversations(DEFAULT_DATASET.parent / "conversations-adversarial.yaml")
    report = run_conversation_suite(real_assistant, suite)
    failed = [
        (c.id, t.result.question) for c, turns in report.results for t in turns if not t.passed
    ]
    assert not failed, failed
