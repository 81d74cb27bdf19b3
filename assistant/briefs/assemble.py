"""A briefing of the corpus or a topic: choose the evidence pool, then build.

The façade hands over the parts it owns (`BriefingInputs`); this module never imports it, so
the dependency runs one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.request import Composer, ComposeRequest
from assistant.briefs.builder import SummaryWriter, build
from assistant.index.manifest import Manifest
from assistant.index.syndication import Stories
from assistant.search.diversity import briefing_with_copies, diversify
from assistant.search.retrieval import Retriever, VectorCache
from assistant.types import Briefing, BriefingItem, Citation, Passage


@dataclass(frozen=True)
class BriefingInputs:
    """What a briefing reads: the façade's retriever, answerer, manifest and vectors."""

    retriever: Retriever
    answerer: ExtractiveAnswerer
    manifest: Manifest
    vectors: VectorCache
    top_k: int
    writer: Composer | None  # an LLM composer writes the summary; None: the rules do


MAX_POOL_DOCS = 30  # a whole-corpus briefing reads the most recent documents
TOPIC_RELEVANCE = 0.8  # share of the abstain threshold a topic sentence must reach


def _pool(inputs: BriefingInputs, topic: str | None) -> list[Passage]:
    if topic:
        passages = inputs.retriever.retrieve(topic, max(inputs.top_k * 3, 12))
        threshold = inputs.answerer.threshold * TOPIC_RELEVANCE
        scored = inputs.answerer.score(topic, topic, [], passages)
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
        inputs.manifest.entries(),
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
    return diversify(whole, _stories(inputs), None)[:MAX_POOL_DOCS]  # one copy per story


def _stories(inputs: BriefingInputs) -> Stories | None:
    index = inputs.retriever.stories
    return index.current() if index is not None else None


SUMMARY_REQUEST = "Summarise the situation in two or three sentences for a busy reader."


def _summary_item(sentence: str, citations: tuple[Citation, ...]) -> BriefingItem:
    """One sentence of a multi-sentence answer as a bullet with its own markers from [1]."""
    used = sorted({int(n) for n in re.findall(r"\[(\d+)\]", sentence)})
    own = [c for c in citations if c.marker in used]
    renumbered = re.sub(r"\[(\d+)\]", lambda m: f"[{used.index(int(m.group(1))) + 1}]", sentence)
    cited = tuple(replace(c, marker=n) for n, c in enumerate(own, start=1))
    return BriefingItem(renumbered, cited, f"summary:{renumbered[:80]}")


def _llm_writer(inputs: BriefingInputs, topic: str | None) -> SummaryWriter | None:
    """With an LLM configured, it writes the summary; each sentence is verified like an answer."""
    composer = inputs.writer
    if composer is None:
        return None
    request = SUMMARY_REQUEST + (f" Topic: {topic}." if topic else "")

    def write(passages: list[Passage]) -> list[BriefingItem]:
        answer = composer.compose(ComposeRequest(request, passages))
        if answer.abstained or answer.degraded:
            return []
        return [_summary_item(sentence, answer.citations)
                for sentence in re.split(r"(?<=\])\s+", answer.answer)]  # fmt: skip

    return write


def build_briefing(inputs: BriefingInputs, topic: str | None) -> Briefing:
    entries = inputs.manifest.entries()
    state = tuple(sorted((e.document.id, e.content_hash) for e in entries))
    urls = {e.document.id: e.document.url for e in entries}
    briefing = build(
        _pool(inputs, topic), topic, inputs.vectors.documents, state, urls,
        _llm_writer(inputs, topic), inputs.answerer.statements,
    )  # fmt: skip
    return briefing_with_copies(briefing, _stories(inputs))
