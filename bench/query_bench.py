"""Warm, in-process `Assistant.ask` latency: first asks, then the same questions again.

The second pass takes the cache-hit path (the question's embedding is already in the
`VectorCache`), so the gap between the two is the encoder's share of a first ask.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from bench.corpus_gen import BenchQuestion
from bench.stats import LatencyStats, summarize

SEED_QUESTION = BenchQuestion(
    "What tariff rate does Japan face?", "trump-japan-trade-talks", expected="24%"
)
#: Not among the measured questions, so warming up does not pre-fill their cache entries.
WARM_UP_QUESTIONS = (
    "Which companies announced new investments?",
    "What did the central bank decide?",
    "Who leads the opposition?",
)


@dataclass(frozen=True)
class QueryResult:
    questions: int
    first: LatencyStats  # each question asked for the first time
    repeat: LatencyStats  # the same questions again (cache-hit path)
    answered: int  # first-pass answers that did not abstain
    expected_found: int  # first-pass answers containing the expected figure
    seed_question: str
    seed_answer: str
    seed_abstained: bool
    seed_first_ms: float


def _timed_asks(
    assistant: Assistant, questions: Sequence[BenchQuestion]
) -> list[tuple[float, str, bool]]:
    results = []
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question.text)
        results.append((time.perf_counter() - started, answer.answer, answer.abstained))
    return results


def run_query_bench(
    assistant: Assistant,
    questions: Sequence[BenchQuestion],
    seed_corpus: Path,
    say: Callable[[str], None] = lambda _: None,
) -> QueryResult:
    """Add the seed corpus, warm up with 3 asks, then time every question twice."""
    say(f"ingest seed corpus: {seed_corpus}")
    assistant.ingest([seed_corpus])
    measured = [*questions, SEED_QUESTION]
    for text in WARM_UP_QUESTIONS:
        assistant.ask(text)

    say(f"ask: {len(measured)} questions, first pass")
    first = _timed_asks(assistant, measured)
    say(f"ask: {len(measured)} questions, repeated (cache hits)")
    repeat = _timed_asks(assistant, measured)

    seed_s, seed_answer, seed_abstained = first[-1]
    return QueryResult(
        questions=len(measured),
        first=summarize([s for s, _, _ in first]),
        repeat=summarize([s for s, _, _ in repeat]),
        answered=sum(not abstained for _, _, abstained in first),
        expected_found=sum(
            q.expected in answer for q, (_, answer, _) in zip(measured, first, strict=True)
        ),
        seed_question=SEED_QUESTION.text,
        seed_answer=seed_answer,
        seed_abstained=seed_abstained,
        seed_first_ms=seed_s * 1000,
    )
