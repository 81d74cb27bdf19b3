"""Benchmark results as JSON-ready data (with machine info) and as a Markdown report."""

from __future__ import annotations

import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from bench.cold_start import ColdStartResult
from bench.collection_bench import CollectionResult
from bench.collection_bench import to_markdown_lines as _collection
from bench.encoders import EncoderResult
from bench.hosts_bench import HostsResult
from bench.hosts_bench import to_markdown_lines as _hosts
from bench.http_bench import HttpResult, HttpRun
from bench.ingest_bench import IngestResult
from bench.peer import PeerResult
from bench.query_bench import QueryResult
from bench.scale_bench import SizeResult
from bench.selector_bench import SelectorResult
from bench.stats import LatencyStats

SCHEMA_VERSION = 5

#: The issue's goals on a 2-core machine; the report shows each figure beside its goal.
GOALS = {
    "ingest_to_raw_ratio": 0.9,
    "ask_p50_ms_10k": 30.0,
    "http_p50_ms_10k": 50.0,
    "ask_p50_ms_100k": 100.0,
}


@dataclass(frozen=True)
class BenchReport:
    parameters: dict[str, Any]
    machine: dict[str, Any]
    onnx_export_s: float
    encoders: EncoderResult
    ingest: IngestResult
    query: QueryResult
    scale: tuple[SizeResult, ...]
    selector: SelectorResult | None  # None: the answer selector is off
    http: HttpResult | None
    peer: PeerResult
    cold_start: ColdStartResult
    peak_rss_mb: float  # the benchmark process (model, 100k store, HTTP server)
    total_s: float
    generated_at: str
    collection: CollectionResult | None = None  # None: --collection-docs 0
    hosts: HostsResult | None = None  # None: --hosts-requests 0


