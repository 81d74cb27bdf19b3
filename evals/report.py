"""Render an `EvalReport` as JSON-ready data, Markdown, or a rich table for the terminal."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import JustifyMethod
from rich.markup import escape
from rich.table import Table

from evals.metrics import CaseResult
from evals.runner import EvalReport

SCHEMA_VERSION = 1
_RATIOS = ("fact_recall", "citation_support", "abstention_accuracy", "hit_at_k")


def to_json(report: EvalReport) -> dict[str, Any]:
    """A JSON-serialisable dict with a stable schema (bump `SCHEMA_VERSION` on change)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "dataset": report.dataset,
        "passed": report.passed,
        "failures": list(report.failures),
        "thresholds": asdict(report.thresholds),
        "summary": asdict(report.summary),
        "by_tag": [{"tag": t, "passed": p, "cases": n} for t, p, n in report.by_tag],
        "cases": [_case_json(r) for r in report.results],
    }


def _case_json(result: CaseResult) -> dict[str, Any]:
    return {
        "id": result.case_id,
        "question": result.question,
        "answerable": result.answerable,
        "abstained": result.abstained,
        "passed": result.passed,
        "answer": result.answer,
        "facts": [
            {"pattern": f.pattern, "regex": f.is_regex, "found": found, "supported": supported}
            for f, found, supported in zip(
                result.facts, result.facts_found, result.citation_supported, strict=True
            )
        ],
        "expected_doc": result.expected_doc,
        "cited_docs": list(result.cited_docs),
        "hit": result.hit,
        "cited_expected_doc": result.cited_expected_doc,
        "abstention_correct": result.abstention_correct,
        "forbidden_found": [f.pattern for f in result.forbidden_found],
        "says_missing": [f.pattern for f in result.says_missing],
        "latency_ms": round(result.latency_ms, 3),
    }


def to_markdown(report: EvalReport) -> str:
    """Summary table (metrics vs thresholds), then one row per case with its failing facts."""
    s = report.summary
    verdict = "PASS" if report.passed else "FAIL"
    lines = [
        f"# Eval: {_cell(report.dataset)} — {verdict}",
        "",
        f"{s.cases_passed}/{s.cases_total} cases passed; "
        f"latency p50 {s.latency_p50_ms:.0f} ms, p95 {s.latency_p95_ms:.0f} ms.",
        "",
        "| Metric | Value | Threshold | Status |",
        "| --- | ---: | ---: | :---: |",
    ]
    for name in _RATIOS:
        value: float = getattr(s, name)
        limit: float = getattr(report.thresholds, name)
        ok = "✓" if value + 1e-9 >= limit else "✗"
        lines.append(f"| {name} | {value:.3f} | {limit:.3f} | {ok} |")
    if report.by_tag:
        lines += [
            "",
            "| Question type (tag) | Passed | Cases | Accuracy |",
            "| --- | ---: | ---: | ---: |",
        ]
        for tag, passed, total in report.by_tag:
            lines.append(f"| {_cell(tag)} | {passed} | {total} | {passed / total:.0%} |")
    lines += [
        "",
        "| | Case | Answerable | Abstained | Facts | Cited doc | Latency (ms) | Problems |",
        "| :---: | --- | :---: | :---: | ---: | :---: | ---: | --- |",
    ]
    for r in report.results:
        lines.append(
            f"| {_mark(r.passed)} | {_cell(r.case_id)} | {_yes(r.answerable)} | "
            f"{_yes(r.abstained)} | {_facts_cell(r)} | {_doc_cell(r)} | "
            f"{r.latency_ms:.0f} | {_cell('; '.join(problems(r)))} |"
        )
    return "\n".join(lines) + "\n"


def to_rich_table(report: EvalReport) -> Table:
    """One row per case; the caption carries the summary figures against their thresholds."""
    s = report.summary
    verdict = "[green]PASS[/]" if report.passed else "[red]FAIL[/]"
    caption = f"{_caption(report)}\n{s.cases_passed}/{s.cases_total} cases passed"
    if report.by_tag:
        caption += "\n" + " · ".join(f"{t} {p}/{n}" for t, p, n in report.by_tag)
    table = Table(title=f"Eval: {escape(report.dataset)} — {verdict}", caption=caption)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("", "center"),
        ("Case", "left"),
        ("Ans.", "center"),
        ("Abst.", "center"),
        ("Facts", "right"),
        ("Doc", "center"),
        ("ms", "right"),
        ("Problems", "left"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for r in report.results:
        table.add_row(
            "[green]✓[/]" if r.passed else "[red]✗[/]",
            escape(r.case_id),
            _yes(r.answerable),
            _yes(r.abstained),
            _facts_cell(r),
            _doc_cell(r),
            f"{r.latency_ms:.0f}",
            escape("; ".join(problems(r))),
        )
    return table


def problems(result: CaseResult) -> list[str]:
    """Short human-readable reasons a case failed (empty when it passed)."""
    out: list[str] = []
    if not result.abstention_correct:
        out.append("abstained" if result.abstained else "should have abstained")
    out += [f"stated forbidden {f.label!r}" for f in result.forbidden_found]
    out += [f"did not say {f.label!r}" for f in result.says_missing]
    if result.answerable:
        out += [f"missing {f.label!r}" for f in result.missing_facts]
        out += [f"unsupported {f.label!r}" for f in result.unsupported_facts]
        if not result.hit:
            out.append(f"did not cite {result.expected_doc}")
    return out


def _caption(report: EvalReport) -> str:
    s = report.summary
    parts = []
    for name in _RATIOS:
        value: float = getattr(s, name)
        limit: float = getattr(report.thresholds, name)
        parts.append(f"{name} {value:.2f}/{limit:.2f}")
    parts.append(f"p50 {s.latency_p50_ms:.0f} ms, p95 {s.latency_p95_ms:.0f} ms")
    return " · ".join(parts)


def _facts_cell(result: CaseResult) -> str:
    return f"{sum(result.facts_found)}/{len(result.facts)}" if result.answerable else "—"


def _doc_cell(result: CaseResult) -> str:
    return _mark(result.hit) if result.answerable else "—"


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
