"""Ask latency as the store grows (1k, 10k, 100k chunks), warm and in-process.

The smallest size is the generated corpus ingested for real (plus the seed article). Larger
sizes are filled with **synthetic vectors**, because embedding 100k chunks would take most of an
hour on a 2-core machine: each synthetic chunk copies the text, document and offsets of a real
chunk, and its vector is that chunk's real embedding plus Gaussian noise (cosine ≈ 0.86 to the
original), renormalised. The index therefore holds a news-like cloud of vectors full of near
neighbours, and every hit still maps to a real document in the manifest. Answers at the larger
sizes quote the same sentences as at 1k; only the latency is the point.

At each size the question-vector cache is cleared, three warm-up questions are asked, then every
question once: `ask` is the whole pipeline, `retrieve` question embedding + vector search +
manifest join, `search` the vector search alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.assistant import Assistant
from assistant.types import Chunk
from bench.corpus_gen import BenchQuestion
from bench.query_bench import WARM_UP_QUESTIONS
from bench.stats import LatencyStats, current_rss_mb, summarize

NOISE = 0.03  # per-dimension σ of the noise: cosine to the source ≈ 1/√(1 + dims·σ²)
SEED = 11


@dataclass(frozen=True)
class SizeResult:
    target: int
    chunks: int  # in the store when measured
    synthetic: int  # of which synthetic
    fill_s: float  # inserting this step's synthetic vectors
    fill_per_s: float
    ask: LatencyStats
    retrieve: LatencyStats
    search: LatencyStats
    answered: int
    expected_found: int
    rss_mb: float  # the benchmark process after this size


class SyntheticFiller:
    """Adds perturbed copies of real chunks to the store, in the store's max batch size."""

    def __init__(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        if len(chunks) != len(vectors) or not chunks:
            raise ValueError("need as many real vectors as real chunks, and at least one")
        self._chunks = list(chunks)
        self._vectors = vectors.astype(np.float32)
        self._rng = np.random.default_rng(SEED)
        self.added = 0

    def fill(self, assistant: Assistant, target: int) -> tuple[int, float]:
        """Top the store up to `target` chunks; (added, seconds)."""
        store = assistant.store
        missing = target - store.count()
        started = time.perf_counter()
        done = 0
        while done < missing:
            n = min(store.max_batch, missing - done)
            sources = self._rng.integers(0, len(self._chunks), n)
            noise = self._rng.normal(0, NOISE, (n, self._vectors.shape[1])).astype(np.float32)
            vectors = self._vectors[sources] + noise
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            chunks = [self._copy(self._chunks[s], self.added + i) for i, s in enumerate(sources)]
            store.add_vectors(chunks, vectors.tolist())
            done += n
            self.added += n
        return max(done, 0), time.perf_counter() - started

    @staticmethod
    def _copy(chunk: Chunk, n: int) -> Chunk:
        return Chunk(f"synthetic-{n:07d}", chunk.doc_id, chunk.index, chunk.text, chunk.start,
                     chunk.end)  # fmt: skip


def measure(
    assistant: Assistant, questions: Sequence[BenchQuestion]
) -> tuple[LatencyStats, LatencyStats, LatencyStats, int, int]:
    """(ask, retrieve, search, answered, expected_found) over `questions`, cache cleared."""
    assistant.vectors.clear()
    for text in WARM_UP_QUESTIONS:
        assistant.ask(text)
    k = assistant.settings.top_k
    ask_s, answers = [], []
    for q in questions:
        started = time.perf_counter()
        answer = assistant.ask(q.text)
        ask_s.append(time.perf_counter() - started)
        answers.append(answer)
    assistant.vectors.clear()
    retrieve_s = []
    for q in questions:
        started = time.perf_counter()
        assistant.retriever.retrieve(q.text, k)
        retrieve_s.append(time.perf_counter() - started)
    vectors = [assistant.vectors.query(q.text) for q in questions]  # cached now
    search_s = []
    for vector in vectors:
        started = time.perf_counter()
        assistant.store.search(vector, k)
        search_s.append(time.perf_counter() - started)
    return (
        summarize(ask_s), summarize(retrieve_s), summarize(search_s),
        sum(not a.abstained for a in answers),
        sum(q.expected in a.answer for q, a in zip(questions, answers, strict=True)),
    )  # fmt: skip


def run_size(
    assistant: Assistant,
    filler: SyntheticFiller,
    target: int,
    questions: Sequence[BenchQuestion],
    say: Callable[[str], None] = lambda _: None,
) -> SizeResult:
    added, fill_s = filler.fill(assistant, target)
    if added:
        say(f"scale: added {added:,} synthetic chunks in {fill_s:.1f} s")
    chunks = assistant.store.count()
    say(f"scale: {chunks:,} chunks, {len(questions)} questions")
    ask, retrieve, search, answered, found = measure(assistant, questions)
    return SizeResult(
        target=target, chunks=chunks, synthetic=filler.added, fill_s=fill_s,
        fill_per_s=added / fill_s if added and fill_s else 0.0, ask=ask, retrieve=retrieve,
        search=search, answered=answered, expected_found=found, rss_mb=current_rss_mb(),
    )  # fmt: skip