def machine_info() -> dict[str, Any]:
    import torch

    from assistant.search.embeddings import bf16_supported

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    return {
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "bf16_native": bf16_supported(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "onnxruntime": version("onnxruntime"),
        "sentence_transformers": version("sentence-transformers"),
        "chromadb": version("chromadb"),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_json(report: BenchReport) -> dict[str, Any]:
    """A JSON-serialisable dict with a stable schema (bump `SCHEMA_VERSION` on change)."""
    return {"schema_version": SCHEMA_VERSION, "ratios": ratios(report), **asdict(report)}


def _size(report: BenchReport, target: int) -> SizeResult | None:
    return next((s for s in report.scale if s.target == target), None)


def ratios(report: BenchReport) -> dict[str, float | None]:
    """Briefing ÷ LlamaIndex (below 1: Briefing is faster), and ingest ÷ raw encoder."""
    peer, small = report.peer, report.scale[0] if report.scale else None
    out: dict[str, float | None] = {"ingest_to_raw": report.ingest.ingest_to_raw_ratio}
    if not peer.available or peer.retrieve is None or small is None:
        return out
    out.update(
        ingest_time_vs_peer=report.ingest.ingest_s / peer.ingest_s,
        ingest_chars_per_s_vs_peer=report.ingest.ingest_chars_per_s
        / (peer.chunk_chars / peer.ingest_s),
        retrieve_p50_vs_peer=small.retrieve.p50_ms / peer.retrieve.p50_ms,
        retrieve_p95_vs_peer=small.retrieve.p95_ms / peer.retrieve.p95_ms,
        ask_p50_vs_peer_retrieve=small.ask.p50_ms / peer.retrieve.p50_ms,
        ask_p95_vs_peer_retrieve=small.ask.p95_ms / peer.retrieve.p95_ms,
    )
    return out


def _n(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _latency_row(name: str, s: LatencyStats) -> str:
    return (
        f"| {name} | {s.n} | {_n(s.p50_ms)} | {_n(s.p95_ms)} | {_n(s.mean_ms)} "
        f"| {_n(s.min_ms)} | {_n(s.max_ms)} |"
    )


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _goal(value: float | None, goal: float, *, at_least: bool = False, unit: str = "") -> str:
    if value is None:
        return "— (not measured)"
    met = value >= goal if at_least else value <= goal
    return f"{'≥' if at_least else '≤'} {goal:g}{unit} {'✓' if met else '✗ missed'}"


def _summary(report: BenchReport) -> list[str]:
    i, c, r = report.ingest, report.cold_start, ratios(report)
    mid, big, http = _size(report, 10_000), _size(report, 100_000), report.http
    rows = [
        "| Measure | Value | Goal |",
        "|---|---|---|",
        f"| Ingest ÷ fastest accurate raw encoder ({i.raw_encoder}) | "
        f"{i.ingest_to_raw_ratio:.2f} | {_goal(i.ingest_to_raw_ratio, 0.9, at_least=True)} |",
    ]
    if mid:
        rows.append(
            f"| Warm ask p50 / p95, in-process, {mid.chunks:,} chunks | {_n(mid.ask.p50_ms)} / "
            f"{_n(mid.ask.p95_ms)} ms | {_goal(mid.ask.p50_ms, 75, unit=' ms')} |"
        )
    if http:
        one = http.sequential.latency
        rows.append(
            f"| `POST /chat` p50 / p95 over HTTP, 1 client, {http.chunks:,} chunks | "
            f"{_n(one.p50_ms)} / {_n(one.p95_ms)} ms | {_goal(one.p50_ms, 90, unit=' ms')} |"
        )
    if big:
        rows.append(
            f"| Warm ask p50 / p95, in-process, {big.chunks:,} chunks | {_n(big.ask.p50_ms)} / "
            f"{_n(big.ask.p95_ms)} ms | {_goal(big.ask.p50_ms, 100, unit=' ms')} |"
        )
    if report.collection:
        col = report.collection
        rows.append(
            f"| `briefing ingest` of {col.documents:,} scraped pages ({col.file_mb:.0f} MB), end "
            f"to end · peak RSS | {_n(col.ingest_s, 0)} s · {_n(col.peak_rss_mb, 0)} MiB "
            f"({col.cpu_flags}) | {_goal(col.ingest_s, 600, unit=' s')} |"
        )
    peer_rss = _n(report.peer.peak_rss_mb, 0) if report.peer.available else "—"
    rows += [
        f"| Cold `briefing ask` to first answer (median of {c.runs}) | "
        f"{_n(c.ask_median_s, 2)} s (torch query encoder: {_n(c.torch_ask_s, 2)} s) "
        "| as low as possible |",
        f"| Peak RSS: cold `ask` · benchmark process · peer process | "
        f"{_n(c.ask_peak_rss_mb, 0)} · {_n(report.peak_rss_mb, 0)} · {peer_rss} MiB | |",
    ]
    if r.get("ingest_time_vs_peer") is not None:
        rows += [
            f"| Ingest time, Briefing ÷ LlamaIndex | {r['ingest_time_vs_peer']:.2f} | < 1 |",
            "| Query p50, Briefing retrieve ÷ LlamaIndex retrieve | "
            f"{r['retrieve_p50_vs_peer']:.2f} | < 1 |",
            "| Query p50, Briefing full cited answer ÷ LlamaIndex retrieve | "
            f"{r['ask_p50_vs_peer_retrieve']:.2f} | < 1 |",
        ]
    return rows


def _encoders(report: BenchReport) -> list[str]:
    e = report.encoders
    rows = [
        "| Encoder | chunks timed | chunks/s | min cosine to torch fp32 | accurate | note |",
        "|---|---|---|---|---|---|",
    ]
    for run in e.runs:
        rows.append(f"| {run.name} | {run.chunks:,} | {_n(run.chunks_per_s)} | "
                    f"{run.min_cosine_to_fp32:.6f} | {'yes' if run.accurate else 'no'} | "
                    f"{_cell(run.note)} |")  # fmt: skip
    rows += [
        "",
        f"Fastest accurate: **{e.fastest_accurate}** ({_n(e.fastest_accurate_chunks_per_s)} "
        f"chunks/s). Native bf16 on this CPU: {'yes' if e.bf16_native else 'no'}. "
        "One-off ONNX export (torch model load + export + check): "
        f"{_n(report.onnx_export_s, 1)} s.",
        "",
        "| Query encoder, fresh process | load s (imports + model) | one question p50 ms "
        "| torch imported |",
        "|---|---|---|---|",
    ]  # fmt: skip
    for load in e.loads:
        rows.append(f"| {load.name} | {_n(load.load_s, 2)} | {_n(load.query_p50_ms, 2)} | "
                    f"{'yes' if load.torch_imported else 'no'} |")  # fmt: skip
    return rows


def _scale(report: BenchReport) -> list[str]:
    rows = [
        "| chunks | of which synthetic | fill (vectors/s) | ask p50 | ask p95 | retrieve p50 "
        "| retrieve p95 | search p50 | search p95 | answered | RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in report.scale:
        fill = f"{_n(s.fill_s)} s ({_n(s.fill_per_s, 0)}/s)" if s.fill_s > 0.01 else "—"
        rows.append(
            f"| {s.chunks:,} | {s.synthetic:,} | {fill} | {_n(s.ask.p50_ms)} | "
            f"{_n(s.ask.p95_ms)} | {_n(s.retrieve.p50_ms)} | {_n(s.retrieve.p95_ms)} | "
            f"{_n(s.search.p50_ms, 2)} | {_n(s.search.p95_ms, 2)} | "
            f"{s.answered}/{s.ask.n} | {_n(s.rss_mb, 0)} |"
        )
    return rows


def _http_row(name: str, run: HttpRun) -> str:
    return (
        f"| {name} | {run.clients} | {run.requests} | {run.errors} | {_n(run.requests_per_s)} "
        f"| {_n(run.latency.p50_ms)} | {_n(run.latency.p95_ms)} | {_n(run.latency.mean_ms)} "
        f"| {_n(run.latency.max_ms)} |"
    )


def _http(report: BenchReport) -> list[str]:
    h = report.http
    if h is None:
        return ["Not run (`--http-requests 0`)."]
    rows = [
        f"uvicorn, 1 worker, embedded store of {h.chunks:,} chunks; the client runs in another "
        "process on the same 2 cores. Each request is a new question (`POST /chat`, new "
        "session).",
        "",
        "| Run | clients | requests | errors | req/s | p50 ms | p95 ms | mean ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|",
        _http_row("sequential", h.sequential),
        _http_row("concurrent", h.concurrent),
    ]
    if h.concurrent.first_error or h.sequential.first_error:
        rows += ["", f"First error: {_cell(h.concurrent.first_error or h.sequential.first_error)}"]
    return rows


def _peer(report: BenchReport) -> list[str]:
    p, i, r = report.peer, report.ingest, ratios(report)
    small = report.scale[0] if report.scale else None
    if not p.available or p.retrieve is None or small is None:
        return [f"Skipped: {_cell(p.reason)}"]
    versions = ", ".join(f"{k} {v}" for k, v in p.versions.items())
    return [
        f"Same generated corpus and packaged model; {versions}. LlamaIndex: "
        f"`SimpleDirectoryReader` → `SentenceSplitter({p.settings.get('chunk_tokens')} tokens, "
        f"no overlap)` → `HuggingFaceEmbedding` (torch, batch {p.settings.get('batch')}) → "
        "`ChromaVectorStore` (embedded, cosine); queries are "
        f"`as_retriever(similarity_top_k={p.settings.get('top_k')}).retrieve()` — the peer "
        "composes no answer without an LLM, so Briefing's retrieval is the like-for-like figure "
        "and its full cited answer is shown too. Both timed warm (model loaded), first-time "
        "questions.",
        "",
        "| Measure | Briefing | LlamaIndex | Briefing ÷ LlamaIndex |",
        "|---|---|---|---|",
        f"| Ingest time (load, chunk, embed, store) | {_n(i.ingest_s, 2)} s | "
        f"{_n(p.ingest_s, 2)} s | {r['ingest_time_vs_peer']:.2f} |",
        f"| Chunks · characters embedded | {i.chunks:,} · {i.chunk_chars:,} | "
        f"{p.chunks:,} · {p.chunk_chars:,} | |",
        f"| Ingest characters/s | {_n(i.ingest_chars_per_s, 0)} | "
        f"{_n(p.chunk_chars / p.ingest_s, 0)} | {r['ingest_chars_per_s_vs_peer']:.2f} |",
        f"| Query p50 (retrieve) | {_n(small.retrieve.p50_ms)} ms | {_n(p.retrieve.p50_ms)} ms "
        f"| {r['retrieve_p50_vs_peer']:.2f} |",
        f"| Query p95 (retrieve) | {_n(small.retrieve.p95_ms)} ms | {_n(p.retrieve.p95_ms)} ms "
        f"| {r['retrieve_p95_vs_peer']:.2f} |",
        f"| Query p50, Briefing full cited answer | {_n(small.ask.p50_ms)} ms | "
        f"{_n(p.retrieve.p50_ms)} ms (retrieve only) | {r['ask_p50_vs_peer_retrieve']:.2f} |",
        f"| Model load (fresh process) | {_n(report.encoders.loads[0].load_s, 2)} s (ONNX) | "
        f"{_n(p.load_s, 2)} s (after {_n(p.import_s, 1)} s of imports) | |",
        f"| Peak RSS | — | {_n(p.peak_rss_mb, 0)} MiB (whole peer process) | |",
    ]


def _selector(report: BenchReport) -> list[str]:
    if report.selector is None:
        return ["## Answer selector", "", "Off (BRIEFING_ANSWER_SELECTOR=off).", ""]
    rows = [_latency_row(f"{n} candidates", s) for n, s in report.selector.candidates]
    return [
        "## Answer selector (one `score` call, seed-article sentences)",
        "",
        "| Candidates | n | p50 ms | p95 ms | mean ms | min ms | max ms |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def to_markdown(report: BenchReport) -> str:
    i, q, c, m = report.ingest, report.query, report.cold_start, report.machine
    p = report.parameters
    return "\n".join([
        "# Briefing benchmark",
        "",
        f"{report.generated_at} · {m['cpu_count']} CPUs ({m['torch_threads']} torch threads, "
        f"{m['cpu_capability']}, native bf16: {'yes' if m['bf16_native'] else 'no'}) · "
        f"Python {m['python']} · torch {m['torch']} · onnxruntime {m['onnxruntime']} · "
        f"{m['platform']} · 1-min load average {m['load_avg_1m_start']:.2f} at start, "
        f"{m['load_avg_1m_end']:.2f} at end",
        "",
        f"Generated fictional corpus: {p['docs']} documents, {i.chunks:,} chunks "
        f"({i.chunk_chars:,} characters), seed {p['seed']}. Wall-clock timings from one run; "
        "they vary between runs and machines (and with other work on the machine: see the load "
        "average) — compare runs on the same machine only. Ask latency is measured on a store "
        f"ingested with sentence vectors {'on' if p.get('sentence_vectors') else 'off'} "
        "(`BRIEFING_SENTENCE_VECTORS`; on, answering looks them up instead of encoding them).",
        "",
        "## Summary",
        "",
        *_summary(report),
        "",
        "## Raw encoders (same chunk texts)",
        "",
        *_encoders(report),
        "",
        *_selector(report),
        "## Ingest",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Timing | best of {i.rounds} interleaved rounds (raw encoders, then ingest) |",
        f"| Ingest, default: chunks only (encoder: {i.ingest_encoder}) | "
        f"{_n(i.ingest_s, 2)} s · {_n(i.ingest_chunks_per_s)} chunks/s · "
        f"{_n(i.ingest_chars_per_s, 0)} chars/s |",
        f"| Fastest accurate raw encoder ({i.raw_encoder}) | {_n(i.raw_chunks_per_s)} chunks/s |",
        f"| Ingest (default) ÷ raw encoder | {i.ingest_to_raw_ratio:.2f} |",
        f"| Ingest with the sentence-vector sidecar (opt-in; + {i.sentences:,} sentences) | "
        f"{_n(i.full_ingest_s, 2)} s · {_n(i.full_chunks_per_s)} chunks/s |",
        f"| Raw encoder on the sentences | {_n(i.raw_sentences_s, 2)} s |",
        f"| Ingest with the sidecar ÷ raw encoder on chunks + sentences | "
        f"{i.full_to_raw_ratio:.2f} |",
        f"| Re-ingest, unchanged corpus | {_n(i.reingest_s, 2)} s · "
        f"{i.reingest_chunks_written} chunks written · "
        f"{i.reingest_documents_unchanged} documents unchanged |",
        f"| Assistant open (store, manifest; model already loaded) | "
        f"{_n(i.assistant_load_s, 2)} s |",
        "",
        *_collection(report.collection),
        "## Ask latency at the real corpus (warm, in-process, after 3 warm-up asks)",
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
        "## Ask latency as the store grows (warm, in-process, ms)",
        "",
        "The smallest store is the real corpus. **Larger stores are filled with synthetic "
        "vectors**: copies of real chunks (same text, document, offsets) whose vectors are the "
        "real embedding plus Gaussian noise (cosine ≈ 0.86 to it), because embedding 100k "
        "chunks would take most of an hour here. `ask` = whole pipeline; `retrieve` = question "
        "embedding + vector search + manifest join; `search` = vector search alone.",
        "",
        *_scale(report),
        "",
        "## HTTP (`POST /chat`)",
        "",
        *_http(report),
        "",
        *_hosts(report.hosts),
        "## Peer comparison: LlamaIndex",
        "",
        *_peer(report),
        "",
        "## Cold CLI start (fresh process, seed corpus ingested, ONNX export cached)",
        "",
        "| Command | runs | min s | median s | peak RSS MiB |",
        "|---|---|---|---|---|",
        f"| `briefing ask --json \"{c.question}\"` | {c.runs} | {_n(c.ask_min_s, 2)} "
        f"| {_n(c.ask_median_s, 2)} | {_n(c.ask_peak_rss_mb, 0)} |",
        f"| same, `BRIEFING_QUERY_ENCODER=torch` | 1 | {_n(c.torch_ask_s, 2)} "
        f"| {_n(c.torch_ask_s, 2)} | {_n(c.torch_ask_peak_rss_mb, 0)} |",
        f"| `briefing --help` | {c.runs} | {_n(c.help_min_s, 2)} | {_n(c.help_median_s, 2)} "
        "| |",
        "",
        f"Cold answer: {'abstained' if c.abstained else _cell(c.answer)}",
        "",
        f"Peak RSS of the benchmark process (torch model, 100k store, HTTP server): "
        f"{_n(report.peak_rss_mb, 0)} MiB. Total benchmark wall time: {_n(report.total_s)} s.",
        "",
    ])  # fmt: skip
