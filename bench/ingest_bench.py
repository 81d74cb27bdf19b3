"""Ingest throughput through `Assistant.ingest`, against the fastest accurate raw encoder.

The ratio ingest/raw shows how much of the encoder's speed the full pipeline (loading, chunking,
Chroma writes, manifest) keeps; re-ingesting the unchanged corpus should write nothing. Ingest is
timed twice: the default (chunks only: the same text as the raw encoder) and with the opt-in
sentence-vector sidecar, which also encodes every chunk's sentences
(`assistant.search.sentence_vectors`).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.intake.chunking import chunk_document
from assistant.intake.loading import load_paths
from assistant.search.embeddings import SentenceEmbeddings
from assistant.search.sentence_vectors import sentence_texts
from assistant.types import Chunk
from bench.encoders import EncoderResult, raw_encoders

_WARM_UP_TEXTS = 16


@dataclass(frozen=True)
class IngestResult:
    """Best of `rounds` interleaved timings each: raw encoders, then ingest, on the same texts."""

    documents: int
    chunks: int
    chunk_chars: int
    assistant_load_s: float  # Assistant(settings, loaded model): Chroma, SQLite
    ingest_encoder: str  # what ingest embedded with: onnx-fp32, torch-fp32 or torch-bf16
    ingest_s: float  # the default, chunks only: what the raw encoder is compared with
    ingest_chunks_per_s: float
    ingest_chars_per_s: float  # characters of chunk text embedded and stored per second
    raw_encoder: str  # the fastest accurate raw encoder, best of the interleaved rounds
    raw_chunks_per_s: float
    ingest_to_raw_ratio: float  # ingest chunks/s ÷ fastest accurate raw encoder chunks/s
    reingest_s: float
    reingest_chunks_written: int
    reingest_documents_unchanged: int
    rounds: int = 1
    sentences: int = 0  # distinct candidate sentences in the chunks (sentence vectors)
    raw_sentences_s: float = 0.0  # the fastest raw encoder on those sentences
    full_ingest_s: float = 0.0  # with the opt-in sidecar: chunks and their sentence vectors
    full_chunks_per_s: float = 0.0
    full_to_raw_ratio: float = 0.0  # full ingest ÷ raw encoder on chunks + sentences


def bench_settings(data_dir: Path, corpus_dir: Path, models: Path) -> Settings:
    """Default settings on `data_dir`, with the run's shared ONNX cache and no API rate limit
    (the HTTP benchmark sends hundreds of requests from one client)."""
    return Settings(
        data_dir=data_dir, corpus_dir=corpus_dir, model_cache_dir=models,
        rate_limit_per_minute=0, _env_file=None,
    )  # fmt: skip


def open_assistant(settings: Settings, embeddings: SentenceEmbeddings) -> tuple[Assistant, float]:
    """A fresh Assistant sharing the loaded `embeddings`; returns it and its open time."""
    started = time.perf_counter()
    assistant = Assistant(settings, embeddings)
    return assistant, time.perf_counter() - started


def corpus_chunks(settings: Settings, corpus_dir: Path) -> list[Chunk]:
    """The chunks ingest will write, built the way the ingestor builds them."""
    loaded = load_paths([corpus_dir], max_bytes=settings.max_file_bytes)
    return [
        chunk
        for doc in loaded.documents
        for chunk in chunk_document(
            doc, max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars
        )
    ]


def chunk_texts(settings: Settings, corpus_dir: Path) -> list[str]:
    """The chunk texts ingest will embed."""
    return [chunk.text for chunk in corpus_chunks(settings, corpus_dir)]


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def run_ingest_bench(
    settings: Settings,
    embeddings: SentenceEmbeddings,
    raw: EncoderResult,
    rounds: int = 3,
    say: Callable[[str], None] = lambda _: None,
    *,
    sentence_vectors: bool = False,
) -> tuple[IngestResult, Assistant]:
    """Time, `rounds` times in turn, each accurate raw encoder on the chunk texts, ingest with
    sentence vectors off (the default), the fastest raw encoder on the sentences, and ingest
    with them on — each into a fresh data dir — and keep the best of each (the machine is
    shared: the best run is the one least disturbed, and interleaving exposes every timing to
    the same load).

    Returns the result and the last ingested Assistant for the query benchmarks: the one with
    sentence vectors off (the default) or, with `sentence_vectors`, on.
    """
    chunks = corpus_chunks(settings, settings.corpus_dir)
    texts = [c.text for c in chunks]
    if not texts:
        raise ValueError(f"no chunks in {settings.corpus_dir}")
    sentences = list(dict.fromkeys(t for c in chunks for t in sentence_texts(c)))
    encoders = raw_encoders(embeddings)
    accurate = [r.name for r in raw.runs if r.accurate and r.name in encoders]
    fastest = raw.fastest_accurate
    best: dict[str, float] = {}
    assistant: Assistant | None = None
    load_s = 0.0

    def keep(name: str, seconds: float) -> None:
        best[name] = min(seconds, best.get(name, seconds))

    def ingest(name: str, sentence_vectors: bool) -> Assistant:
        nonlocal load_s
        data = settings.data_dir / name
        shutil.rmtree(data, ignore_errors=True)
        fresh = settings.model_copy(update={"data_dir": data, "sentence_vectors": sentence_vectors})
        opened, load_s = open_assistant(fresh, embeddings)
        seconds = _timed(opened.ingest)
        if opened.store.count() != len(texts):
            raise RuntimeError(f"ingest stored {opened.store.count()} chunks, not {len(texts)}")
        keep("full" if sentence_vectors else "plain", seconds)
        return opened

    for n in range(1, rounds + 1):
        say(f"ingest round {n}/{rounds}: raw {', '.join(accurate)}; ingest; sentences; ingest")
        for name in accurate:
            encoders[name](texts[:_WARM_UP_TEXTS])
            keep(name, _timed(lambda e=encoders[name]: e(texts)))
        plain = ingest(f"plain-{n}", False)
        keep("sentences", _timed(lambda: encoders[fastest](sentences)))
        full = ingest(f"full-{n}", True)
        if assistant is not None:
            assistant.close()
        assistant, unused = (full, plain) if sentence_vectors else (plain, full)
        unused.close()
    assert assistant is not None

    say("re-ingest of the unchanged corpus")
    started = time.perf_counter()
    again = assistant.ingest()
    reingest_s = time.perf_counter() - started

    raw_name = min(accurate, key=lambda name: best[name])
    raw_rate = len(texts) / best[raw_name]
    rate, full_rate = len(texts) / best["plain"], len(texts) / best["full"]
    encoder = embeddings.ingest_encoder
    loaded = load_paths([settings.corpus_dir], max_bytes=settings.max_file_bytes)
    result = IngestResult(
        documents=len(loaded.documents), chunks=len(texts), chunk_chars=sum(map(len, texts)),
        assistant_load_s=load_s, ingest_encoder=encoder or type(embeddings).__name__,
        ingest_s=best["plain"], ingest_chunks_per_s=rate,
        ingest_chars_per_s=sum(map(len, texts)) / best["plain"], raw_encoder=raw_name,
        raw_chunks_per_s=raw_rate, ingest_to_raw_ratio=rate / raw_rate, reingest_s=reingest_s,
        reingest_chunks_written=again.chunks_written,
        reingest_documents_unchanged=again.documents_unchanged, rounds=rounds,
        sentences=len(sentences), raw_sentences_s=best["sentences"], full_ingest_s=best["full"],
        full_chunks_per_s=full_rate,
        full_to_raw_ratio=(best[fastest] + best["sentences"]) / best["full"],
    )  # fmt: skip
    return result, assistant
