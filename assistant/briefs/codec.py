"""Briefing ↔ JSON-ready dicts (schema_version 2; version 1 fields are all still there)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from assistant.types import (
    Briefing,
    BriefingChanges,
    BriefingItem,
    BriefingSection,
    Citation,
    Figure,
    ItemChange,
    SourceCopy,
    SourceRef,
    Statement,
    TimelineEvent,
)

SCHEMA_VERSION = 2


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _event_to_dict(event: TimelineEvent) -> dict[str, Any]:
    return {**asdict(event), "date": _day(event.date)}


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    """The answer contract's fields plus `also_published_by` (the story's other copies) and,
    when the document is paged (a PDF), `page`: the page the quote starts on."""
    data = {**asdict(citation), "also_published_by": _copies_to_list(citation.also_published_by)}
    if citation.page is None:
        del data["page"]
    return data


def _copies_to_list(copies: tuple[SourceCopy, ...]) -> list[dict[str, Any]]:
    return [asdict(c) for c in copies]


def _source_to_dict(source: SourceRef) -> dict[str, Any]:
    return {
        **asdict(source),
        "published": _day(source.published),
        "also_published_by": _copies_to_list(source.also_published_by),
    }


def item_to_dict(item: BriefingItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "citations": [citation_to_dict(c) for c in item.citations],
        "key": item.key,
        "figure": asdict(item.figure) if item.figure else None,
        "statement": asdict(item.statement) if item.statement else None,
        "event": _event_to_dict(item.event) if item.event else None,
    }


def changes_to_dict(changes: BriefingChanges) -> dict[str, Any]:
    return asdict(changes)


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "id": briefing.id,
        "headline": briefing.headline,
        "topic": briefing.topic,
        "generated_at": briefing.generated_at,
        "sections": [
            {"key": s.key, "heading": s.heading, "items": [item_to_dict(i) for i in s.items]}
            for s in briefing.sections
        ],
        "sources": [_source_to_dict(s) for s in briefing.sources],
        "corpus_state": [list(pair) for pair in briefing.corpus_state],
        "changes": changes_to_dict(briefing.changes) if briefing.changes else None,
    }


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _copies(data: dict[str, Any]) -> dict[str, Any]:
    """A citation's or source's fields with its story's other copies as values again."""
    copies = tuple(SourceCopy(**c) for c in data.get("also_published_by", ()))
    return {**data, "also_published_by": copies}


def _item(data: dict[str, Any]) -> BriefingItem:
    event = data.get("event")
    return BriefingItem(
        text=data["text"],
        citations=tuple(Citation(**_copies(c)) for c in data["citations"]),
        key=data.get("key", ""),
        figure=Figure(**data["figure"]) if data.get("figure") else None,
        statement=Statement(**data["statement"]) if data.get("statement") else None,
        event=TimelineEvent(**{**event, "date": _date(event["date"])}) if event else None,
    )


def _changes(data: dict[str, Any]) -> BriefingChanges:
    def changes(key: str) -> tuple[ItemChange, ...]:
        return tuple(ItemChange(**c) for c in data[key])

    return BriefingChanges(
        since_id=data["since_id"],
        since_generated_at=data["since_generated_at"],
        documents_added=tuple(data["documents_added"]),
        documents_changed=tuple(data["documents_changed"]),
        documents_removed=tuple(data["documents_removed"]),
        new=changes("new"),
        changed=changes("changed"),
        no_longer_supported=changes("no_longer_supported"),
    )


def briefing_from_dict(data: dict[str, Any]) -> Briefing:
    return Briefing(
        headline=data["headline"],
        topic=data.get("topic"),
        sections=tuple(
            BriefingSection(s["key"], s["heading"], tuple(_item(i) for i in s["items"]))
            for s in data["sections"]
        ),
        sources=tuple(
            SourceRef(**{**_copies(s), "published": _date(s.get("published"))})
            for s in data["sources"]
        ),
        generated_at=data.get("generated_at", ""),
        id=data.get("id", ""),
        corpus_state=tuple((a, b) for a, b in data.get("corpus_state", [])),
        changes=_changes(data["changes"]) if data.get("changes") else None,
    )
