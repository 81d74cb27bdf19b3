"""Briefings for the façade: choose the evidence pool, build, and compare with a saved one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.briefs.builder import build
from assistant.types import Briefing, Passage

if TYPE_CHECKING:
    from assistant.assistant import Assistant

MAX_POOL_DOCS = 30  # a whole-corpus briefing reads the most recent documents
TOPIC_RELEVANCE = 0.8  # share of the abstain threshold a topic sentence must reach


def _pool(assistant: Assistant, topic: str | None) -> list[Passage]:
    if topic:
        passages = assistant.retriever.retrieve(topic, max(assistant.settings.top_k * 3, 12))
        threshold = assistant.answerer.threshold * TOPIC_RELEVANCE
        scored = assistant.answerer.score(topic, topic, [], passages)
        keep = {(s.evidence.passage.doc_id, s.evidence.start, s.evidence.end)
                for s in scored if s.score >= threshold}  # fmt: skip
        # one passage per kept sentence, so the builder sees only what bears on the topic
        return [
            Passage(
                chunk_id=f"{s.evidence.passage.chunk_id}@{s.evidence.start}",
                doc_id=s.evidence.passage.doc_id, title=s.evidence.passage.title,
                text=s.evidence.text, start=s.evidence.start, end=s.evidence.end,
                score=s.score, published=s.evidence.passage.published,
                source=s.evidence.passage.source,
            )
            for s in sorted(scored, key=lambda s: (s.evidence.passage.doc_id, s.evidence.start))
            if (s.evidence.passage.doc_id, s.evidence.start, s.evidence.end) in keep
        ]  # fmt: skip
    entries = sorted(
        assistant.manifest.entries(),
        key=lambda e: (e.document.published is not None, e.document.published, e.document.id),
        reverse=True,
    )[:MAX_POOL_DOCS]
    return [
        Passage(
            chunk_id=f"{e.document.id}:all", doc_id=e.document.id, title=e.document.title,
            text=e.document.text, start=0, end=len(e.document.text), score=1.0,
            published=e.document.published, source=e.document.source,
        )
        for e in entries
    ]  # fmt: skip


def build_briefing(assistant: Assistant, topic: str | None) -> Briefing:
    entries = assistant.manifest.entries()
    state = tuple(sorted((e.document.id, e.content_hash) for e in entries))
    urls = {e.document.id: e.document.url for e in entries}
    return build(_pool(assistant, topic), topic, assistant.vectors.documents, state, urls)
