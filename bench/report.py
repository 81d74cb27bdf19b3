"""Benchmark results as JSON-ready data (with machine info) and as a Markdown report."""

from __future__ import annotations

import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from bench.cold_start import ColdStartResult
from bench.ingest_bench import IngestResult
from bench.query_bench import QueryResult
from bench.stats import LatencyStats

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class BenchReport:
    parameters: dict[str, int]
    machine: dict[str, Any]
    ingest: IngestResult
    query: QueryResult
    cold_start: ColdStartResult
    total_s: float
    generated_at: str


def machine_info() -> dict[str, Any]:
    import torch

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    return {
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "sentence_transformers": version("sentence-transformers"),
        "chromadb": version("chromadb"),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_json(report: BenchReport) -> dict[str, Any]:
    """A JSON-serialisable dict with a stable schema (bump `SCHEMA_VERSION` on change)."""
    return {"schema_version": SCHEMA_VERSION, **asdict(report)}


def _n(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _latency_row(name: str, s: LatencyStats) -> str:
    return (
        f"| {name} | {s.n} | {_n(s.p50_ms)} | {_n(s.p95_ms)} | {_n(s.mean_ms)} "
        f"| {_n(s.min_ms)} | {_n(s.max_ms)} |"
    )


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(report: BenchReport) -> str:
    i, q, c, m = report.ingest, report.query, report.cold_start, report.machine
    p = report.parameters
    return "\n".join([
        "# Briefing benchmark",
        "",
        f"{report.generated_at} · {m['cpu_count']} CPUs ({m['torch_threads']} torch threads) · "
        f"Python {m['python']} · torch {m['torch']} · {m['platform']} · 1-min load average "
        f"{m['load_avg_1m_start']:.2f} at start, {m['load_avg_1m_end']:.2f} at end",
        "",
        f"Generated fictional corpus: {p['docs']} documents, {i.chunks:,} chunks "
        f"({i.chunk_chars:,} characters), seed {p['seed']}. Wall-clock timings from one run; "
        "they vary between runs and machines — compare runs on the same machine only.",
        "",
        "## Ingest",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Ingest (`Assistant.ingest`, fresh store) | {_n(i.ingest_s, 2)} s |",
        f"| Ingest throughput | {_n(i.ingest_chunks_per_s)} chunks/s · "
        f"{_n(i.ingest_chars_per_s, 0)} chars/s |",
        f"| Raw encoder (sentence-transformers, batch 64, warm) | {_n(i.raw_encode_s, 2)} s · "
        f"{_n(i.raw_chunks_per_s)} chunks/s |",
        f"| Ingest ÷ raw encoder | {i.ingest_to_raw_ratio:.2f} |",
        f"| Re-ingest, unchanged corpus | {_n(i.reingest_s, 2)} s · "
        f"{i.reingest_chunks_written} chunks written · "
        f"{i.reingest_documents_unchanged} documents unchanged |",
        f"| Assistant load (model, store) | {_n(i.assistant_load_s, 2)} s |",
        f"| Raw model load | {_n(i.raw_load_s, 2)} s |",
        "",
        "## Ask latency (warm, in-process, after 3 warm-up asks)",
        "",
        "| Path | n | p50 ms | p95 ms | mean ms | min ms | max ms |",
        "|---|---|---|---|---|---|---|",
        _latency_row("First ask of each question", q.first),
        _latency_row("Repeated question (cache hit)", q.repeat),
        "",
        f"Answered {q.answered}/{q.questions}; expected figure in the answer "
        f"{q.expected_found}/{q.questions}. Seed question “{q.seed_question}”: "
        f"{_n(q.seed_first_ms)} ms, {'abstained' if q.seed_abstained else 'answered'} — "
        f"{_cell(q.seed_answer)}",
        "",
        "## Cold CLI start (fresh process, seed corpus ingested)",
        "",
        "| Command | runs | min s | median s |",
        "|---|---|---|---|",
        f"| `briefing ask --json \"{c.question}\"` | {c.runs} | {_n(c.ask_min_s, 2)} "
        f"| {_n(c.ask_median_s, 2)} |",
        f"| `briefing --help` | {c.runs} | {_n(c.help_min_s, 2)} | {_n(c.help_median_s, 2)} |",
        "",
        f"Cold answer: {'abstained' if c.abstained else _cell(c.answer)}",
        "",
        f"Total benchmark wall time: {_n(report.total_s)} s.",
        "",
    ])  # fmt: skip
