"""Diverse, honest top-k: one copy per story, a cap per document, and citations that say where
else a story was published.

On a scraped collection the same wire story appears on many sites; ranked by similarity alone,
its copies fill the top k and crowd out every other story. `diversify` walks a ranked pool best
first and keeps a passage only when (a) its document is not superseded by a newer version, (b)
no other copy of its story was kept before it, (c) its document has fewer than `per_document`
passages kept (unless nothing else is left to fill the k). The copies left out are not lost:
`with_copies` names them on the citation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from assistant.index.syndication import Stories
from assistant.types import Answer, Briefing, BriefingItem, Citation, Passage


def diversify(
    pool: Sequence[Passage], stories: Stories | None, per_document: int | None, fill: int = 0
) -> list[Passage]:
    """The passages of `pool` (best first) that pass the three rules above, in order; then, up
    to `fill` in all, the passages only the cap left out: a cap spreads a result over documents
    but never shortens it when no other document is left (a one-article corpus)."""
    chosen: dict[str, str] = {}  # story id → the document kept for it
    kept: Counter[str] = Counter()
    out, over = [], []
    for passage in pool:
        doc_id = passage.doc_id
        if stories is not None:
            if doc_id in stories.superseded:
                continue
            if chosen.setdefault(stories.story_of(doc_id), doc_id) != doc_id:
                continue
        if per_document is not None and kept[doc_id] >= per_document:
            over.append(passage)
            continue
        kept[doc_id] += 1
        out.append(passage)
    return out + over[: max(0, fill - len(out))]


def cite_copies(citations: Sequence[Citation], stories: Stories) -> tuple[Citation, ...]:
    return tuple(replace(c, also_published_by=stories.copies_of(c.doc_id)) for c in citations)


def with_copies(answer: Answer, stories: Stories | None) -> Answer:
    """`answer` with each citation naming the other copies of its story."""
    if stories is None or stories.trivial or not answer.citations:
        return answer
    return replace(answer, citations=cite_copies(answer.citations, stories))


def briefing_with_copies(briefing: Briefing, stories: Stories | None) -> Briefing:
    """Citations and the sources list name each cited story's other copies."""
    if stories is None or stories.trivial:
        return briefing

    def item(i: BriefingItem) -> BriefingItem:
        return replace(i, citations=cite_copies(i.citations, stories))

    sections = tuple(replace(s, items=tuple(item(i) for i in s.items)) for s in briefing.sections)
    sources = tuple(
        replace(s, also_published_by=stories.copies_of(s.doc_id)) for s in briefing.sources
    )
    return replace(briefing, sections=sections, sources=sources)
