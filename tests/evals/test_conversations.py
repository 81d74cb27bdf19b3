"""Conversation suites: the shipped files load, turns share one session, bad files are named."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from assistant.assistant import Assistant
from assistant.types import Answer, Citation
from evals.conversation_report import ConversationReport, to_json, to_markdown
from evals.conversations import is_conversation_dataset, load_conversations, run_conversation
from evals.dataset import Fact
from tests.conftest import ROOT

DATASETS = sorted((ROOT / "evals" / "datasets").glob("conversations-*.yaml"))


def test_shipped_suites_have_at_least_eight_conversations_with_follow_ups() -> None:
    suites = [load_conversations(p) for p in DATASETS]
    assert all(is_conversation_dataset(p) for p in DATASETS)
    assert sum(len(s.conversations) for s in suites) >= 8
    assert all(len(c.turns) >= 2 for s in suites for c in s.conversations)


class Recorder:
    """Answers each turn with a canned answer and records the session ids it was given."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.sessions: list[str | None] = []

    def chat(self, message: str, session_id: str | None = None) -> tuple[Answer, str]:
        self.sessions.append(session_id)
        return self.answers.pop(0), "s1"


def test_turns_share_the_first_turns_session_and_are_scored() -> None:
    suite = load_conversations(ROOT / "evals" / "datasets" / "conversations-seed.yaml")
    conversation = suite.conversations[0]  # japan-tariffs: 24%, then "And on cars?" 25%, 10%

    def cited(text: str) -> Answer:
        quote = Citation(1, "trump-japan-trade-talks", "T", text, 0, len(text), 0.9)
        return Answer("q", f"{text} [1]", False, (quote,))

    fake = Recorder([cited("Japan faces 24% levies."), cited("Cars face a 25% duty."),
                     Answer("q", "The sources don't say.", True)])  # fmt: skip
    results = run_conversation(cast(Assistant, fake), conversation)
    assert fake.sessions == [None, "s1", "s1"]
    assert [t.passed for t in results] == [True, True, False]
    assert results[0].result.facts == (Fact("24%"),)
    report = ConversationReport(suite, ((conversation, results),))
    assert report.figures["turn_pass_rate"] == pytest.approx(2 / 3)
    assert report.figures["conversation_pass_rate"] == 0.0
    assert to_json(report)["summary"]["conversations_passed"] == 0
    assert "0/1 conversations passed" in to_markdown(report)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("conversations: []", "non-empty list"),
        ("conversations: [{id: a, turns: [{question: q, facts: ['x']}]}]", "at least two turns"),
        ("conversations: [{id: a, turns: [{question: q}, {question: r, facts: [x]}]}]",
         "needs at least one fact"),
        ("bogus: 1\nconversations: []", "unknown key(s) bogus"),
        ("conversations: [unclosed", "not valid YAML"),  # was a raw YAMLError
    ],
)  # fmt: skip
def test_bad_suites_are_refused_with_the_file_named(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"kind: conversations\nname: c\n{body}\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_conversations(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_a_conversation_suite_runs_through_the_eval_command_path(fast_assistant: Any) -> None:
    from evals.suite import run_suite

    outcome = run_suite(ROOT / "evals" / "datasets" / "conversations-seed.yaml", fast_assistant)
    assert outcome.kind == "conversations"
    assert outcome.report["summary"]["conversations"] == 4
    assert len(outcome.report["conversations"][0]["turns"]) == 3
