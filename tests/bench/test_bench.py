"""The benchmark's own machinery: statistics, child-process measurement, the synthetic store
filler, the HTTP driver, the peer's skip path and the report. Nothing here asserts a timing —
benchmarks report, they do not gate CI."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from assistant.assistant import Assistant
from bench import peer as peer_module
from bench.__main__ import _parser
from bench.cold_start import ColdStartResult
from bench.corpus_gen import BenchQuestion, generate_documents
from bench.encoders import EncoderResult, EncoderRun, LoadRun
from bench.http_bench import HttpResult, HttpRun, run_http_bench
from bench.ingest_bench import IngestResult, corpus_chunks
from bench.peer import PeerResult, run_peer
from bench.query_bench import QueryResult
from bench.report import BenchReport, ratios, to_json, to_markdown
from bench.scale_bench import SizeResult, SyntheticFiller, measure
from bench.selector_bench import SelectorResult
from bench.stats import PEAK_RSS_HOOK, LatencyStats, percentile, run_measured, summarize
from tests.conftest import SEED_DOC_ID

QUESTIONS = [
    BenchQuestion("What tariff rate does Japan face?", SEED_DOC_ID, "24%"),
    BenchQuestion("What about cars?", SEED_DOC_ID, "25%"),
    BenchQuestion("Who leads the talks?", SEED_DOC_ID, ""),
]


def test_percentiles_interpolate_like_numpy() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    for q in (0, 25, 50, 90, 95, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    stats = summarize([0.001, 0.002, 0.003])
    assert (stats.n, stats.p50_ms, stats.min_ms, stats.max_ms) == (3, 2.0, 1.0, 3.0)
    with pytest.raises(ValueError):
        percentile([], 50)


def test_a_child_reports_its_own_peak_memory_not_the_parents(tmp_path: Path) -> None:
    code = PEAK_RSS_HOOK + "block = bytearray(96 * 1024 * 1024); print('done')"
    done = run_measured([sys.executable, "-c", code], env=dict(os.environ), cwd=tmp_path,
                        timeout=60)  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, "done")
    assert 96 <= done.peak_rss_mb < 96 + 200  # its own block, not this test process's memory
    assert "bench-peak-rss-kib" not in done.stderr
    assert done.seconds > 0


def test_the_generated_corpus_is_dated_in_the_past() -> None:
    # time-aware answers only use sources published up to today
    assert all(doc.published < date.today() for doc in generate_documents(30, seed=7))


def test_the_filler_tops_the_store_up_with_copies_of_real_chunks(
    fast_assistant: Assistant,
) -> None:
    real = corpus_chunks(fast_assistant.settings, fast_assistant.settings.corpus_dir)
    vectors = np.asarray(fast_assistant.embeddings.embed_documents([c.text for c in real]))
    filler = SyntheticFiller(real, vectors)
    before = fast_assistant.store.count()
    fast_assistant.store.max_batch = 7  # several write batches
    added, _ = filler.fill(fast_assistant, before + 25)
    assert (added, filler.added, fast_assistant.store.count()) == (25, 25, before + 25)
    assert filler.fill(fast_assistant, before + 25)[0] == 0  # already there
    hits = fast_assistant.store.search(vectors[0].tolist(), 30)
    synthetic = [h for h in hits if h.chunk_id.startswith("synthetic-")]
    assert synthetic, "perturbed copies sit near their source"
    assert {(h.doc_id, h.text) for h in synthetic} <= {(c.doc_id, c.text) for c in real}


def test_measure_times_every_question(fast_assistant: Assistant) -> None:
    ask, retrieve, search, answered, found = measure(fast_assistant, QUESTIONS)
    assert ask.n == retrieve.n == search.n == len(QUESTIONS)
    assert 0 <= found <= answered <= len(QUESTIONS)


@pytest.mark.integration
def test_the_http_bench_drives_a_real_server(fast_assistant: Assistant) -> None:
    questions = [q.text for q in QUESTIONS] * 4
    result = run_http_bench(fast_assistant, questions, clients=2, requests=4, max_seconds=30)
    for run, clients in ((result.sequential, 1), (result.concurrent, 2)):
        assert (run.clients, run.errors, run.first_error) == (clients, 0, "")
        assert run.requests == run.latency.n == 4
    assert result.chunks == fast_assistant.store.count()


def test_the_peer_is_skipped_when_its_packages_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(peer_module, "_installed", lambda: "llama_index.core")
    result = run_peer(tmp_path, "model", ["q"], tmp_path / "work")
    assert not result.available
    assert "make bench-deps" in result.reason


def test_the_command_line_checks_its_arguments() -> None:
    args = _parser().parse_args(["--sizes", "10000,1000", "--http-requests", "0"])
    assert (args.sizes, args.http_requests) == ([1000, 10000], 0)
    with pytest.raises(SystemExit):
        _parser().parse_args(["--sizes", "0"])


# -- the report -----------------------------------------------------------------------------------


def stats(p50: float, p95: float) -> LatencyStats:
    return LatencyStats(n=50, p50_ms=p50, p95_ms=p95, mean_ms=p50, min_ms=p50 / 2, max_ms=p95)


def size(target: int, p50: float) -> SizeResult:
    return SizeResult(target=target, chunks=target, synthetic=max(target - 1_000, 0),
                      fill_s=1.0 if target > 1_000 else 0.0, fill_per_s=900.0,
                      ask=stats(p50, p50 * 2), retrieve=stats(p50 / 2, p50), search=stats(1, 2),
                      answered=40, expected_found=35, rss_mb=800.0)  # fmt: skip


def fake_report(peer_available: bool = True) -> BenchReport:
    http_run = HttpRun(clients=1, requests=100, errors=0, seconds=4.0, requests_per_s=25.0,
                       latency=stats(40, 60), first_error="")  # fmt: skip
    peer = PeerResult(
        "LlamaIndex", peer_available, "" if peer_available else "skipped (--no-peer)",
        import_s=12.0, load_s=0.5, ingest_s=80.0, documents=200, chunks=700,
        chunk_chars=280_000, retrieve=stats(200, 500) if peer_available else None,
        peak_rss_mb=1000.0, versions={"llama-index-core": "0.14"},
        settings={"chunk_tokens": 160, "batch": 64, "top_k": 5},
    )  # fmt: skip
    return BenchReport(
        parameters={"docs": 200, "queries": 50, "seed": 7},
        machine={"cpu_count": 2, "torch_threads": 2, "cpu_capability": "AVX2",
                 "bf16_native": False, "python": "3.11", "torch": "2.13.0",
                 "onnxruntime": "1.32", "platform": "Linux", "load_avg_1m_start": 1.0,
                 "load_avg_1m_end": 2.0},
        onnx_export_s=9.0,
        encoders=EncoderResult(
            runs=(EncoderRun("torch fp32", 1000, 20.0, 50.0, 1.0, True, "reference"),
                  EncoderRun("ONNX Runtime fp32", 1000, 16.0, 62.5, 0.9999999, True, "ours")),
            fastest_accurate="ONNX Runtime fp32", fastest_accurate_chunks_per_s=62.5,
            bf16_native=False,
            loads=(LoadRun("ONNX Runtime", 0.9, 5.0, False),
                   LoadRun("torch (sentence-transformers)", 8.0, 18.0, True)),
        ),
        ingest=IngestResult(
            documents=200, chunks=1000, chunk_chars=250_000, assistant_load_s=1.0,
            ingest_encoder="onnx-fp32", ingest_s=20.0, ingest_chunks_per_s=50.0,
            ingest_chars_per_s=12_500.0, raw_encoder="ONNX Runtime fp32", raw_chunks_per_s=62.5,
            ingest_to_raw_ratio=0.8, reingest_s=0.2, reingest_chunks_written=0,
            reingest_documents_unchanged=200,
        ),
        query=QueryResult(questions=51, first=stats(14, 20), repeat=stats(6, 8), answered=40,
                          expected_found=35, seed_question="Q?", seed_answer="A | B [1]",
                          seed_abstained=False, seed_first_ms=15.0),
        scale=(size(1_000, 12), size(10_000, 20), size(100_000, 150)),
        selector=SelectorResult("packaged", ((10, stats(30, 40)), (30, stats(80, 95)))),
        http=HttpResult(10_000, http_run, http_run),
        peer=peer,
        cold_start=ColdStartResult(
            runs=3, ask_s=(3.0, 3.5, 4.0), ask_min_s=3.0, ask_median_s=3.5, ask_peak_rss_mb=300,
            torch_ask_s=12.0, torch_ask_peak_rss_mb=600, help_s=(0.5,), help_min_s=0.5,
            help_median_s=0.5, question="Q?", answer="A.", abstained=False,
        ),
        peak_rss_mb=1_700.0, total_s=480.0, generated_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip


def test_the_report_shows_each_figure_against_its_goal() -> None:
    markdown = to_markdown(fake_report())
    for heading in ("## Summary", "## Raw encoders", "## Ingest", "## HTTP",
                    "## Peer comparison: LlamaIndex", "## Cold CLI start"):  # fmt: skip
        assert heading in markdown
    assert "| 0.80 | ≥ 0.9 ✗ missed |" in markdown  # ingest ratio below its goal
    assert "≤ 75 ms ✓" in markdown  # 20 ms at 10k (the goal with the answer selector)
    assert "| 30 candidates |" in markdown
    assert "≤ 100 ms ✗ missed" in markdown  # 150 ms at 100k
    assert "synthetic vectors" in markdown
    assert "A \\| B [1]" in markdown  # table cells are escaped


def test_the_report_says_whether_sentence_vectors_were_on() -> None:
    report = fake_report()
    assert "sentence vectors off" in to_markdown(report)  # older reports: the default
    on = replace(report, parameters={**report.parameters, "sentence_vectors": True})
    assert "sentence vectors on" in to_markdown(on)


def test_ratios_are_briefing_over_the_peer() -> None:
    r = ratios(fake_report())
    assert r["ingest_time_vs_peer"] == pytest.approx(20.0 / 80.0)
    assert r["retrieve_p50_vs_peer"] == pytest.approx(6.0 / 200.0)  # 1k retrieve p50 = 12 / 2
    assert r["ask_p50_vs_peer_retrieve"] == pytest.approx(12.0 / 200.0)


def test_a_skipped_peer_is_reported_not_failed() -> None:
    report = fake_report(peer_available=False)
    assert "Skipped: skipped (--no-peer)" in to_markdown(report)
    data = json.loads(json.dumps(to_json(report)))
    assert data["ratios"] == {"ingest_to_raw": 0.8}
    assert data["schema_version"] == 5
