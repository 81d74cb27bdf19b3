"""Stable JSON forms of library values (the public answer contract) and Markdown renderings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.types import Answer, Briefing, Citation, DocumentInfo


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    return asdict(citation)


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """`{"question", "answer", "abstained", "citations": [...]}` plus optional extensions."""
    data: dict[str, Any] = {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [citation_to_dict(c) for c in answer.citations],
    }
    if answer.retrieval_query:
        data["retrieval_query"] = answer.retrieval_query
    return data


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    return {
        "headline": briefing.headline,
        "topic": briefing.topic,
        "generated_at": briefing.generated_at,
        "sections": [
            {
                "key": s.key,
                "heading": s.heading,
                "items": [
                    {"text": i.text, "citations": [citation_to_dict(c) for c in i.citations]}
                    for i in s.items
                ],
            }
            for s in briefing.sections
        ],
        "sources": [
            {
                "doc_id": s.doc_id,
                "title": s.title,
                "source": s.source,
                "published": s.published.isoformat() if s.published else None,
                "url": s.url,
            }
            for s in briefing.sources
        ],
    }


def document_info_to_dict(info: DocumentInfo) -> dict[str, Any]:
    data = asdict(info)
    data["published"] = info.published.isoformat() if info.published else None
    return data


def briefing_to_markdown(briefing: Briefing) -> str:
    """One page: sections of bullets, each bullet's markers turned into footnote-style refs."""
    lines = [f"# {briefing.headline}", ""]
    if briefing.generated_at:
        lines += [
            f"_Generated {briefing.generated_at} from {len(briefing.sources)} source(s)._",
            "",
        ]
    notes: list[str] = []
    for section in briefing.sections:
        lines += [f"## {section.heading}", ""]
        if not section.items:
            lines += ["_Nothing in the sources for this section._", ""]
            continue
        for item in section.items:
            text = item.text
            for c in item.citations:
                notes.append(
                    f"[^{len(notes) + 1}]: {c.title} ({c.doc_id}, chars {c.start}–{c.end})"
                )
                text = text.replace(f"[{c.marker}]", f"[^{len(notes)}]")
            lines.append(f"- {text}")
        lines.append("")
    lines += ["## Sources", ""]
    for s in briefing.sources:
        meta = ", ".join(
            x for x in (s.source, s.published.isoformat() if s.published else None, s.url) if x
        )
        lines.append(f"- **{s.title}** ({s.doc_id}){' — ' + meta if meta else ''}")
    lines += ["", *notes, ""]
    return "\n".join(lines)
