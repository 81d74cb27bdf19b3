"""`briefing add` and `POST /documents {"urls": [...]}`: URLs and files in, one outcome each.

A fetched page, PDF or Word file becomes a document like an upload: stored as Markdown under
`DATA_DIR/uploads/` (so it outlives the site) and ingested crash-safely. Its id comes from the
canonical URL, so adding the same article again (or its AMP/print variant) updates it instead of
adding a copy. One bad item never stops the others; each says what happened and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from assistant.database.opening import open_database
from assistant.errors import DocumentError, FetchFailed, FetchRefused
from assistant.index.uploaded import DocumentConflict
from assistant.intake.documents import JSONL_SUFFIXES, SUPPORTED_SUFFIXES
from assistant.intake.uploads import Upload, is_upload, is_upload_path, store
from assistant.sources.fetcher import Fetched, Fetcher
from assistant.sources.origins import Origin, OriginStore
from assistant.types import Document, DocumentInfo

if TYPE_CHECKING:
    from assistant.assistant import Assistant

log = logging.getLogger(__name__)

AddStatus = Literal["added", "updated", "unchanged", "refused", "failed"]
Kind = Literal["html", "pdf", "docx", "text"]

_PAGE_TYPES = {"text/html", "application/xhtml+xml"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BINARY = {"application/octet-stream", "binary/octet-stream", ""}

ADDABLE = SUPPORTED_SUFFIXES - JSONL_SUFFIXES  # what `briefing add` reads as one document


@dataclass(frozen=True)
class AddResult:
    """What became of one URL or file."""

    target: str  # as given
    status: AddStatus
    doc_id: str | None = None
    title: str | None = None
    kind: str | None = None  # what the content was read as: html, pdf, docx, text
    url: str | None = None  # the document's (canonical) URL
    chunks_written: int = 0
    reason: str | None = None  # why it was refused or failed

    @property
    def ok(self) -> bool:
        return self.status in ("added", "updated", "unchanged")


def kind_of(media_type: str, head: bytes) -> Kind | None:
    """What a response holds, from its type and its first bytes (a PDF served as
    application/octet-stream is still a PDF); None when Briefing cannot read it."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and (media_type in _BINARY or media_type == _DOCX):
        return "docx"
    if media_type in _PAGE_TYPES:
        return "html"
    if media_type == "text/plain":
        return "text"
    return None


def readable(media_type: str, head: bytes) -> bool:
    return kind_of(media_type, head) is not None


def fetched_document(fetched: Fetched) -> tuple[Document, Kind]:
    """The document in a response (any DocumentError says why it has none)."""
    from assistant.intake.identity import document_id_for_url

    kind = kind_of(fetched.media_type, fetched.body[:1024])
    url = fetched.final_url
    if kind == "html":
        from assistant.intake.pages import page_document

        content_type = fetched.media_type + (
            f"; charset={fetched.charset}" if fetched.charset else ""
        )
        return page_document(fetched.body, url, content_type=content_type), kind
    name = unquote(Path(urlsplit(url).path).name) or urlsplit(url).hostname or "download"
    if kind == "pdf":
        from assistant.intake.pdfs import pdf_document

        document = pdf_document(fetched.body, name=name, url=url)
    elif kind == "docx":
        from assistant.intake.office import docx_document

        document = docx_document(fetched.body, name=name)
    elif kind == "text":
        text = fetched.body.decode(fetched.charset or "utf-8", "replace").strip()
        if not text:
            raise FetchFailed(f"{url}: the page is empty")
        first = text.splitlines()[0].strip()[:200]
        document = Document(id="text", title=first or name, text=text)
    else:
        raise FetchFailed(f"{url}: {fetched.media_type or 'no content type'} is not readable")
    host = urlsplit(url).hostname
    document = replace(
        document, id=document_id_for_url(url), url=url, source=document.source or host
    )
    return document, kind


