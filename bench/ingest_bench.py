"""Ingest throughput through `Assistant.ingest`, against the raw encoder on the same chunks.

The ratio ingest/raw shows how much of the encoder's speed the full pipeline (loading, chunking,
Chroma writes, manifest) keeps; re-ingesting the unchanged corpus should write nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from assistant.chunking import chunk_document
from assistant.config import Settings
from assistant.documents import load_paths
from assistant.embeddings import resolve_model_path

RAW_BATCH_SIZE = 64
_WARM_UP_TEXTS = 64


@dataclass(frozen=True)
class IngestResult:
    documents: int
    chunks: int
    chunk_chars: int
    assistant_load_s: float  # Assistant(settings): embedding model, Chroma, SQLite
    ingest_s: float
    ingest_chunks_per_s: float
    ingest_chars_per_s: float  # characters of chunk text embedded and stored per second
    raw_model: str
    raw_load_s: float
    raw_encode_s: float
    raw_chunks_per_s: float
    ingest_to_raw_ratio: float  # ingest chunks/s ÷ raw encoder chunks/s
    reingest_s: float
    reingest_chunks_written: int
    reingest_documents_unchanged: int


def open_assistant(data_dir: Path, corpus_dir: Path) -> tuple[Assistant, float]:
    """A fresh Assistant on `data_dir` with default settings; returns it and its load time."""
    settings = Settings(data_dir=data_dir, corpus_dir=corpus_dir, _env_file=None)
    started = time.perf_counter()
    assistant = Assistant(settings)
    return assistant, time.perf_counter() - started


def chunk_texts(settings: Settings, corpus_dir: Path) -> list[str]:
    """The chunk texts ingest will embed, built the way the ingestor builds them."""
    loaded = load_paths([corpus_dir], max_bytes=settings.max_file_bytes)
    return [
        chunk.text
        for doc in loaded.documents
        for chunk in chunk_document(
            doc, max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars
        )
    ]


def _raw_encode(model_name: str, texts: list[str]) -> tuple[float, float]:
    """(load seconds, encode seconds) for sentence-transformers used directly, after a warm-up."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the packaged weights are on disk
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(resolve_model_path(model_name), device="cpu")
    loaded = time.perf_counter() - started
    model.encode(texts[:_WARM_UP_TEXTS], batch_size=RAW_BATCH_SIZE, normalize_embeddings=True)
    started = time.perf_counter()
    model.encode(texts, batch_size=RAW_BATCH_SIZE, normalize_embeddings=True)
    return loaded, time.perf_counter() - started


def run_ingest_bench(
    assistant: Assistant,
    corpus_dir: Path,
    assistant_load_s: float,
    say: Callable[[str], None] = lambda _: None,
) -> IngestResult:
    """Ingest `corpus_dir` into `assistant` (fresh data dir), time the raw encoder, re-ingest."""
    settings = assistant.settings
    texts = chunk_texts(settings, corpus_dir)
    if not texts:
        raise ValueError(f"no chunks in {corpus_dir}")

    say(f"raw encoder: {len(texts)} chunks, batch {RAW_BATCH_SIZE}")
    raw_load_s, raw_encode_s = _raw_encode(settings.embedding_model, texts)

    say(f"ingest: {corpus_dir}")
    assistant.embeddings.embed_documents(texts[:_WARM_UP_TEXTS])  # same warm-up as the raw run
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

    chars = sum(len(t) for t in texts)
    ingest_rate = len(texts) / ingest_s
    raw_rate = len(texts) / raw_encode_s
    return IngestResult(
        documents=report.documents_seen,
        chunks=len(texts),
        chunk_chars=chars,
        assistant_load_s=assistant_load_s,
        ingest_s=ingest_s,
        ingest_chunks_per_s=ingest_rate,
        ingest_chars_per_s=chars / ingest_s,
        raw_model=settings.embedding_model,
        raw_load_s=raw_load_s,
        raw_encode_s=raw_encode_s,
        raw_chunks_per_s=raw_rate,
        ingest_to_raw_ratio=ingest_rate / raw_rate,
        reingest_s=reingest_s,
        reingest_chunks_written=again.chunks_written,
        reingest_documents_unchanged=again.documents_unchanged,
    )
