"""Retrieval with and without diversity: copies collapsed or not, per-document caps.

    python -m evals.diversity --corpus C.jsonl --questions Q.jsonl [--caps 0,1,2,3,4]
                              [--answers] [--store DIR] [--out reports/eval-diversity.md]

Ingests the corpus once (the same private store `briefing eval --corpus` uses), then scores
each variant — near-duplicate grouping off or on (the configured threshold), times each
per-document cap (0: none): Hits@1/4/10 and MRR@10 over the answerable questions, the distinct
documents and stories in the top 10, and with --answers answer quality and citation precision.
Used to choose the defaults (README, "Syndicated copies and diversity").
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.assistant import Assistant
from assistant.config import Settings, get_settings
from assistant.index.syndication import StoryIndex
from evals import qa_metrics as m
from evals.external import RETRIEVAL_DEPTH, retrieval_metrics, run_items, summarise
from evals.jsonl import QAItem, load_questions
from evals.workspace import eval_settings


@dataclass(frozen=True)
class Variant:
    grouped: bool
    cap: int | None

    @property
    def label(self) -> str:
        cap = f"cap {self.cap}" if self.cap else "no cap"
        return f"{'copies collapsed' if self.grouped else 'copies kept'}, {cap}"


def score(
    assistant: Assistant, items: Sequence[QAItem], grouping: StoryIndex | None
) -> dict[str, Any]:
    """Retrieval metrics; `grouping` tells which documents are copies of one story."""
    ranks, docs, stories = [], [], []
    for item in items:
        passages = assistant.search(item.question, k=RETRIEVAL_DEPTH)
        ids = [p.doc_id for p in passages]
        ranks.append(m.first_gold_rank(ids, item.gold_doc_ids))
        docs.append(len(set(ids)))
        if grouping is not None:
            known = grouping.current()
            stories.append(len({known.story_of(i) for i in ids}))
    metrics = {name: e.value for name, e in retrieval_metrics(ranks).items()}
    metrics["distinct_documents_top10"] = statistics.fmean(docs) if docs else 0.0
    metrics["distinct_stories_top10"] = statistics.fmean(stories) if stories else 0.0
    return metrics


def answers(assistant: Assistant, items: Sequence[QAItem]) -> dict[str, Any]:
    """Answer quality and citation precision (`evals.external`), every question asked."""
    found = summarise(run_items(assistant, items), items)
    keys = ("answer_contains", "token_f1", "abstention_recall", "citation_precision")
    return {k: found[k].value for k in keys}


def run(
    settings: Settings,
    corpus: Path,
    questions: Path,
    caps: Sequence[int],
    store: Path | None,
    *,
    ask: bool = False,
) -> list[tuple[Variant, dict[str, Any]]]:
    everything = load_questions(questions)
    items = [i for i in everything if i.gold_doc_ids]
    base = eval_settings(settings, corpus, store)
    first = Assistant(base)
    try:
        first.ingest([corpus])
        rows = []
        for grouped in (False, True):
            for cap in caps:
                variant = Variant(grouped, cap or None)
                update = {"max_passages_per_document": variant.cap}
                if not grouped:
                    update["near_duplicate_threshold"] = None
                other = Assistant(base.model_copy(update=update), embeddings=first.embeddings)
                try:
                    row = score(other, items, first.retriever.stories)
                    if ask:
                        row |= answers(other, everything)
                    rows.append((variant, row))
                finally:
                    other.close()
        return rows
    finally:
        first.close()


def to_markdown(rows: Sequence[tuple[Variant, dict[str, Any]]], corpus: Path) -> str:
    asked = bool(rows) and "answer_contains" in rows[0][1]
    head = "| variant | Hits@1 | Hits@4 | Hits@10 | MRR@10 | docs in top 10 | stories in top 10 |"
    if asked:
        head += " contains | F1 | abstention recall | citation precision |"
    lines = [f"# Retrieval diversity: {corpus}", "", head, "|---" * head.count(" | ") + "|---|"]
    for variant, r in rows:
        line = (
            f"| {variant.label} | {r['hits_at_1']:.3f} | {r['hits_at_4']:.3f} | "
            f"{r['hits_at_10']:.3f} | {r['mrr_at_10']:.3f} | "
            f"{r['distinct_documents_top10']:.2f} | {r['distinct_stories_top10']:.2f} |"
        )
        if asked:
            line += (
                f" {r['answer_contains']:.3f} | {r['token_f1']:.3f} | "
                f"{r['abstention_recall']:.3f} | {r['citation_precision']:.3f} |"
            )
        lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--caps", default="0,1,2,3,4")
    parser.add_argument("--store", type=Path)
    parser.add_argument("--answers", action="store_true", help="Also ask every question.")
    parser.add_argument("--out", type=Path, default=Path("reports/eval-diversity.md"))
    args = parser.parse_args()
    caps = [int(c) for c in args.caps.split(",")]
    rows = run(get_settings(), args.corpus, args.questions, caps, args.store, ask=args.answers)
    markdown = to_markdown(rows, args.corpus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown, encoding="utf-8")
    print(markdown)  # noqa: T201 - a command-line report


if __name__ == "__main__":
    main()
