"""Crash-safe, idempotent ingest: the journal, recovery, reconciliation, the writer lock.

A "crash" here is an exception injected at one step of the write protocol, after which the
assistant is dropped and the data dir opened again — what a restart after kill -9 does (the
real kill -9 trials are in tests/reliability/test_crash.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.database.locking import WriterBusy, WriterLock, WriterLockLost
from assistant.index import store_index
from assistant.types import Chunk
from tests.conftest import SEED_DOC_ID, make_settings
from tests.reliability.checks import check
from tests.reliability.corpus import edit_and_delete, generate

ROOT = Path(__file__).resolve().parents[3]


class Crash(Exception):
    """Stands in for the process dying at this point."""


def crash_on(obj: object, name: str, call: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `obj.name` raise Crash on its `call`-th call (1-based)."""
    original = getattr(obj, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == call:
            raise Crash(f"{name} #{call}")
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapper)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    generate(folder, 30)
    return folder


def settings_for(tmp_path: Path, corpus: Path, **overrides: Any) -> Settings:
    # small write groups, so a crash can land between groups too
    return make_settings(tmp_path, corpus_dir=corpus, embedding_batch_size=16, **overrides)


@pytest.fixture(autouse=True)
def small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("assistant.index.ingest.GROUP_CHUNKS", 20)


STEPS: list[tuple[str, str, int]] = [
    ("manifest", "begin_puts", 1),  # before anything is written
    ("store", "add_vectors", 2),  # a group written, not committed
    ("manifest", "commit_puts", 2),  # one group committed, the next written
    ("manifest", "finish", 2),  # committed and cleaned up, journal rows still there
]


@pytest.mark.parametrize(("target", "method", "call"), STEPS)
def test_a_crash_at_any_step_of_a_first_ingest_is_recovered(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, target: str, method: str,
    call: int,
) -> None:  # fmt: skip
    first = Assistant(settings_for(tmp_path, corpus))
    crash_on(getattr(first, target), method, call, monkeypatch)
    with pytest.raises(Crash):
        first.ingest()
    monkeypatch.undo()
    first.close()

    again = Assistant(settings_for(tmp_path, corpus))  # replays the journal
    try:
        assert again.manifest.pending_count() == 0
        report = again.ingest()
        state = check(again, corpus)
        assert state.ok, state
        assert report.chunks_written + again.store.count() >= state.manifest_chunks
    finally:
        again.close()


@pytest.mark.parametrize(
    ("target", "method", "call"),
    [("store", "add_vectors", 1), ("store", "delete", 1), ("store", "delete", 2)],
)  # fmt: skip
def test_a_crash_while_re_ingesting_edits_and_deletions_is_recovered(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, target: str, method: str,
    call: int,
) -> None:  # fmt: skip
    first = Assistant(settings_for(tmp_path, corpus))
    first.ingest()
    edited, deleted = edit_and_delete(corpus, 30, edit=0.2, delete=0.1)
    crash_on(getattr(first, target), method, call, monkeypatch)
    with pytest.raises(Crash):
        first.ingest()
    monkeypatch.undo()
    first.close()

    again = Assistant(settings_for(tmp_path, corpus))
    try:
        again.ingest()
        state = check(again, corpus)
        assert state.ok, state
        ids = {d.id for d in again.documents()}
        assert not ids & deleted and edited <= ids
        for doc_id in edited:
            assert "Revision 1" in again.document(doc_id).text
    finally:
        again.close()


