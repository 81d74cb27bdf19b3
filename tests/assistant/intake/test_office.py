"""Word files (.docx) → documents."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from assistant.errors import DocumentError
from assistant.intake.chunking import sentence_spans
from assistant.intake.office import docx_document, looks_like_docx
from tests.sample_files import make_docx, make_pdf

PARAGRAPHS: list[str | tuple[str, str]] = [
    ("Title", "Ferry fares to rise in April"),
    "The Harlow ferry operator said on Tuesday that fares will rise by 6 percent on 1 April.",
    ("Heading 1", "Background"),
    "Fares last rose in 2024,\nwhen fuel costs jumped.\tThe operator carries 1.2 million "
    "passengers a year.",
]


def test_paragraphs_headings_and_tables_in_order() -> None:
    raw = make_docx(PARAGRAPHS, created=datetime(2026, 2, 1, 9),
                    table=[["Route", "Fare"], ["Harlow–Brask", "4.20"]])  # fmt: skip
    assert looks_like_docx(raw)
    document = docx_document(raw, name="ferry-fares.docx")
    assert (document.id, document.title) == ("ferry-fares", "Ferry fares to rise in April")
    assert document.published == date(2026, 2, 1)
    assert document.text.split("\n\n") == [
        "Ferry fares to rise in April",
        "The Harlow ferry operator said on Tuesday that fares will rise by 6 percent on 1 April.",
        "Background",
        "Fares last rose in 2024, when fuel costs jumped. The operator carries 1.2 million "
        "passengers a year.",
        "Route | Fare",
        "Harlow–Brask | 4.20",
    ]
    # a soft line break inside a sentence does not end it for the chunker
    sentences = [document.text[s:e] for s, e in sentence_spans(document.text)]
    assert "Fares last rose in 2024, when fuel costs jumped." in sentences


def test_title_from_the_properties_first() -> None:
    raw = make_docx(PARAGRAPHS, title="Ferry fares 2026")
    assert docx_document(raw, name="f.docx").title == "Ferry fares 2026"


def test_title_from_the_first_paragraph_and_no_template_date() -> None:
    document = docx_document(make_docx(["Plain first line.", "Second."]), name="plain.docx")
    assert document.title == "Plain first line."
    assert document.published is None  # python-docx's template date is nobody's date


def test_other_zip_files_are_not_word_documents() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    sheet = buffer.getvalue()
    assert not looks_like_docx(sheet)
    assert not looks_like_docx(make_pdf([["Not a zip at all, a PDF."]]))
    with pytest.raises(DocumentError, match=r"^book\.docx is a ZIP archive but not a Word"):
        docx_document(sheet, name="book.docx")


@pytest.mark.parametrize(
    "raw", [b"PK\x03\x04 corrupt", b"plain text", b""], ids=["corrupt-zip", "text", "empty"]
)
def test_a_corrupt_file_is_a_clear_document_error(raw: bytes) -> None:
    with pytest.raises(DocumentError, match=r"^broken\.docx is not a readable Word document"):
        docx_document(raw, name="broken.docx")


def test_a_damaged_document_part_is_a_clear_document_error() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(make_docx(PARAGRAPHS))) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info, b"<w:document><unclosed" if info.filename == "word/document.xml" else data
            )
    with pytest.raises(DocumentError, match=r"^bad\.docx is not a readable Word document"):
        docx_document(buffer.getvalue(), name="bad.docx")


def test_a_zip_bomb_is_refused_before_unpacking() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/huge.bin", b"\0" * 30_000_000)
    with pytest.raises(DocumentError, match="too large"):
        docx_document(buffer.getvalue(), name="bomb.docx")


def test_an_empty_document_has_no_text() -> None:
    with pytest.raises(DocumentError, match=r"^empty\.docx has no text"):
        docx_document(make_docx([]), name="empty.docx")
