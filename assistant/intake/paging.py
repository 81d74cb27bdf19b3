"""Pages of paged documents: a PDF's text keeps its page breaks as form feeds, so a citation's
offset says which page its quote starts on ("p. 3"), with no page table stored anywhere.

Answers and briefings get `Citation.page` here, after they are built, from the cited
documents' text: one place for every composer (extractive, generative, streamed, briefs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.types import Answer, Briefing, BriefingItem, Citation

PAGE_BREAK = "\f"

#: The text of a document by id (None: unknown, e.g. removed since).
TextOf = Callable[[str], str | None]


def page_at(text: str, offset: int) -> int | None:
    """The 1-based page holding `text[offset]`; None when the text has no page breaks."""
    if PAGE_BREAK not in text:
        return None
    return 1 + text.count(PAGE_BREAK, 0, max(offset, 0))


def cite_pages(citations: Sequence[Citation], text_of: TextOf) -> tuple[Citation, ...]:
    """`citations` with `page` set where the cited document is paged."""
    texts: dict[str, str | None] = {}
    out = []
    for citation in citations:
        if citation.doc_id not in texts:
            texts[citation.doc_id] = text_of(citation.doc_id)
        text = texts[citation.doc_id]
        page = page_at(text, citation.start) if text is not None else None
        out.append(citation if page == citation.page else replace(citation, page=page))
    return tuple(out)


def answer_with_pages(answer: Answer, text_of: TextOf) -> Answer:
    if not answer.citations:
        return answer
    return replace(answer, citations=cite_pages(answer.citations, text_of))


def briefing_with_pages(briefing: Briefing, text_of: TextOf) -> Briefing:
    cache: dict[str, str | None] = {}

    def cached(doc_id: str) -> str | None:
        if doc_id not in cache:
            cache[doc_id] = text_of(doc_id)
        return cache[doc_id]

    def item(i: BriefingItem) -> BriefingItem:
        return replace(i, citations=cite_pages(i.citations, cached)) if i.citations else i

    sections = tuple(replace(s, items=tuple(item(i) for i in s.items)) for s in briefing.sections)
    return replace(briefing, sections=sections)
