"""POST /documents with a PDF or Word file (multipart): read by content, answers cite the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from tests.assistant.intake.test_pdfs import PAGE_1, PAGE_2, PAGE_3
from tests.sample_files import make_docx, make_pdf, make_scanned_pdf

PROBLEM = "application/problem+json"
PDF = make_pdf([PAGE_1, PAGE_2, PAGE_3], title="Ostland steel levy statement",
               created=datetime(2026, 5, 4))  # fmt: skip


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as test_client:
        yield test_client


def test_a_pdf_upload_is_read_and_cited_by_page(client: TestClient) -> None:
    response = client.post(
        "/documents", files={"file": ("Ostland Steel.pdf", PDF, "application/octet-stream")}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["id"], body["detected"]) == ("ostland-steel", "pdf")
    assert body["stored_as"] == "uploads/ostland-steel.md"
    document = client.get("/documents/ostland-steel").json()
    assert document["title"] == "Ostland steel levy statement"
    assert document["published"] == "2026-05-04" and document["text"].count("\f") == 2

    answer = client.post("/chat", json={"message": "What is the quota for tinplate in Ostland?",
                                        "as_of": "2026-06-01"}).json()  # fmt: skip
    (citation,) = [c for c in answer["citations"] if c["doc_id"] == "ostland-steel"]
    assert citation["page"] == 3 and "40,000 tonnes" in citation["quote"]
    text = document["text"]
    assert text[citation["start"] : citation["end"]] == citation["quote"]


def test_citations_without_pages_leave_the_field_out(client: TestClient) -> None:
    answer = client.post("/chat", json={"message": "What tariff rate does Japan face?"}).json()
    assert answer["citations"] and all("page" not in c for c in answer["citations"])


def test_a_docx_upload_is_read(client: TestClient) -> None:
    raw = make_docx([("Title", "Ferry fares to rise"), "Fares rise by 6 percent on 1 April."])
    response = client.post("/documents", files={"file": ("fares.bin", raw)})
    assert response.status_code == 201, response.text
    assert response.json()["detected"] == "docx" and response.json()["id"] == "fares"


def test_a_scanned_pdf_is_refused_with_the_reason(client: TestClient) -> None:
    response = client.post("/documents", files={"file": ("scan.pdf", make_scanned_pdf())})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "scan.pdf has no text layer (a scanned PDF?); run OCR on it first" in response.text
    assert client.get("/documents/scan").status_code == 404


def test_a_corrupt_pdf_is_refused_with_the_reason(client: TestClient) -> None:
    response = client.post("/documents", files={"file": ("bad.pdf", b"%PDF-1.7 garbage")})
    assert response.status_code == 422
    assert "bad.pdf is not a readable PDF" in response.json()["detail"]
