"""The answer selector's cost: one `score` call for 10, 30 and 60 candidate sentences.

Candidates are the seed article's sentences (real lengths, so length bucketing is measured as
the answerer sees it), repeated as needed; a warm-up call first, then the median of `runs`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.answering.selector import AnswerSelector
from assistant.intake.chunking import sentence_spans
from bench.stats import LatencyStats, summarize

QUESTION = "Which Japanese minister was dispatched to Washington for the negotiations?"
TITLE = "Trump to attend Japan tariff talks"


@dataclass(frozen=True)
class SelectorResult:
    model: str
    candidates: tuple[tuple[int, LatencyStats], ...]  # (candidates per call, latency)


def run_selector_bench(
    selector: AnswerSelector, corpus: Path, say: Callable[[str], None], runs: int = 30
) -> SelectorResult:
    texts = []
    for path in sorted(corpus.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in sentence_spans(text) if e - s > 40]
    results = []
    for count in (10, 30, 60):
        candidates = [(TITLE, t) for t in (texts * (count // max(len(texts), 1) + 1))[:count]]
        selector.score(QUESTION, candidates)
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            selector.score(QUESTION, candidates)
            seconds.append(time.perf_counter() - started)
        results.append((count, summarize(seconds)))
        say(f"selector: {count} candidates p50 {results[-1][1].p50_ms:.1f} ms")
    return SelectorResult(str(selector.folder), tuple(results))
