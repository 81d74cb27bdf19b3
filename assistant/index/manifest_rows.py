"""The manifest's values and how they are stored: entries, journal operations, and the rows
and JSON they become (`assistant.index.manifest` reads and writes them)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from assistant.types import Document


def content_hash(document: Document, chunking_key: str) -> str:
    """Changes whenever the text, metadata or chunking parameters change."""
    payload = json.dumps(
        [document.text, document.title, document.source, str(document.published),
         document.url, chunking_key]
    )  # fmt: skip
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ManifestEntry:
    document: Document
    content_hash: str
    chunk_ids: tuple[str, ...]


@dataclass(frozen=True)
class PendingOp:
    """A journaled store write that has not finished (see the module docstring)."""

    doc_id: str
    op: Literal["put", "delete"]
    phase: Literal["writing", "cleanup"]
    document: Document | None  # the version being written (put)
    content_hash: str | None
    chunk_ids: tuple[str, ...]  # what the document owns once the put is done
    stale_ids: tuple[str, ...]  # what to delete once the new chunks are in


@dataclass(frozen=True)
class PlannedPut:
    document: Document
    content_hash: str
    chunk_ids: tuple[str, ...]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def doc_to_json(document: Document) -> str:
    return json.dumps(
        {"id": document.id, "title": document.title, "text": document.text,
         "source": document.source, "url": document.url, "path": document.path,
         "published": document.published.isoformat() if document.published else None}
    )  # fmt: skip


def doc_from_json(raw: str) -> Document:
    data = json.loads(raw)
    return Document(
        id=data["id"], title=data["title"], text=data["text"], source=data["source"],
        url=data["url"], path=data["path"],
        published=date.fromisoformat(data["published"]) if data["published"] else None,
    )  # fmt: skip


def entry_from_row(row: Any) -> ManifestEntry:
    document = Document(
        id=row.doc_id, title=row.title, source=row.source, url=row.url, path=row.path,
        published=date.fromisoformat(row.published) if row.published else None, text=row.text,
    )  # fmt: skip
    return ManifestEntry(document, row.content_hash, tuple(json.loads(row.chunk_ids)))


def document_row(put: PlannedPut, now: str, generation: int) -> dict[str, Any]:
    doc = put.document
    return {
        "doc_id": doc.id, "title": doc.title, "source": doc.source,
        "published": doc.published.isoformat() if doc.published else None, "url": doc.url,
        "path": doc.path, "content_hash": put.content_hash, "text": doc.text,
        "chunk_ids": json.dumps(list(put.chunk_ids)), "ingested_at": now,
        "changed_in": generation,
    }  # fmt: skip
