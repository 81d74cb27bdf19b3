"""`briefing ingest` of a folder holding PDFs, and `briefing ask` naming the cited page."""

from __future__ import annotations

import json
from pathlib import Path

from tests.assistant.cli.test_commands import Run, dirs, ok, row, run, squash  # noqa: F401 (fixtures)
from tests.assistant.intake.test_pdfs import PAGE_1, PAGE_2, PAGE_3
from tests.sample_files import make_pdf, make_scanned_pdf

QUESTION = "What is the quota for tinplate in Ostland?"


def test_ingest_a_folder_with_a_pdf_then_ask_about_page_3(run: Run, tmp_path: Path) -> None:  # noqa: F811
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ostland-steel.pdf").write_bytes(
        make_pdf([PAGE_1, PAGE_2, PAGE_3], title="Ostland steel levy statement")
    )
    (inbox / "scan.pdf").write_bytes(make_scanned_pdf())
    result = ok(run("ingest", str(inbox)))
    assert row(result.stdout, "added") == 1 and row(result.stdout, "skipped") == 1
    assert squash("scan.pdf has no text layer (a scanned PDF?); run OCR on it first") in squash(
        result.stderr
    )

    shown = squash(ok(run("ask", QUESTION)).stdout)
    assert squash("[1] Ostland steel levy statement, p. 3") in shown
    data = json.loads(ok(run("ask", "--json", QUESTION)).stdout)
    assert [c["page"] for c in data["citations"]] == [3]