class Intake:
    """Adds sources to an assistant's store; owns the fetcher and the origins table."""

    def __init__(self, assistant: Assistant, fetcher: Fetcher | None = None) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.fetcher = fetcher or Fetcher(assistant.settings)
        self.origins = OriginStore(open_database(assistant.settings, "intake"))

    def close(self) -> None:
        self.fetcher.close()
        self.origins.close()

    # -- adding ---------------------------------------------------------------------------------
    def add(
        self,
        targets: Sequence[str],
        *,
        allow_paths: bool = False,
        progress: Callable[[AddResult], None] | None = None,
    ) -> list[AddResult]:
        """Add each URL (and, from the command line, each file); one result per target."""
        results = []
        for target in targets:
            if allow_paths and not _looks_like_url(target):
                result = self.add_file(Path(target))
            else:
                result = self.add_url(target)
            results.append(result)
            if progress is not None:
                progress(result)
        return results

    def add_url(self, url: str, *, origin: Origin | None = None) -> AddResult:
        """Fetch, read, store and ingest one URL; refusals and failures become results."""
        try:
            fetched = self.fetcher.get(url, accept=readable)
            document, kind = fetched_document(fetched)
            return self.put(url, document, kind, origin or Origin("url", fetched.final_url))
        except FetchRefused as exc:
            return AddResult(url, "refused", reason=str(exc))
        except DocumentError as exc:
            return AddResult(url, "failed", reason=str(exc))

    def add_file(self, path: Path) -> AddResult:
        """A local file, kept as an upload (the copy stays when the file moves)."""
        try:
            if path.is_dir():
                raise DocumentError(f"{path} is a folder: use `briefing ingest {path}`")
            if not path.is_file():
                raise DocumentError(f"{path}: no such file")
            if path.suffix.lower() not in ADDABLE:
                kinds = " ".join(sorted(ADDABLE))
                raise DocumentError(f"{path}: unsupported file type (use {kinds}; a .jsonl "
                                    "collection: `briefing ingest`)")  # fmt: skip
            size = path.stat().st_size
            if size > self.settings.max_file_bytes:
                raise DocumentError(f"{path}: {size:,} bytes is over the limit")
            uploaded = self.assistant.upload(
                Upload(content=path.read_bytes(), filename=path.name),
                same_file=self.same_file(path.name),
            )
        except DocumentError as exc:  # DocumentConflict included
            return AddResult(str(path), "failed", reason=str(exc))
        change = uploaded.change
        self.origins.record(change.id, Origin("upload", path.name))
        document = self.assistant.document(change.id)
        return AddResult(str(path), change.status, change.id, document.title, uploaded.kind,  # type: ignore[arg-type]
                         document.url, change.chunks_written)  # fmt: skip

    def same_file(self, filename: str | None) -> Callable[[str], bool]:
        """Whether a document was uploaded from this file name: sending it again updates it."""

        def uploaded_from_it(doc_id: str) -> bool:
            origin = self.origins.get(doc_id)
            return (
                bool(filename)
                and origin is not None
                and (origin.kind, origin.detail) == ("upload", filename)
            )

        return uploaded_from_it

    def put(self, target: str, document: Document, kind: str, origin: Origin) -> AddResult:
        """Store and ingest a document read from the web (feeds use this too)."""
        data_dir = self.settings.data_dir
        existing = self.assistant.manifest.get(document.id)
        if existing is not None and not is_upload(existing.document, data_dir):
            raise DocumentConflict(
                f"document {document.id!r} comes from the corpus folder; not replaced by {target}"
            )
        change = self.assistant.add_document(store(document, data_dir))
        self.origins.record(document.id, origin)
        return AddResult(target, change.status, document.id, document.title, kind,  # type: ignore[arg-type]
                         document.url, change.chunks_written)  # fmt: skip

    # -- listing --------------------------------------------------------------------------------
    def documents(self) -> list[tuple[DocumentInfo, Origin]]:
        """Every document with where it came from (corpus files have no origin row)."""
        origins = self.origins.all()
        data_dir = self.settings.data_dir
        listed = []
        for info in self.assistant.documents():
            origin = origins.get(info.id)
            if origin is None:
                uploaded = is_upload_path(info.path, data_dir)
                name = None if uploaded else Path(info.path or "").name or None
                origin = Origin("upload" if uploaded else "file", name)
            listed.append((info, origin))
        return listed

    def remove(self, doc_id: str) -> None:
        self.origins.forget(doc_id)


def _looks_like_url(target: str) -> bool:
    return "://" in target[:12]
