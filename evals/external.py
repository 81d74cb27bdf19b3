"""Run an external question set (questions JSONL) against an assistant and score every item.

Per item: the rank of the first retrieved passage from a gold document (top 10), the answer
scored SQuAD-style against the gold answers, whether it abstained, each citation checked against
the claim that cites it (`evals.citecheck`), and the latency of the answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.assistant import Assistant
from evals import qa_metrics as m
from evals.citecheck import check_answer
from evals.jsonl import QAItem
from evals.metrics import percentile

RETRIEVAL_DEPTH = 10
_MARKER = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class ItemResult:
    id: str
    question: str
    answerable: bool
    abstained: bool
    answer: str
    gold_rank: int | None  # rank of the first passage from a gold doc, within the top 10
    contains: float
    exact_match: float
    f1: float
    citations: int  # (claim, citation) pairs checked
    citations_supported: int
    claims: int
    claims_supported: int
    numeric_claims: int
    numeric_claims_grounded: int
    latency_ms: float


def retrieval_rank(assistant: Assistant, item: QAItem) -> int | None:
    if not item.gold_doc_ids:
        return None
    passages = assistant.search(item.question, k=RETRIEVAL_DEPTH)
    return m.first_gold_rank([p.doc_id for p in passages], item.gold_doc_ids)


def run_item(assistant: Assistant, item: QAItem) -> ItemResult:
    rank = retrieval_rank(assistant, item)
    started = time.perf_counter()
    answer = assistant.ask(item.question)
    latency_ms = (time.perf_counter() - started) * 1000
    text = "" if answer.abstained else _MARKER.sub("", answer.answer).strip()
    checks = check_answer(answer)
    numeric = [c for c in checks if c.has_numbers]
    return ItemResult(
        id=item.id,
        question=item.question,
        answerable=item.answerable,
        abstained=answer.abstained,
        answer=answer.answer,
        gold_rank=rank,
        contains=m.contains(text, item.answers) if item.answers else 0.0,
        exact_match=m.exact_match(text, item.answers) if item.answers else 0.0,
        f1=m.token_f1(text, item.answers) if item.answers else 0.0,
        citations=sum(len(c.markers) for c in checks),
        citations_supported=sum(len(c.supported_markers) for c in checks),
        claims=len(checks),
        claims_supported=sum(c.supported for c in checks),
        numeric_claims=len(numeric),
        numeric_claims_grounded=sum(c.numbers_grounded for c in numeric),
        latency_ms=latency_ms,
    )


def run_items(
    assistant: Assistant,
    items: Sequence[QAItem],
    on_item: Callable[[ItemResult], None] | None = None,
) -> tuple[ItemResult, ...]:
    results = []
    for item in items:
        result = run_item(assistant, item)
        results.append(result)
        if on_item is not None:
            on_item(result)
    return tuple(results)


def retrieval_metrics(ranks: Sequence[int | None]) -> dict[str, m.Estimate]:
    """Hits@1/4/10 (Wilson) and MRR@10 (bootstrap) over items that have gold documents."""
    return {
        "hits_at_1": m.proportion([m.hit_at(r, 1) for r in ranks]),
        "hits_at_4": m.proportion([m.hit_at(r, 4) for r in ranks]),
        "hits_at_10": m.proportion([m.hit_at(r, 10) for r in ranks]),
        "mrr_at_10": m.bootstrap([m.reciprocal_rank(r, 10) for r in ranks]),
    }


def summarise(results: Sequence[ItemResult], items: Sequence[QAItem]) -> dict[str, m.Estimate]:
    """Every headline metric with its 95% interval (see `evals.qa_metrics`)."""
    gold = [r.gold_rank for r, i in zip(results, items, strict=True) if i.gold_doc_ids]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    abstained = [r for r in results if r.abstained]
    latencies = [r.latency_ms for r in results]
    return {
        **retrieval_metrics(gold),
        "answer_contains": m.proportion([r.contains for r in answerable]),
        "exact_match": m.proportion([r.exact_match for r in answerable]),
        "token_f1": m.bootstrap([r.f1 for r in answerable]),
        "abstention_precision": m.wilson(sum(not r.answerable for r in abstained), len(abstained)),
        "abstention_recall": m.wilson(sum(r.abstained for r in unanswerable), len(unanswerable)),
        "citation_precision": m.wilson(
            sum(r.citations_supported for r in results), sum(r.citations for r in results)
        ),
        "claim_support": m.wilson(
            sum(r.claims_supported for r in results), sum(r.claims for r in results)
        ),
        "numbers_grounded": m.wilson(
            sum(r.numeric_claims_grounded for r in results),
            sum(r.numeric_claims for r in results),
        ),
        "latency_p50_ms": m.bootstrap(latencies, lambda v: percentile(v, 50)),
        "latency_p95_ms": m.bootstrap(latencies, lambda v: percentile(v, 95)),
    }
