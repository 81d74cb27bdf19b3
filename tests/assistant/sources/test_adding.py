"""Adding sources by URL and by file: fetched, read, stored, ingested, answerable; one outcome
per item, and a bad item never costs what is already stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.sources.adding import Intake, kind_of
from tests.assistant.intake.articles import QUAY, TARIFF, article
from tests.conftest import SEED_DOC_ID, make_settings
from tests.fixture_site import FixtureSite, fixture_site


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with fixture_site() as s:
        yield s


@pytest.fixture
def intake(tmp_path: Path, site: FixtureSite) -> Iterator[Intake]:
    port = site.server_address[1]
    settings = make_settings(
        tmp_path, fetch_ports=(80, 443, port), fetch_trusted_addresses=(f"127.0.0.1:{port}",),
        fetch_host_interval=0.0, fetch_timeout=2.0,
    )  # fmt: skip
    assistant = Assistant(settings)
    assistant.ingest()
    added = Intake(assistant)
    yield added
    added.close()
    assistant.close()


def test_an_article_added_by_url_is_answerable_and_cited(intake: Intake, site: FixtureSite) -> None:
    site.page("/2026/11/30/quay", QUAY)
    result = intake.add_url(site.url("/2026/11/30/quay"))
    assert result.status == "added" and result.kind == "html" and result.chunks_written > 0
    document = intake.assistant.document(result.doc_id or "")
    assert document.title.startswith("Port of Vellmar reopens the north quay")
    assert document.url == site.url("/2026/11/30/quay")
    assert "cookies" not in document.text and "Related stories" not in document.text
    answer = intake.assistant.ask("How much did the north quay repairs cost?")
    assert not answer.abstained and "14 million crowns" in answer.answer
    assert answer.citations[0].doc_id == result.doc_id
    assert intake.origins.get(result.doc_id or "") is not None


def test_adding_the_same_canonical_url_again_updates_never_duplicates(
    intake: Intake, site: FixtureSite
) -> None:
    canonical = site.url("/quay")
    site.page("/quay", article("Quay", ["The quay reopened on Monday after repairs."],
                               canonical=canonical))  # fmt: skip
    site.page("/amp/quay", article("Quay", ["The quay reopened on Monday after repairs."],
                                   canonical=canonical))  # fmt: skip
    first = intake.add_url(site.url("/quay"))
    again = intake.add_url(site.url("/amp/quay"))
    assert first.status == "added" and again.status == "unchanged"
    assert again.doc_id == first.doc_id
    site.page("/quay", article("Quay", ["The quay reopened on Tuesday after long repairs."],
                               canonical=canonical))  # fmt: skip
    assert intake.add_url(site.url("/quay")).status == "updated"
    ids = [i.id for i in intake.assistant.documents()]
    assert ids.count(first.doc_id or "") == 1


def test_each_item_gets_its_outcome_and_nothing_stored_is_lost(
    intake: Intake, site: FixtureSite
) -> None:
    site.page("/tariff", TARIFF)
    site.route("/photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 4000, "image/png")
    before = {i.id for i in intake.assistant.documents()}
    results = intake.add([
        site.url("/tariff"), site.url("/missing"), site.url("/photo.png"),
        "http://10.0.0.1/internal", "ftp://files.example/a.pdf",
    ])  # fmt: skip
    assert [r.status for r in results] == ["added", "failed", "failed", "refused", "refused"]
    assert "HTTP 404" in (results[1].reason or "")
    assert "image/png" in (results[2].reason or "")
    assert "internal networks" in (results[3].reason or "")
    assert "only http and https" in (results[4].reason or "")
    after = {i.id for i in intake.assistant.documents()}
    assert after == before | {results[0].doc_id}
    assert SEED_DOC_ID in after


def test_a_local_file_is_kept_as_an_upload(intake: Intake, tmp_path: Path) -> None:
    note = tmp_path / "field-notes.md"
    note.write_text("# Field notes\n\nThe ferry to Oskarholm resumed service on 2 December.\n")
    missing = tmp_path / "nope.md"
    results = intake.add([str(note), str(missing)], allow_paths=True)
    assert [r.status for r in results] == ["added", "failed"]
    assert "no such file" in (results[1].reason or "")
    origins = {info.id: origin for info, origin in intake.documents()}
    assert origins[results[0].doc_id or ""].kind == "upload"
    assert origins[SEED_DOC_ID].kind == "file"
    assert origins[SEED_DOC_ID].detail == "trump-japan-trade-talks.md"


def test_paths_are_never_read_unless_asked(intake: Intake, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    (result,) = intake.add([str(secret)])  # the API's call: targets are URLs only
    assert result.status == "refused"


@pytest.mark.parametrize(
    ("media_type", "head", "kind"),
    [
        ("text/html", b"<html>", "html"),
        ("application/xhtml+xml", b"<?xml", "html"),
        ("application/octet-stream", b"%PDF-1.7", "pdf"),
        ("application/pdf", b"%PDF-1.4", "pdf"),
        ("application/octet-stream", b"PK\x03\x04", "docx"),
        ("text/plain", b"hello", "text"),
        ("image/png", b"\x89PNG", None),
        ("application/zip", b"PK\x03\x04", None),
    ],
)
def test_what_a_response_is_read_as(media_type: str, head: bytes, kind: str | None) -> None:
    assert kind_of(media_type, head) == kind
