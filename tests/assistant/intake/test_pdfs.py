"""PDFs → documents: text per page with form-feed page breaks, sentences whole across line and
page breaks, scans/encrypted/damaged files refused with a clear message."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.errors import DocumentError
from assistant.intake.chunking import sentence_spans
from assistant.intake.paging import PAGE_BREAK, page_at
from assistant.intake.pdfs import looks_like_pdf, pdf_document
from tests.sample_files import encrypt_pdf, make_pdf, make_scanned_pdf

PAGE_1 = [
    "Ostland Ministry of Trade",
    "The ministry said on Monday that the levy on imported steel will rise to 18 percent on "
    "1 July, up from 12 percent, after talks with the Narnian delegation ended without a deal.",
    "Officials said the higher rate would apply to flat and long products alike.",
]
PAGE_2 = [
    "Exporters have asked for a transition period of ninety days, which the ministry said it "
    "would consider before the end of the month.",
    "Trade minister Liva Andersen will meet the Narnian delegation again in Vellmark next week.",
]
PAGE_3 = [
    "Fact sheet",
    "The levy on aluminium stays at 7 percent, and the quota for tinplate is unchanged at "
    "40,000 tonnes a year.",
]
SENTENCES = [
    "The ministry said on Monday that the levy on imported steel will rise to 18 percent on 1 "
    "July, up from 12 percent, after talks with the Narnian delegation ended without a deal.",
    "Trade minister Liva Andersen will meet the Narnian delegation again in Vellmark next week.",
    "The levy on aluminium stays at 7 percent, and the quota for tinplate is unchanged at "
    "40,000 tonnes a year.",
]


def three_pages() -> bytes:
    return make_pdf([PAGE_1, PAGE_2, PAGE_3], title="Steel levy statement",
                    created=datetime(2026, 5, 4, 9, 30))  # fmt: skip


def test_three_pages_keep_their_breaks_and_paragraphs() -> None:
    document = pdf_document(
        three_pages(), name="steel-levy.pdf", url="https://ministry.example/x.pdf"
    )
    assert (document.id, document.title) == ("steel-levy", "Steel levy statement")
    assert document.published == date(2026, 5, 4)
    assert document.url == "https://ministry.example/x.pdf" and document.path is None
    pages = document.text.split(PAGE_BREAK)
    assert len(pages) == 3
    assert [p.strip().split("\n\n") for p in pages] == [PAGE_1, PAGE_2, PAGE_3]


def test_a_citation_names_the_page_its_quote_starts_on() -> None:
    text = pdf_document(three_pages(), name="steel-levy.pdf").text
    for page, sentence in zip((1, 2, 3), SENTENCES, strict=True):
        start = text.index(sentence)
        assert page_at(text, start) == page == 1 + text[:start].count("\f")
    assert page_at("no page breaks here", 5) is None


def test_sentences_wrapped_over_lines_stay_whole_for_the_chunker() -> None:
    text = pdf_document(three_pages(), name="steel-levy.pdf").text
    sentences = {text[s:e] for s, e in sentence_spans(text)}
    assert set(SENTENCES) <= sentences
    assert "Fact sheet" in sentences  # a heading stays a line of its own
    assert PAGE_BREAK not in "".join(sentences)


def test_a_sentence_running_on_to_the_next_page_is_kept_on_its_first_page() -> None:
    first = "The port authority expects the new quay to handle 300,000 containers a year when"
    rest = "it opens in 2029, the harbour master said. Work starts in May."
    raw = make_pdf([[first], [rest]], raw_lines=True)
    text = pdf_document(raw, name="quay.pdf").text
    page_one, page_two = text.split(PAGE_BREAK)
    assert page_one.strip() == f"{first} it opens in 2029, the harbour master said."
    assert page_two.strip() == "Work starts in May."


def test_page_numbers_and_running_headers_are_dropped() -> None:
    pages = [
        ["Ostland Ministry of Trade - Annual report", f"Paragraph {n} of the report says the "
         f"quota rose by {n} percent in the year to March.", "", str(n)]
        for n in range(1, 5)
    ]  # fmt: skip
    text = pdf_document(make_pdf(pages, raw_lines=True), name="report.pdf").text
    assert "Annual report" not in text
    assert [p.strip() for p in text.split(PAGE_BREAK)] == [
        f"Paragraph {n} of the report says the quota rose by {n} percent in the year to March."
        for n in range(1, 5)
    ]


def test_line_end_hyphens_are_removed_only_for_words_seen_whole() -> None:
    lines = [
        "The tariff on steel is paid at the border. The new tar-",
        "iff applies from June, said a well-",
        "known official.",
    ]
    text = pdf_document(make_pdf([lines], raw_lines=True), name="t.pdf").text
    assert "The new tariff applies from June, said a well-known official." in text


def test_title_falls_back_to_the_first_line() -> None:
    document = pdf_document(make_pdf([PAGE_1]), name="no-title.pdf")
    assert document.title == "Ostland Ministry of Trade"
    assert document.published is None


def test_a_scanned_pdf_is_refused_not_ingested_empty() -> None:
    assert looks_like_pdf(make_scanned_pdf())
    with pytest.raises(DocumentError) as caught:
        pdf_document(make_scanned_pdf(3), name="scan.pdf")
    assert str(caught.value) == "scan.pdf has no text layer (a scanned PDF?); run OCR on it first"


def test_an_encrypted_pdf_without_the_password_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"locked\.pdf is encrypted"):
        pdf_document(encrypt_pdf(three_pages(), "secret"), name="locked.pdf")
    # owner-password only (no password to open): read as usual
    opened = pdf_document(encrypt_pdf(three_pages(), ""), name="open.pdf")
    assert "18 percent" in opened.text


@pytest.mark.parametrize(
    "raw",
    [b"%PDF-1.7\nnot really a pdf", b"%PDF-", b"%PDF-1.4\n" + b"\x00\xff" * 200],
    ids=["text", "header-only", "garbage"],
)
def test_a_damaged_pdf_is_a_clear_document_error(raw: bytes) -> None:
    with pytest.raises(DocumentError, match=r"^broken\.pdf is not a readable PDF"):
        pdf_document(raw, name="broken.pdf")


def test_a_truncated_pdf_is_refused_or_read_never_a_traceback() -> None:
    raw = three_pages()
    for cut in (len(raw) // 4, len(raw) // 2, len(raw) - 40):
        try:
            pdf_document(raw[:cut], name="cut.pdf")
        except DocumentError as exc:
            assert str(exc).startswith("cut.pdf ")


def test_control_characters_never_reach_the_text() -> None:
    raw = make_pdf([["Tabs\tand\x07bells are not text; the levy is 18 percent."]], raw_lines=True)
    text = pdf_document(raw, name="c.pdf").text
    assert text == "Tabs and bells are not text; the levy is 18 percent."
