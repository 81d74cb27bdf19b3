"""Which file a document id belongs to, across ingests.

Ids come from file names, so `c3/report.md` and `c4/report.md` ingested one after the other
would share one. The document stays with the file that has it while that file exists; the
newcomer is skipped with a message (a file that moved takes its id along)."""

from __future__ import annotations

from pathlib import Path

from assistant.index.manifest import ManifestEntry
from assistant.types import Document


def held_elsewhere(document: Document, entry: ManifestEntry | None) -> str | None:
    """The path of another existing file that holds `document.id`, else None."""
    existing = entry.document if entry is not None else None
    if existing is None or not existing.path or not document.path:
        return None
    there = Path(existing.path)
    if there.resolve() == Path(document.path).resolve() or not there.exists():
        return None
    return existing.path
