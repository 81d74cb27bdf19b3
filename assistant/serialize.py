"""Stable JSON forms of library values (the public answer contract).

Briefings have their own codec and renderers in `assistant.briefs`; they are re-exported here so
front ends import every JSON form from one place.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.briefs.codec import briefing_from_dict, briefing_to_dict, citation_to_dict
from assistant.briefs.render import briefing_to_html, briefing_to_markdown
from assistant.types import Answer, Claim, DocumentInfo

__all__ = [
    "answer_to_dict",
    "briefing_from_dict",
    "briefing_to_dict",
    "briefing_to_html",
    "briefing_to_markdown",
    "citation_to_dict",
    "claim_to_dict",
    "document_info_to_dict",
]


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    return {
        "text": claim.text,
        "markers": list(claim.markers),
        "supported": claim.supported,
        "score": claim.score,
        "missing_numbers": list(claim.missing_numbers),
        "missing_names": list(claim.missing_names),
    }


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """`{"question", "answer", "abstained", "citations": [...]}` plus extensions (`degraded`,
    per-claim support in `claims`, and when set `retrieval_query` and `as_of`)."""
    data: dict[str, Any] = {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [citation_to_dict(c) for c in answer.citations],
        "degraded": answer.degraded,
        "claims": [claim_to_dict(c) for c in answer.claims],
    }
    if answer.retrieval_query:
        data["retrieval_query"] = answer.retrieval_query
    if answer.as_of:
        data["as_of"] = answer.as_of.isoformat()
    return data


def document_info_to_dict(info: DocumentInfo) -> dict[str, Any]:
    data = asdict(info)
    data["published"] = info.published.isoformat() if info.published else None
    return data
