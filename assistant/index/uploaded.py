"""An upload accepted into the index: refused when its id belongs to a document ingested from a
file, else stored under `DATA_DIR/uploads` and ingested like any other document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
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
    same_file: Callable[[str], bool] = lambda doc_id: False,
) -> Uploaded:
    """Read, check, store and ingest an upload.

    Only an explicit id replaces a document. An id derived from a file name or title that
    another document already holds goes to the new content with a suffix ("report-2"), unless
    `same_file(id)` says that document came from this very file name (sent again: an update),
    or the content is the same (unchanged)."""
    document, kind = to_document(upload, literal=literal)
    existing = current(document.id)
    if (
        upload.id is None
        and existing is not None
        and existing.document.text != document.text
        and not same_file(document.id)
    ):
        document = replace(document, id=_free_id(document.id, current))
        existing = None
    if existing is not None and not is_upload(existing.document, data_dir):
        raise DocumentConflict(
            f"document {document.id!r} comes from the corpus, not an upload: change its file "
            "and run `briefing ingest`, or upload it under another id"
        )
    document = store(document, data_dir)
    change = put(document)
    return Uploaded(change, kind, f"{UPLOADS}/{Path(document.path or '').name}")


def _free_id(doc_id: str, current: Callable[[str], ManifestEntry | None]) -> str:
    """`doc_id-2`, `doc_id-3`, … : the first that no document holds."""
    stem = doc_id[:120]
    n = 2
    while current(f"{stem}-{n}") is not None:
        n += 1
    return f"{stem}-{n}"