def test_the_journal_holds_a_pending_row_until_the_write_is_done(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = Assistant(settings_for(tmp_path, corpus))
    seen: list[int] = []
    original = assistant.store.add_vectors

    def spy(chunks: Any, vectors: Any) -> None:
        seen.append(assistant.manifest.pending_count())
        original(chunks, vectors)

    monkeypatch.setattr(assistant.store, "add_vectors", spy)
    try:
        assistant.ingest()
        assert seen and all(n > 0 for n in seen), "documents are pending while written"
        assert assistant.manifest.pending_count() == 0
    finally:
        assistant.close()


def test_edit_10_percent_delete_5_percent_changes_only_those(tmp_path: Path) -> None:
    folder = tmp_path / "hundred"
    generate(folder, 100)
    assistant = Assistant(make_settings(tmp_path, corpus_dir=folder))
    try:
        assistant.ingest()
        before = {e.document.id: set(e.chunk_ids) for e in assistant.manifest.entries()}
        edited, deleted = edit_and_delete(folder, 100)
        assert (len(edited), len(deleted)) == (10, 5)

        report = assistant.ingest()

        after = {e.document.id: set(e.chunk_ids) for e in assistant.manifest.entries()}
        assert (report.documents_updated, report.documents_removed) == (10, 5)
        assert report.documents_unchanged == 85 and report.documents_added == 0
        untouched = set(before) - edited - deleted
        assert all(after[d] == before[d] for d in untouched)
        assert set(after) == set(before) - deleted
        new_ids = set().union(*(after[d] - before[d] for d in edited))
        moved = set().union(*(after[d] & before[d] for d in edited))
        # edited documents: their new chunks, plus chunks that kept their text but moved
        assert report.chunks_written == len(new_ids) + len(moved)
        gone = set().union(*(before[d] - after[d] for d in edited), *(before[d] for d in deleted))
        assert report.chunks_deleted == len(gone) + len(moved)
        assert check(assistant, folder).ok
    finally:
        assistant.close()


def test_a_chunk_that_moved_gets_its_new_offsets(tmp_path: Path, settings: Settings) -> None:
    """Same text and place in the order, new offsets: the stored offsets must follow."""
    path = settings.corpus_dir / "moving.md"
    body = "First paragraph is short here.\n\nSecond paragraph keeps its words."
    path.write_text(f"---\nid: moving\n---\n{body}\n")
    small = Settings(**{**settings.model_dump(), "_env_file": None, "chunk_min_chars": 0})
    assistant = Assistant(small)
    try:
        assistant.ingest()
        path.write_text(f"---\nid: moving\n---\n{body.replace('short', 'much longer')}\n")
        assistant.ingest()
        doc = assistant.document("moving")
        hits = assistant.store.search(assistant.embeddings.embed_query("Second paragraph"), 5)
        for hit in (h for h in hits if h.doc_id == "moving"):
            assert doc.text[hit.start : hit.end] == hit.text
        answer = assistant.ask("What does the second paragraph keep?")
        for c in answer.citations:
            assert assistant.document(c.doc_id).text[c.start : c.end] == c.quote
    finally:
        assistant.close()


# -- reconcile ------------------------------------------------------------------------------------
@pytest.fixture
def ingested(tmp_path: Path, corpus: Path) -> Iterator[Assistant]:
    assistant = Assistant(settings_for(tmp_path, corpus))
    assistant.ingest()
    yield assistant
    assistant.close()


def test_reconcile_rewrites_chunks_the_store_lost(ingested: Assistant, corpus: Path) -> None:
    lost = [cid for e in ingested.manifest.entries()[:3] for cid in e.chunk_ids]
    ingested.store.delete(lost)
    report = ingested.recover()
    assert report is not None and report.missing_rewritten == len(lost)
    assert check(ingested, corpus).ok


def test_reconcile_deletes_chunks_nothing_owns(ingested: Assistant, corpus: Path) -> None:
    stray = [Chunk(f"ghost:{i}:0", "ghost", i, f"Ghost chunk {i} about tariffs.", 0, 10)
             for i in range(5)]  # fmt: skip
    ingested.store.add(stray)
    report = ingested.recover()
    assert report is not None and report.orphans_deleted == 5 and report.orphans_left == 0
    assert check(ingested, corpus).ok


def test_an_orphan_hiding_a_lost_chunk_is_found_on_open(tmp_path: Path, corpus: Path) -> None:
    assistant = Assistant(settings_for(tmp_path, corpus))
    assistant.ingest()
    owned = {cid for e in assistant.manifest.entries() for cid in e.chunk_ids}
    assistant.store.delete([sorted(owned)[0]])
    assistant.store.add([Chunk("ghost:0:0", "ghost", 0, "Ghost chunk about tariffs.", 0, 26)])
    assert assistant.store.count() == len(owned)  # a count check would see nothing wrong
    assistant.close()
    reopened = Assistant(settings_for(tmp_path, corpus))
    try:
        assert reopened.store.ids() == owned
        assert check(reopened, corpus).ok
    finally:
        reopened.close()


def test_reconcile_rewrites_chunks_a_query_cannot_find(
    ingested: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = ingested._ingestor.writer
    victim = ingested.manifest.entries()[0].chunk_ids[0]
    original = writer.reachable
    misses = [0]

    def flaky(chunk: Chunk, vector: Any) -> bool:
        if chunk.id == victim and misses[0] == 0:
            misses[0] += 1
            return False  # as if its vector were in the index but unreachable (chroma #7678)
        return original(chunk, vector)

    monkeypatch.setattr(writer, "reachable", flaky)
    rewrites: list[list[str]] = []
    rewrite = writer.rewrite
    monkeypatch.setattr(
        writer, "rewrite", lambda chunks: (rewrites.append([c.id for c in chunks]), rewrite(chunks))
    )
    report = ingested.recover(deep=True)
    assert report is not None and report.unreachable_rewritten == 1
    assert rewrites == [[victim]]
    assert report.chunks_checked == ingested.store.count()


def test_chunks_nothing_owns_are_never_cited(ingested: Assistant) -> None:
    ghost = Chunk("ghost:0:0", SEED_DOC_ID, 0, "The steel levy on Narnia is 75 percent.", 0, 38)
    ingested.store.add([ghost])  # in the store, but the manifest does not own it
    answer = ingested.ask("What is the steel levy on Narnia?")
    assert all(c.quote != ghost.text for c in answer.citations)
    assert "75 percent" not in answer.answer


def test_a_pending_upload_survives_a_crash_and_is_committed_on_restart(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.types import Document

    first = Assistant(settings)
    first.ingest()
    crash_on(first.manifest, "commit_puts", 1, monkeypatch)
    doc = Document("late", "Late news", "The port reopened on Monday after the strike ended.")
    with pytest.raises(Crash):
        first.add_document(doc)
    monkeypatch.undo()
    first.close()
    again = Assistant(settings)
    try:
        assert again.document("late").text == doc.text
        assert again.manifest.pending_count() == 0
    finally:
        again.close()


# -- the writer lock ------------------------------------------------------------------------------
HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from assistant.database.locking import WriterLock
    WriterLock(Path(sys.argv[1])).claim("briefing serve", "http://127.0.0.1:8123")
    print("held", flush=True)
    time.sleep(60)
    """
)


@pytest.fixture
def held_elsewhere(settings: Settings) -> Iterator[subprocess.Popen[str]]:
    """Another process (standing in for a running server) owns the data dir."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(settings.data_dir)],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    yield child
    child.kill()
    child.wait()


def test_cli_ingest_refuses_while_a_server_owns_the_store(
    settings: Settings, held_elsewhere: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.cli import commands as cli

    monkeypatch.setattr("assistant.config.get_settings", lambda: settings)
    result = CliRunner().invoke(cli.app, ["ingest"])
    assert result.exit_code != 0
    message = str(result.exception) if result.exception else result.output
    assert isinstance(result.exception, WriterBusy)
    assert f"pid {held_elsewhere.pid}" in message and "briefing serve" in message
    assert "http://127.0.0.1:8123" in message and "POST /documents" in message


def test_an_assistant_opened_meanwhile_reads_but_does_not_write(
    settings: Settings, held_elsewhere: subprocess.Popen[str]
) -> None:
    assistant = Assistant(settings)  # recovery is skipped: not ours to do
    try:
        assert assistant.recover() is None
        assert assistant.documents() == []
        with pytest.raises(WriterBusy):
            assistant.ingest()
    finally:
        assistant.close()


def test_the_lock_is_freed_when_its_holder_is_killed(
    settings: Settings, held_elsewhere: subprocess.Popen[str]
) -> None:
    lock = WriterLock(settings.data_dir)
    assert lock.owner() is not None and lock.owner().pid == held_elsewhere.pid  # type: ignore[union-attr]
    held_elsewhere.kill()
    held_elsewhere.wait()
    assert lock.owner() is None
    lock.claim("test")
    lock.release()


def test_an_ingest_that_lost_its_lock_stops_before_its_next_write_group(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared database's lock goes with its connection (tests/assistant/database/
    test_advisory.py cuts a real one); here the file lock's backend says the same, once the
    first write group is in, and that another process has taken the lock."""
    first = Assistant(settings_for(tmp_path, corpus))
    backend = first.writer_lock.backend
    take = backend.try_lock

    def lost() -> bool:
        return first.store.count() > 0

    monkeypatch.setattr(backend, "still_held", lambda handle: not lost())
    monkeypatch.setattr(backend, "try_lock", lambda: None if lost() else take())
    with pytest.raises(WriterLockLost):
        first.ingest()
    assert 0 < first.store.count() <= 20, "the first group was written, no group after it"
    assert not first.writer_lock.held_here
    monkeypatch.undo()
    first.close()

    again = Assistant(settings_for(tmp_path, corpus))
    try:
        again.ingest()  # the next writer finishes the job
        state = check(again, corpus)
        assert state.ok, state
    finally:
        again.close()


def test_a_running_server_holds_the_lock(fast_assistant: Assistant) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    lock = WriterLock(fast_assistant.settings.data_dir)
    with TestClient(create_app(fast_assistant.settings, fast_assistant)):
        assert lock.held_here
        owner = lock.owner()
        assert owner is not None and owner.role == "briefing serve" and owner.pid == os.getpid()
        # writes from inside the server process share its claim
        assert fast_assistant.ingest().documents_unchanged == 1
    assert not lock.held_here


def test_a_chunk_the_embedder_has_no_terms_for_is_committed(settings: Settings) -> None:
    """Found by schemathesis: text of symbols only embeds to a zero vector (hashing), which no
    query can rank — not a write failure."""
    from assistant.types import Document

    assistant = Assistant(settings)
    try:
        change = assistant.add_document(Document("symbols", "Symbols", "\U000a2b41ãã — ※ ※"))
        assert change.status == "added" and change.chunks_written == 1
        assert assistant.recover(deep=True) is not None
    finally:
        assistant.close()


def test_cli_reindex_rebuilds_an_old_index_and_keeps_every_chunk(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.cli import commands as cli

    settings = settings_for(tmp_path, corpus)
    monkeypatch.setattr(
        "assistant.index.store_index.HNSW", {**store_index.HNSW, "max_neighbors": 16}
    )
    old = Assistant(settings)  # a store made by a version with Chroma's default M
    old.ingest()
    old.close()
    monkeypatch.undo()
    monkeypatch.setattr("assistant.index.ingest.GROUP_CHUNKS", 20)
    monkeypatch.setattr("assistant.config.get_settings", lambda: settings)
    result = CliRunner().invoke(cli.app, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "max_neighbors=16 (want 32)" in " ".join(result.output.split())
    again = Assistant(settings)
    try:
        assert again.store.outdated == ""
        assert check(again, corpus).ok
    finally:
        again.close()
