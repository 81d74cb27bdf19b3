"""The manifest seen from several connections at once, as `serve --workers N` uses it: each
worker caches the committed documents and must notice other workers' commits, cheaply."""

from __future__ import annotations

from pathlib import Path

from assistant.index.manifest import Manifest, PlannedPut
from assistant.types import Document


def planned(doc_id: str, text: str = "Some text.") -> PlannedPut:
    return PlannedPut(
        Document(id=doc_id, title=doc_id, text=text), f"hash-{text}", (f"{doc_id}:0",)
    )


def commit(manifest: Manifest, put: PlannedPut) -> None:
    manifest.begin_puts([put])
    manifest.commit_puts([put])
    manifest.finish([put.document.id])


def test_commits_through_another_connection_are_seen(tmp_path: Path) -> None:
    one, other = Manifest(tmp_path / "m.sqlite3"), Manifest(tmp_path / "m.sqlite3")
    assert other.entries() == []
    seen = other.generation
    commit(one, planned("a"))
    assert other.get("a") is not None and other.generation != seen
    commit(one, planned("a", "Edited text."))
    entry = other.get("a")
    assert entry is not None and entry.document.text == "Edited text."
    one.begin_delete("a")
    assert other.get("a") is None and other.entries() == []


def test_journal_only_commits_keep_the_cache(tmp_path: Path) -> None:
    one, other = Manifest(tmp_path / "m.sqlite3"), Manifest(tmp_path / "m.sqlite3")
    commit(one, planned("a"))
    assert other.get("a") is not None
    seen = other.generation
    one.begin_puts([planned("b")])  # journaled, not committed: invisible, no reload
    assert other.get("b") is None and other.generation == seen
    one.finish(["b"])
    assert other.generation == seen


def test_own_writes_update_the_cache_and_move_the_generation(tmp_path: Path) -> None:
    # the cache follows in place; the generation moves so derived indexes (BM25, vocabulary)
    # know the documents changed
    manifest = Manifest(tmp_path / "m.sqlite3")
    seen = manifest.generation
    commit(manifest, planned("a"))
    assert manifest.get("a") is not None and manifest.generation == seen + 1
    manifest.begin_delete("a")
    assert manifest.get("a") is None and manifest.generation == seen + 2
