"""Ingest against a real Chroma store in tmp_path: idempotence, edits, deletions, skips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.intake.chunking import chunk_document
from tests.conftest import SEED_DOC_ID, make_settings


@pytest.fixture
def assistant(settings: Settings) -> Iterator[Assistant]:
    a = Assistant(settings)
    yield a
    a.close()


def chunk_ids(assistant: Assistant, doc_id: str) -> set[str]:
    entry = assistant.manifest.get(doc_id)
    assert entry is not None, f"{doc_id} is not in the manifest"
    return set(entry.chunk_ids)


def all_manifest_chunk_ids(assistant: Assistant) -> set[str]:
    return {cid for e in assistant.manifest.entries() for cid in e.chunk_ids}


def assert_store_matches_manifest(assistant: Assistant) -> None:
    ids = all_manifest_chunk_ids(assistant)
    assert assistant.store.count() == len(ids)
    assert assistant.store.existing_ids(sorted(ids)) == ids


def seed_path(settings: Settings) -> Path:
    return settings.corpus_dir / "trump-japan-trade-talks.md"


def test_first_ingest_writes_every_chunk(assistant: Assistant, settings: Settings) -> None:
    report = assistant.ingest()
    doc = assistant.document(SEED_DOC_ID)
    expected = chunk_document(
        doc, max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars
    )
    assert report.documents_seen == 1
    assert report.documents_added == 1
    assert report.chunks_written == len(expected) == assistant.store.count()
    assert report.skipped == ()
    assert chunk_ids(assistant, SEED_DOC_ID) == {c.id for c in expected}
    assert_store_matches_manifest(assistant)
    (info,) = assistant.documents()
    assert (info.id, info.chunk_count, info.chars) == (SEED_DOC_ID, len(expected), len(doc.text))


def test_second_ingest_writes_nothing(assistant: Assistant) -> None:
    first = assistant.ingest()
    second = assistant.ingest()
    assert second.chunks_written == 0
    assert second.chunks_deleted == 0
    assert second.documents_unchanged == 1
    assert (second.documents_added, second.documents_updated, second.documents_removed) == (0, 0, 0)
    assert assistant.store.count() == first.chunks_written


def test_reopening_the_data_dir_is_still_idempotent(tmp_path: Path) -> None:
    first = Assistant(make_settings(tmp_path))
    written = first.ingest().chunks_written
    first.close()
    again = Assistant(make_settings(tmp_path))
    try:
        report = again.ingest()
        assert (report.chunks_written, report.documents_unchanged) == (0, 1)
        assert again.store.count() == written
    finally:
        again.close()


def test_editing_a_document_replaces_only_its_changed_chunks(
    assistant: Assistant, settings: Settings
) -> None:
    assistant.ingest()
    before = chunk_ids(assistant, SEED_DOC_ID)
    path = seed_path(settings)
    path.write_text(
        path.read_text(encoding="utf-8").replace("0.7 percent", "0.9 percent"), encoding="utf-8"
    )

    report = assistant.ingest()

    after = chunk_ids(assistant, SEED_DOC_ID)
    gone, new = before - after, after - before
    assert len(gone) == 1 and len(new) == 1, "only the edited chunk changes"
    assert report.documents_updated == 1
    assert report.chunks_written == len(new)
    assert report.chunks_deleted == len(gone)
    assert assistant.store.existing_ids(sorted(gone)) == set()
    assert assistant.store.existing_ids(sorted(new)) == new
    assert_store_matches_manifest(assistant)
    assert "0.9 percent" in assistant.document(SEED_DOC_ID).text


def test_metadata_only_edit_updates_manifest_without_rewriting_chunks(
    assistant: Assistant, settings: Settings
) -> None:
    assistant.ingest()
    before = chunk_ids(assistant, SEED_DOC_ID)
    path = seed_path(settings)
    path.write_text(
        path.read_text(encoding="utf-8").replace("published: 2025-04-16", "published: 2025-04-17"),
        encoding="utf-8",
    )
    report = assistant.ingest()
    assert report.documents_updated == 1
    assert report.chunks_written == 0
    assert chunk_ids(assistant, SEED_DOC_ID) == before
    assert str(assistant.document(SEED_DOC_ID).published) == "2025-04-17"


def test_changing_chunk_size_rechunks(tmp_path: Path) -> None:
    first = Assistant(make_settings(tmp_path))
    first.ingest()
    first.close()
    small = Assistant(make_settings(tmp_path, chunk_max_chars=200, chunk_min_chars=0))
    try:
        report = small.ingest()
        doc = small.document(SEED_DOC_ID)
        expected = chunk_document(doc, max_chars=200, min_chars=0)
        assert report.documents_updated == 1
        assert chunk_ids(small, SEED_DOC_ID) == {c.id for c in expected}
        assert_store_matches_manifest(small)
    finally:
        small.close()


def test_deleting_a_file_removes_its_chunks_and_manifest_entry(
    assistant: Assistant, settings: Settings
) -> None:
    extra = settings.corpus_dir / "extra.md"
    extra.write_text("---\nid: extra\n---\nA second article. It has two sentences.\n")
    assistant.ingest()
    extra_ids = chunk_ids(assistant, "extra")
    seed_ids = chunk_ids(assistant, SEED_DOC_ID)

    extra.unlink()
    report = assistant.ingest()

    assert report.documents_removed == 1
    assert report.chunks_deleted == len(extra_ids)
    assert assistant.manifest.get("extra") is None
    assert assistant.store.existing_ids(sorted(extra_ids)) == set()
    assert chunk_ids(assistant, SEED_DOC_ID) == seed_ids
    assert assistant.store.count() == len(seed_ids)
    assert [d.id for d in assistant.documents()] == [SEED_DOC_ID]


def test_removing_a_jsonl_line_removes_that_document_only(
    assistant: Assistant, settings: Settings
) -> None:
    feed = settings.corpus_dir / "feed.jsonl"
    records = [
        {"id": f"r{i}", "title": f"R{i}", "text": f"Record number {i} text."} for i in range(3)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records))
    assistant.ingest()
    feed.write_text("\n".join(json.dumps(r) for r in records[:2]))
    report = assistant.ingest()
    assert report.documents_removed == 1
    assert sorted(d.id for d in assistant.documents()) == ["r0", "r1", SEED_DOC_ID]
    assert_store_matches_manifest(assistant)


def test_a_file_that_becomes_unreadable_keeps_its_chunks(
    assistant: Assistant, settings: Settings
) -> None:
    extra = settings.corpus_dir / "extra.md"
    extra.write_text("---\nid: extra\n---\nA second article. It has two sentences.\n")
    assistant.ingest()
    extra_ids = chunk_ids(assistant, "extra")

    extra.write_text("")
    report = assistant.ingest()

    assert [(Path(s.path).name, s.reason) for s in report.skipped] == [
        ("extra.md", "file is empty")
    ]
    assert report.documents_removed == 0
    assert report.chunks_deleted == 0
    assert chunk_ids(assistant, "extra") == extra_ids
    assert assistant.store.existing_ids(sorted(extra_ids)) == extra_ids
    assert "A second article." in assistant.document("extra").text


def test_a_jsonl_line_that_becomes_malformed_keeps_its_chunks(
    assistant: Assistant, settings: Settings
) -> None:
    feed = settings.corpus_dir / "feed.jsonl"
    good = [json.dumps({"id": f"r{i}", "title": "R", "text": f"Record {i}."}) for i in range(2)]
    feed.write_text("\n".join(good))
    assistant.ingest()
    feed.write_text(good[0] + "\n" + good[1][:-5])  # second line truncated mid-record
    report = assistant.ingest()
    assert [s.path for s in report.skipped] == [f"{feed}:2"]
    assert assistant.manifest.get("r1") is not None


def test_ingesting_an_explicit_file_adds_it_without_pruning(
    assistant: Assistant, tmp_path: Path
) -> None:
    assistant.ingest()
    outside = tmp_path / "elsewhere" / "note.txt"
    outside.parent.mkdir()
    outside.write_text("Standalone note about steel. Second sentence here.")

    report = assistant.ingest([outside])

    assert (report.documents_seen, report.documents_added, report.documents_removed) == (1, 1, 0)
    assert sorted(d.id for d in assistant.documents()) == ["note", SEED_DOC_ID]
    assert_store_matches_manifest(assistant)
    # a later corpus-dir sync leaves the outside document alone too
    again = assistant.ingest()
    assert again.documents_removed == 0
    assert sorted(d.id for d in assistant.documents()) == ["note", SEED_DOC_ID]


def test_ingesting_another_folder_prunes_only_under_that_folder(
    assistant: Assistant, tmp_path: Path
) -> None:
    assistant.ingest()
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Other folder article.")
    assistant.ingest([other])
    (other / "a.txt").unlink()
    report = assistant.ingest([other])
    assert report.documents_removed == 1
    assert [d.id for d in assistant.documents()] == [SEED_DOC_ID]


def test_progress_reports_documents_done_and_total(assistant: Assistant) -> None:
    calls: list[tuple[int, int]] = []
    report = assistant.ingest(progress=lambda done, total: calls.append((done, total)))
    total = report.documents_seen
    assert report.chunks_written > 0
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done)

    calls.clear()
    assistant.ingest(progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, total) and calls[-1] == (total, total)


def test_progress_advances_while_a_batch_embeds(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, embedding_batch_size=1)
    for n in range(6):
        (settings.corpus_dir / f"d{n}.md").write_text(
            f"---\nid: d{n}\ntitle: Doc {n}\n---\nDocument {n} says one thing.\n"
        )
    a = Assistant(settings)
    try:
        calls: list[tuple[int, int]] = []
        report = a.ingest(progress=lambda done, total: calls.append((done, total)))
        done = [d for d, _ in calls]
        assert done == sorted(done)
        # the bar moves as chunks are embedded, not only when the whole batch is written
        assert len(set(done)) > 3
        assert calls[-1] == (report.documents_seen, report.documents_seen)
    finally:
        a.close()


def test_answers_use_newly_ingested_documents(assistant: Assistant, settings: Settings) -> None:
    assistant.ingest()
    (settings.corpus_dir / "steel.md").write_text(
        "---\nid: steel\ntitle: Steel levy\n---\nThe steel levy on Narnia is 50 percent.\n"
    )
    assistant.ingest()
    answer = assistant.ask("What is the steel levy on Narnia?")
    assert not answer.abstained
    assert answer.citations[0].doc_id == "steel"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    return path


def test_an_ingest_from_another_directory_keeps_what_relative_paths_brought(
    assistant: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "work" / "c2", "fred.md", "Fred's mill cut 40 jobs on Monday.")
    _write(tmp_path / "other", "olive.md", "Olive exports rose 3% in March.")
    monkeypatch.chdir(tmp_path / "work")
    assistant.ingest([Path("c2")])
    monkeypatch.chdir(tmp_path / "other")
    report = assistant.ingest([Path(".")])
    assert report.documents_removed == 0
    assert {"fred", "olive"} <= {d.id for d in assistant.documents()}


def test_a_file_of_the_same_name_in_another_folder_does_not_replace_a_document(
    assistant: Assistant, tmp_path: Path
) -> None:
    first = _write(tmp_path / "c3", "report.md", "Gamma exports fell 4.4% last year.")
    _write(tmp_path / "c4", "report.md", "Zembla's deficit was 9.9% of output.")
    assistant.ingest([tmp_path / "c3"])
    report = assistant.ingest([tmp_path / "c4"])
    assert report.documents_updated == 0
    assert [s.reason for s in report.skipped] == [
        f"duplicate document id 'report' (already ingested from {first})"
    ]
    assert "4.4%" in assistant.document("report").text
    first.unlink()  # the file moved: its id goes with it
    moved = assistant.ingest([tmp_path / "c4"])
    assert moved.documents_updated == 1 and "9.9%" in assistant.document("report").text
