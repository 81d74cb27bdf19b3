"""Run a conversation suite and render it as JSON and Markdown (per conversation, per turn)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.assistant import Assistant
from evals.conversations import (
    Conversation,
    ConversationSuite,
    TurnResult,
    isolated,
    run_conversation,
)
from evals.report import problems


@dataclass(frozen=True)
class ConversationReport:
    suite: ConversationSuite
    results: tuple[tuple[Conversation, tuple[TurnResult, ...]], ...]

    @property
    def figures(self) -> dict[str, float]:
        turns = [t for _, ts in self.results for t in ts]
        cited = sum(t.citations for t in turns)
        return {
            "conversation_pass_rate": _ratio(
                sum(all(t.passed for t in ts) for _, ts in self.results), len(self.results)
            ),
            "turn_pass_rate": _ratio(sum(t.passed for t in turns), len(turns)),
            "citation_precision": _ratio(sum(t.citations_supported for t in turns), cited),
        }

    @property
    def failures(self) -> tuple[str, ...]:
        figures = self.figures
        return tuple(
            f"{name} {figures[name]:.3f} < {limit:.3f}"
            for name, limit in self.suite.thresholds
            if figures[name] + 1e-9 < limit
        )


def run_conversation_suite(assistant: Assistant, suite: ConversationSuite) -> ConversationReport:
    with isolated(assistant, suite.corpus) as target:
        results = tuple((c, run_conversation(target, c)) for c in suite.conversations)
    return ConversationReport(suite, results)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _turn_problems(turn: TurnResult) -> list[str]:
    found = [p for p in problems(turn.result) if not p.startswith("did not cite")]
    if turn.result.answerable and not turn.hit:
        found.append("did not cite " + " or ".join(turn.docs))
    if turn.citations_supported < turn.citations:
        found.append(f"{turn.citations - turn.citations_supported} citation(s) unsupported")
    return found


def to_json(report: ConversationReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "conversations",
        "dataset": report.suite.name,
        "passed": not report.failures,
        "failures": list(report.failures),
        "thresholds": dict(report.suite.thresholds),
        "summary": report.figures
        | {
            "conversations_passed": sum(all(t.passed for t in ts) for _, ts in report.results),
            "conversations": len(report.results),
        },
        "conversations": [
            {
                "id": c.id,
                "passed": all(t.passed for t in ts),
                "turns": [
                    {
                        "question": t.result.question,
                        "answer": t.result.answer,
                        "abstained": t.result.abstained,
                        "passed": t.passed,
                        "cited_docs": list(t.result.cited_docs),
                        "problems": _turn_problems(t),
                        "latency_ms": round(t.result.latency_ms, 3),
                    }
                    for t in ts
                ],
            }
            for c, ts in report.results
        ],
    }


def to_markdown(report: ConversationReport) -> str:
    f = report.figures
    passed = sum(all(t.passed for t in ts) for _, ts in report.results)
    lines = [
        f"# Conversations: {report.suite.name} — {'FAIL' if report.failures else 'PASS'}",
        "",
        f"{passed}/{len(report.results)} conversations passed; turn pass rate "
        f"{f['turn_pass_rate']:.3f}; citation precision {f['citation_precision']:.3f}.",
        "",
        "| | Conversation | Turn | Question | Problems |",
        "| :---: | --- | ---: | --- | --- |",
    ]
    for conversation, turns in report.results:
        for n, t in enumerate(turns, start=1):
            question = t.result.question.replace("|", "\\|")
            issues = "; ".join(_turn_problems(t)).replace("|", "\\|")
            mark = "✓" if t.passed else "✗"
            lines.append(f"| {mark} | {conversation.id} | {n} | {question} | {issues} |")
    return "\n".join(lines) + "\n"
