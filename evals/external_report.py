"""An external eval run as JSON and Markdown, and its deltas against a previous JSON report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.external import ItemResult
from evals.qa_metrics import Estimate

SCHEMA_VERSION = 1
KIND = "external-qa"
#: Metrics where a rise is bad (the rest: higher is better).
LOWER_IS_BETTER = frozenset({"latency_p50_ms", "latency_p95_ms"})


@dataclass(frozen=True)
class ExternalRun:
    corpus: str
    questions: str
    documents: int  # ingested from the corpus (found, whether new or unchanged)
    embeddings: str
    retrieval_mode: str | None  # None: this build has no retrieval_mode setting
    results: tuple[ItemResult, ...]
    metrics: dict[str, Estimate]
    limited_to: int | None = None  # --limit N: only the first N questions ran
    comparison: dict[str, dict[str, Estimate]] = field(default_factory=dict)  # mode → retrieval
    chunks: int = 0  # chunks in the eval store after ingest
    skipped: int = 0  # corpus records skipped (only with --allow-skipped)


def to_json(run: ExternalRun) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "corpus": run.corpus,
        "questions": run.questions,
        "documents": run.documents,
        "chunks": run.chunks,
        "skipped_records": run.skipped,
        "embeddings": run.embeddings,
        "retrieval_mode": run.retrieval_mode,
        "limited_to": run.limited_to,
        "metrics": {k: asdict(v) for k, v in run.metrics.items()},
        "retrieval_comparison": {
            mode: {k: asdict(v) for k, v in metrics.items()}
            for mode, metrics in run.comparison.items()
        },
        "items": [asdict(r) | {"latency_ms": round(r.latency_ms, 3)} for r in run.results],
    }


def load_report(path: Path) -> dict[str, float]:
    """Metric values of a previous report; ValueError when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read a JSON report ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ValueError(f"{path}: not a `briefing eval --corpus` JSON report")
    metrics = data.get("metrics")
    if not isinstance(metrics, dict):
        raise ValueError(f"{path}: the report has no metrics")
    return {
        name: float(value["value"])
        for name, value in metrics.items()
        if isinstance(value, dict) and isinstance(value.get("value"), int | float)
    }


@dataclass(frozen=True)
class Delta:
    metric: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def better(self) -> bool | None:
        if abs(self.change) < 1e-12:
            return None
        return (self.change < 0) == (self.metric in LOWER_IS_BETTER)


def deltas(previous: dict[str, float], current: dict[str, Estimate]) -> list[Delta]:
    """One delta per metric present in both reports, in the current report's order."""
    return [
        Delta(name, previous[name], est.value) for name, est in current.items() if name in previous
    ]


def _fmt(name: str, value: float) -> str:
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:.3f}"


def _sign(name: str, value: float) -> str:
    return f"{value:+.0f}" if name.endswith("_ms") else f"{value:+.3f}"


def to_markdown(run: ExternalRun, compared: list[Delta] | None = None) -> str:
    scope = f" (first {run.limited_to} questions)" if run.limited_to else ""
    lines = [
        f"# External eval: {Path(run.questions).name}",
        "",
        f"Corpus `{run.corpus}` ({run.documents:,} documents ingested, {run.chunks:,} chunks"
        f"{f', {run.skipped:,} records skipped' if run.skipped else ''}); "
        f"{len(run.results)} questions{scope}; "
        f"embeddings `{run.embeddings}`; retrieval `{run.retrieval_mode or 'default'}`.",
        "",
        "| Metric | Value | 95% interval | n |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, e in run.metrics.items():
        interval = f"{_fmt(name, e.low)}–{_fmt(name, e.high)}"
        lines.append(f"| {name} | {_fmt(name, e.value)} | {interval} | {e.n} |")
    if run.comparison:
        lines += ["", comparison_markdown(run.comparison)]
    if compared:
        lines += ["", "## Compared with the previous report", "", deltas_markdown(compared)]
    lines += [
        "",
        "## Items",
        "",
        "| id | answerable | abstained | gold rank | contains | F1 | citations ok | ms |",
        "| --- | :---: | :---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in run.results:
        rank = "—" if r.gold_rank is None else str(r.gold_rank)
        lines.append(
            f"| {r.id} | {_yes(r.answerable)} | {_yes(r.abstained)} | {rank} | "
            f"{r.contains:.0f} | {r.f1:.2f} | {r.citations_supported}/{r.citations} | "
            f"{r.latency_ms:.0f} |"
        )
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: dict[str, dict[str, Estimate]]) -> str:
    names = list(next(iter(comparison.values())))
    lines = [
        "## Retrieval by mode",
        "",
        "| Mode | " + " | ".join(names) + " |",
        "| --- |" + " ---: |" * len(names),
    ]
    for mode, metrics in comparison.items():
        cells = [
            f"{metrics[n].value:.3f} ({metrics[n].low:.2f}–{metrics[n].high:.2f})" for n in names
        ]
        lines.append(f"| {mode} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def deltas_markdown(compared: list[Delta]) -> str:
    lines = ["| Metric | Before | After | Δ | |", "| --- | ---: | ---: | ---: | :---: |"]
    for d in compared:
        verdict = {None: "=", True: "better", False: "worse"}[d.better]
        lines.append(
            f"| {d.metric} | {_fmt(d.metric, d.before)} | {_fmt(d.metric, d.after)} | "
            f"{_sign(d.metric, d.change)} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
