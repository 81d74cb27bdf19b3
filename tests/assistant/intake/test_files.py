"""PDF and Word files as uploads (`Assistant.upload`) and in ingested folders: told apart by
content, stored as Markdown that reads back to the very same text (page breaks included)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import DocumentError
from assistant.intake.loading import load_paths
from assistant.intake.uploads import Upload, sniff, to_document
from tests.assistant.intake.test_pdfs import PAGE_1, PAGE_2, PAGE_3
from tests.sample_files import make_docx, make_pdf, make_scanned_pdf

PDF = make_pdf([PAGE_1, PAGE_2, PAGE_3], title="Steel levy statement",
               created=datetime(2026, 5, 4))  # fmt: skip
DOCX = make_docx(
    [
        ("Title", "Ferry fares to rise"),
        "The Harlow ferry operator said fares will rise by 6 percent.",
    ]
)


def test_kind_comes_from_the_content_never_the_name() -> None:
    assert sniff(PDF) == "pdf" and sniff(DOCX) == "docx"
    document, kind = to_document(Upload(content=PDF, filename="notes.txt"))
    assert kind == "pdf" and document.id == "notes" and "\f" in document.text
    document, kind = to_document(Upload(content=DOCX, filename="report.pdf"))
    assert kind == "docx" and document.title == "Ferry fares to rise"
    # text that merely starts like a PDF, sent as a JSON text field, stays text
    literal, kind = to_document(Upload(content=b"%PDF- is how PDFs start.", title="PDF header"),
                                literal=True)  # fmt: skip
    assert kind == "text" and literal.text == "%PDF- is how PDFs start."


def test_upload_fields_override_what_the_file_says() -> None:
    upload = Upload(
        content=PDF, filename="x.pdf", id="levy-2026", title="Levy", source="Ministry",
        published=date(2026, 5, 5), url="https://ministry.example/levy.pdf",
    )  # fmt: skip
    document, _ = to_document(upload)
    assert (document.id, document.title, document.source) == ("levy-2026", "Levy", "Ministry")
    assert document.published == date(2026, 5, 5)
    assert document.url == "https://ministry.example/levy.pdf"


def test_a_scanned_pdf_upload_is_refused_with_its_name() -> None:
    with pytest.raises(DocumentError) as caught:
        to_document(Upload(content=make_scanned_pdf(), filename="../../etc/scan.pdf"))
    assert str(caught.value) == "scan.pdf has no text layer (a scanned PDF?); run OCR on it first"


def test_other_binary_files_are_still_refused() -> None:
    with pytest.raises(DocumentError, match="not text"):
        sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_an_uploaded_pdf_is_stored_and_reads_back_to_the_same_text(
    fast_assistant: Assistant, settings: Settings
) -> None:
    uploaded = fast_assistant.upload(Upload(content=PDF, filename="steel-levy.pdf"))
    assert (uploaded.kind, uploaded.stored_as) == ("pdf", "uploads/steel-levy.md")
    stored = fast_assistant.document("steel-levy")
    assert stored.text.count("\f") == 2 and stored.published == date(2026, 5, 4)
    # `briefing ingest DATA_DIR/uploads` reads back the very same document
    (again,) = load_paths([settings.data_dir / "uploads"], max_bytes=10**6).documents
    assert (again.id, again.title, again.text) == ("steel-levy", stored.title, stored.text)
    assert again.published == stored.published
    # the same file again changes nothing
    assert fast_assistant.upload(Upload(content=PDF, filename="steel-levy.pdf")).change.status == (
        "unchanged"
    )


def test_an_uploaded_docx_becomes_a_document(fast_assistant: Assistant) -> None:
    uploaded = fast_assistant.upload(Upload(content=DOCX, filename="fares.docx"))
    assert uploaded.kind == "docx" and uploaded.change.status == "added"
    assert "6 percent" in fast_assistant.document("fares").text


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_ingest_reads_pdf_and_docx_files_and_skips_a_scan(
    fast_assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    write(folder / "steel-levy.pdf", PDF)
    write(folder / "nested" / "fares.docx", DOCX)
    scan = write(folder / "scan.pdf", make_scanned_pdf())
    broken = write(folder / "broken.docx", b"PK\x03\x04 not really")
    report = fast_assistant.ingest([folder])
    assert report.documents_added == 2
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons == {
        str(scan): "scan.pdf has no text layer (a scanned PDF?); run OCR on it first",
        str(broken): "broken.docx is not a readable Word document (.docx)",
    }
    pdf = fast_assistant.document("steel-levy")
    assert pdf.path == str(folder / "steel-levy.pdf") and pdf.text.count("\f") == 2
    assert fast_assistant.document("fares").title == "Ferry fares to rise"
    answer = fast_assistant.ask("What is the quota for tinplate?")
    assert [c.page for c in answer.citations if c.doc_id == "steel-levy"] == [3]


def test_a_pdf_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "big.pdf", PDF)
    (skip,) = load_paths([path], max_bytes=100).skipped
    assert "over the 100 limit" in skip.reason
