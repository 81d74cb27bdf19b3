"""An upload accepted into the index: refused when its id belongs to a document ingested from a
file, else stored under `DATA_DIR/uploads` and ingested like any other document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DocumentError
from assistant.index.manifest import ManifestEntry
from assistant.intake.uploads import UPLOADS, Kind, Upload, is_upload, store, to_document
from assistant.types import Document, DocumentChange


class DocumentConflict(DocumentError):
    """The id belongs to a document ingested from a file: edit the file instead."""


@dataclass(frozen=True)
class Uploaded:
    change: DocumentChange
    kind: Kind  # what the content was read as
    stored_as: str  # relative to the data dir: "uploads/<id>.md"


def accept(
    upload: Upload,
    *,
    literal: bool,
    data_dir: Path,
    current: Callable[[str], ManifestEntry | None],
    put: Callable[[Document], DocumentChange],
) -> Uploaded:
    """Read, check, store and ingest an upload."""
    document, kind = to_document(upload, literal=literal)
    existing = current(document.id)
    if existing is not None and not is_upload(existing.document, data_dir):
        raise DocumentConflict(
            f"document {document.id!r} comes from the corpus, not an upload: change its file "
            "and run `briefing ingest`, or upload it under another id"
        )
    document = store(document, data_dir)
    change = put(document)
    return Uploaded(change, kind, f"{UPLOADS}/{Path(document.path or '').name}")
