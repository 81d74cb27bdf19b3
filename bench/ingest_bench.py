"""Ingest throughput through `Assistant.ingest`, against the fastest accurate raw encoder.

The ratio ingest/raw shows how much of the encoder's speed the full pipeline (loading, chunking,
Chroma writes, manifest) keeps; re-ingesting the unchanged corpus should write nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from assistant.chunking import chunk_document
from assistant.config import Settings
from assistant.documents import load_paths
from assistant.embeddings import SentenceEmbeddings, for_ingest
from assistant.types import Chunk
from bench.encoders import EncoderResult

_WARM_UP_TEXTS = 16


@dataclass(frozen=True)
class IngestResult:
    documents: int
    chunks: int
    chunk_chars: int
    assistant_load_s: float  # Assistant(settings, loaded model): Chroma, SQLite
    ingest_encoder: str  # what ingest embedded with: onnx-fp32, torch-fp32 or torch-bf16
    ingest_s: float
    ingest_chunks_per_s: float
    ingest_chars_per_s: float  # characters of chunk text embedded and stored per second
    raw_encoder: str  # the fastest accurate raw encoder (see bench/encoders.py)
    raw_chunks_per_s: float
    ingest_to_raw_ratio: float  # ingest chunks/s ÷ fastest accurate raw encoder chunks/s
    reingest_s: float
    reingest_chunks_written: int
    reingest_documents_unchanged: int


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


def run_ingest_bench(
    assistant: Assistant,
    corpus_dir: Path,
    assistant_load_s: float,
    raw: EncoderResult,
    say: Callable[[str], None] = lambda _: None,
) -> IngestResult:
    """Ingest `corpus_dir` into `assistant` (fresh data dir), then re-ingest it unchanged."""
    texts = chunk_texts(assistant.settings, corpus_dir)
    if not texts:
        raise ValueError(f"no chunks in {corpus_dir}")
    say(f"ingest: {corpus_dir} ({len(texts)} chunks)")
    # the raw runs were warmed up the same way
    for_ingest(assistant.embeddings).embed_documents(texts[:_WARM_UP_TEXTS])
    started = time.perf_counter()
    report = assistant.ingest([corpus_dir])
    ingest_s = time.perf_counter() - started
    if report.chunks_written != len(texts):
        raise RuntimeError(
            f"ingest wrote {report.chunks_written} chunks; the chunker made {len(texts)}"
        )

    say("re-ingest of the unchanged corpus")
    started = time.perf_counter()
    again = assistant.ingest([corpus_dir])
    reingest_s = time.perf_counter() - started

    embeddings = assistant.embeddings
    encoder = embeddings.ingest_encoder if isinstance(embeddings, SentenceEmbeddings) else None
    chars = sum(len(t) for t in texts)
    rate = len(texts) / ingest_s
    return IngestResult(
        documents=report.documents_seen,
        chunks=len(texts),
        chunk_chars=chars,
        assistant_load_s=assistant_load_s,
        ingest_encoder=encoder or type(embeddings).__name__,
        ingest_s=ingest_s,
        ingest_chunks_per_s=rate,
        ingest_chars_per_s=chars / ingest_s,
        raw_encoder=raw.fastest_accurate,
        raw_chunks_per_s=raw.fastest_accurate_chunks_per_s,
        ingest_to_raw_ratio=rate / raw.fastest_accurate_chunks_per_s,
        reingest_s=reingest_s,
        reingest_chunks_written=again.chunks_written,
        reingest_documents_unchanged=again.documents_unchanged,
    )
