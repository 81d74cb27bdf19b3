"""Briefings for the façade: choose the evidence pool, build, and compare with a saved one."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answering.request import ComposeRequest
from assistant.briefs.builder import SummaryWriter, build
from assistant.diversity import briefing_with_copies, diversify
from assistant.syndication import Stories
from assistant.types import Briefing, BriefingItem, Citation, Passage

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
    )
    whole = [
        Passage(
            chunk_id=f"{e.document.id}:all", doc_id=e.document.id, title=e.document.title,
            text=e.document.text, start=0, end=len(e.document.text), score=1.0,
            published=e.document.published, source=e.document.source,
        )
        for e in entries
    ]  # fmt: skip
    return diversify(whole, _stories(assistant), None)[:MAX_POOL_DOCS]  # one copy per story


def _stories(assistant: Assistant) -> Stories | None:
    index = assistant.retriever.stories
    return index.current() if index is not None else None


SUMMARY_REQUEST = "Summarise the situation in two or three sentences for a busy reader."


def _summary_item(sentence: str, citations: tuple[Citation, ...]) -> BriefingItem:
    """One sentence of a multi-sentence answer as a bullet with its own markers from [1]."""
    used = sorted({int(n) for n in re.findall(r"\[(\d+)\]", sentence)})
    own = [c for c in citations if c.marker in used]
    renumbered = re.sub(r"\[(\d+)\]", lambda m: f"[{used.index(int(m.group(1))) + 1}]", sentence)
    cited = tuple(replace(c, marker=n) for n, c in enumerate(own, start=1))
    return BriefingItem(renumbered, cited, f"summary:{renumbered[:80]}")


def _llm_writer(assistant: Assistant, topic: str | None) -> SummaryWriter | None:
    """With an LLM configured, it writes the summary; each sentence is verified like an answer."""
    if not assistant.generative:
        return None
    request = SUMMARY_REQUEST + (f" Topic: {topic}." if topic else "")

    def write(passages: list[Passage]) -> list[BriefingItem]:
        answer = assistant.composer.compose(ComposeRequest(request, passages))
        if answer.abstained or answer.degraded:
            return []
        return [_summary_item(sentence, answer.citations)
                for sentence in re.split(r"(?<=\])\s+", answer.answer)]  # fmt: skip

    return write


def build_briefing(assistant: Assistant, topic: str | None) -> Briefing:
    entries = assistant.manifest.entries()
    state = tuple(sorted((e.document.id, e.content_hash) for e in entries))
    urls = {e.document.id: e.document.url for e in entries}
    briefing = build(
        _pool(assistant, topic), topic, assistant.vectors.documents, state, urls,
        _llm_writer(assistant, topic), assistant.answerer.statements,
    )  # fmt: skip
    return briefing_with_copies(briefing, _stories(assistant))
