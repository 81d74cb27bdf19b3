"""Retrieval that only ever passes on committed chunks.

While a document is being rewritten the store briefly holds chunks of two versions. A hit is
kept only when the committed manifest entry owns it *and* the document's text at its offsets is
the hit's text — so `quote == document_text[start:end]` holds for every citation even mid-write.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from assistant.config import Settings
from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import Manifest
from assistant.index.store import ChunkStore
from assistant.index.syndication import StoryIndex
from assistant.intake.chunking import chunk_document
from assistant.language.lexicon import load_lexicon
from assistant.search.filters import RetrievalFilters
from assistant.search.retrieval import RetrievalOptions, Retriever, VectorCache
from assistant.types import Passage


class CommittedRetriever(Retriever):
    def retrieve(
        self, query: str, k: int, filters: RetrievalFilters | None = None
    ) -> list[Passage]:
        return [p for p in super().retrieve(query, k, filters) if self._visible(p)]

    def _visible(self, passage: Passage) -> bool:
        entry = self._manifest.get(passage.doc_id)
        return (
            entry is not None
            and passage.chunk_id in entry.chunk_ids
            and entry.document.text[passage.start : passage.end] == passage.text
        )


def build_retriever(
    settings: Settings,
    store: ChunkStore,
    manifest: Manifest,
    vectors: VectorCache,
    known: Callable[[tuple[str, ...]], bool] | None = None,
) -> CommittedRetriever:
    """The retriever the settings describe; the BM25 index only when a mode uses it.

    `known`: does the corpus use a wording? Keyword queries are expanded with synonyms only
    for the wordings it lacks.
    """
    lexicon = load_lexicon(settings.synonyms_file)
    lexical = None
    if settings.retrieval_mode != "dense":
        chunker = partial(chunk_document, max_chars=settings.chunk_max_chars,
                          min_chars=settings.chunk_min_chars)  # fmt: skip
        lexical = LexicalIndex(manifest, chunker, settings.lexical_dir)
    options = RetrievalOptions(
        mode=settings.retrieval_mode, rrf_k=settings.rrf_k, depth=settings.fusion_depth,
        mmr_lambda=settings.mmr_lambda, expand=partial(lexicon.expansion, known=known),
        per_document=settings.max_passages_per_document,
    )  # fmt: skip
    stories = StoryIndex(manifest, settings.stories_path, settings.near_duplicate_threshold)
    return CommittedRetriever(store, manifest, vectors, lexical, options, stories)
