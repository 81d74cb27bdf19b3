"""Schema migrations: the head the code names is Alembic's, a migrated database has exactly the
schema the stores use, upgrading is idempotent, SQLite files written before migrations keep
their rows (and their order), and a shared database that is behind is refused."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from assistant.briefs.codec import briefing_to_dict
from assistant.briefs.history import BriefingStore
from assistant.database import migrate
from assistant.database.engine import Database
from assistant.database.opening import open_database, open_sqlite
from assistant.database.schema import GROUPS, TABLES, metadata
from assistant.errors import ConfigError
from assistant.index.manifest import Manifest
from assistant.sources.feeds import FeedStore
from assistant.types import (
    Briefing,
    BriefingItem,
    BriefingSection,
    Citation,
    SourceRef,
)
from tests.conftest import make_settings


def schema_of(engine: sa.Engine) -> dict[str, set[str]]:
    inspector = sa.inspect(engine)
    return {
        name: {column["name"] for column in inspector.get_columns(name)}
        for name in inspector.get_table_names()
    }


def expected(tables: object) -> dict[str, set[str]]:
    wanted = {t.name: {c.name for c in t.columns} for t in tables}  # type: ignore[attr-defined]
    wanted["alembic_version"] = {"version_num"}
    return wanted


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    db = Database(sa.create_engine(pg_url))
    yield db
    db.engine.dispose()


# -- the head -------------------------------------------------------------------------------------
def test_head_is_alembics_head() -> None:
    scripts = ScriptDirectory(str(migrate.SCRIPTS))
    assert scripts.get_heads() == [migrate.HEAD], "one head, the one the code names"
    revisions = [s.revision for s in scripts.walk_revisions()]
    assert revisions[0] == migrate.HEAD and revisions[-1] == "0001"


# -- PostgreSQL: one database, every group -----------------------------------------------------
def test_postgresql_at_head_has_exactly_the_schema(pg: Database) -> None:
    done = migrate.upgrade(pg)
    assert done == migrate.Upgrade(before=None, after=migrate.HEAD)
    assert schema_of(pg.engine) == expected(metadata.tables.values())
    with pg.read() as conn:
        assert migrate.revision(conn) == migrate.HEAD


def test_upgrading_twice_is_a_no_op(pg: Database) -> None:
    migrate.upgrade(pg)
    with pg.write() as conn:  # data written in between survives the second upgrade
        conn.execute(sa.text("INSERT INTO counters VALUES ('documents', 7)"))
    assert migrate.upgrade(pg) == migrate.Upgrade(before=migrate.HEAD, after=migrate.HEAD)
    with pg.read() as conn:
        assert conn.execute(sa.text("SELECT value FROM counters")).scalar_one() == 7
        assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1


def test_a_shared_database_at_no_revision_is_refused(pg_url: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=pg_url, chroma_url="http://127.0.0.1:1")
    with pytest.raises(ConfigError) as raised:
        open_database(settings, "manifest")
    message = str(raised.value)
    assert "briefing db upgrade" in message and "has no Briefing schema" in message
    engine = sa.create_engine(pg_url)
    try:  # refusing did not migrate it behind the operator's back
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_a_shared_database_behind_the_head_is_refused(
    pg: Database, pg_url: str, tmp_path: Path
) -> None:
    migrate.upgrade(pg)
    with pg.write() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    settings = make_settings(tmp_path, database_url=pg_url, chroma_url="http://127.0.0.1:1")
    with pytest.raises(ConfigError, match=r"is at revision 0001.*briefing db upgrade"):
        open_database(settings, "sessions")


# -- SQLite: one file per group -------------------------------------------------------------------
@pytest.mark.parametrize("group", [g for g in GROUPS if g != "coordination"])
def test_a_new_sqlite_file_holds_only_its_groups_tables(tmp_path: Path, group: str) -> None:
    db = open_sqlite(tmp_path / f"{group}.sqlite3", group)  # type: ignore[arg-type]
    try:
        assert schema_of(db.engine) == expected(TABLES[group])  # type: ignore[index]
        with db.read() as conn:
            assert migrate.revision(conn) == migrate.HEAD
    finally:
        db.close()


# -- SQLite files written before migrations (e375fb1) ---------------------------------------------
LEGACY_BRIEFINGS = (
    "CREATE TABLE IF NOT EXISTS briefings (id TEXT PRIMARY KEY, created_at TEXT NOT NULL,"
    " topic TEXT, body TEXT NOT NULL)"
)
LEGACY_FEEDS = (
    "CREATE TABLE IF NOT EXISTS feeds (id TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT,"
    " interval REAL NOT NULL, created_at TEXT NOT NULL, etag TEXT, last_modified TEXT,"
    " last_run_at TEXT, next_run_at TEXT NOT NULL, last_status TEXT, last_error TEXT,"
    " last_added TEXT NOT NULL DEFAULT '[]', last_problems TEXT NOT NULL DEFAULT '[]',"
    " last_briefing_id TEXT)"
)
LEGACY_ENTRIES = (
    "CREATE TABLE IF NOT EXISTS feed_entries (feed_id TEXT NOT NULL, key TEXT NOT NULL,"
    " link TEXT, status TEXT NOT NULL, doc_id TEXT, failures INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (feed_id, key))"
)
LEGACY_MANIFEST = (
    """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT, published TEXT, url TEXT,
    path TEXT, content_hash TEXT NOT NULL, text TEXT NOT NULL, chunk_ids TEXT NOT NULL,
    ingested_at TEXT NOT NULL
)
""",
    """
CREATE TABLE IF NOT EXISTS pending (
    doc_id TEXT PRIMARY KEY,
    op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
    phase TEXT NOT NULL CHECK (phase IN ('writing', 'cleanup')),
    document TEXT, content_hash TEXT, chunk_ids TEXT NOT NULL, stale_ids TEXT NOT NULL,
    started_at TEXT NOT NULL
)
""",
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)
AT = "2025-01-01T10:00:00+00:00"


def legacy(path: Path, *statements: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    return conn


def briefing(briefing_id: str, topic: str | None, headline: str) -> Briefing:
    citation = Citation(1, "doc", "Title", "Duties rose 2%.", 0, 15, 0.9)
    item = BriefingItem("Duties rose 2%. [1]", (citation,), key="figure:duties")
    return Briefing(
        headline, topic, (BriefingSection("summary", "Situation", (item,)),),
        (SourceRef("doc", "Title", "Wire", None, None),), generated_at=AT, id=briefing_id,
        corpus_state=(("doc", "hash-1"),),
    )  # fmt: skip


def test_legacy_briefings_keep_their_rows_and_rowid_order(tmp_path: Path) -> None:
    path = tmp_path / "briefings.sqlite3"
    conn = legacy(path, LEGACY_BRIEFINGS)
    # the old `save`: INSERT OR REPLACE, all in one second; neither id order nor first-saved wins
    saves = [("fff000", "first"), ("aaa000", "second"), ("ccc000", "third"),
             ("aaa000", "second, saved again"), ("eee000", "whole")]  # fmt: skip
    for briefing_id, headline in saves:
        topic = None if briefing_id == "eee000" else "cars"
        body = json.dumps(briefing_to_dict(briefing(briefing_id, topic, headline)))
        conn.execute(
            "INSERT OR REPLACE INTO briefings VALUES (?, ?, ?, ?)", (briefing_id, AT, topic, body)
        )
    old_latest = conn.execute(
        "SELECT id FROM briefings WHERE topic IS 'cars' ORDER BY created_at DESC, rowid DESC"
    ).fetchone()[0]
    conn.close()
    assert old_latest == "aaa000"  # what the old code answered

    store = BriefingStore(path)
    try:
        assert store.latest("cars").id == "aaa000"
        assert store.latest("cars").headline == "second, saved again"
        assert store.latest(None).id == "eee000"
        assert {store.get(i).headline for i in ("fff000", "ccc000")} == {"first", "third"}
        # a save after the migration is newer than every migrated row of its second
        store.save(briefing("bbb000", "cars", "after the upgrade"))
        assert store.latest("cars").id == "bbb000"
    finally:
        store.close()


def test_legacy_feed_entries_keep_their_rows_and_rowid_order(tmp_path: Path) -> None:
    path = tmp_path / "intake.sqlite3"
    conn = legacy(path, LEGACY_FEEDS, LEGACY_ENTRIES)
    conn.execute(
        "INSERT INTO feeds (id, url, title, interval, created_at, next_run_at) VALUES "
        "('feed00000001', 'https://news.example/rss.xml', 'News', 600, ?, ?)",
        (AT, AT),
    )
    # the old `mark_entry`: INSERT OR REPLACE (a new rowid per write), one poll = one second
    for key in ("c", "a", "b", "f", "c"):
        status, doc = ("failed", None) if key == "f" else ("done", f"doc-{key}")
        conn.execute(
            "INSERT OR REPLACE INTO feed_entries VALUES (?, ?, ?, ?, ?, 0, NULL, ?)",
            ("feed00000001", key, f"https://news.example/{key}", status, doc, AT),
        )
    conn.close()

    store = FeedStore(path)
    try:
        assert store.get("feed00000001").title == "News"
        assert store.entries("feed00000001") == {
            "a": ("done", 0), "b": ("done", 0), "c": ("done", 0), "f": ("failed", 0)
        }  # fmt: skip
        assert [r.doc_id for r in store.recent("feed00000001")] == ["doc-c", "doc-b", "doc-a"]
        store.mark_entry("feed00000001", "a", "https://news.example/a", "done", doc_id="doc-a")
        assert store.recent("feed00000001")[0].doc_id == "doc-a", "a later write is newer"
    finally:
        store.close()


def test_a_legacy_manifest_keeps_its_documents_and_journal(tmp_path: Path) -> None:
    path = tmp_path / "manifest.sqlite3"
    conn = legacy(path, *LEGACY_MANIFEST)
    for doc_id in ("b-doc", "a-doc"):
        conn.execute(
            "INSERT INTO documents VALUES (?, ?, 'Wire', '2025-01-02', NULL, NULL, ?, ?, ?, ?)",
            (doc_id, doc_id.upper(), f"hash-{doc_id}", f"text of {doc_id}",
             json.dumps([f"{doc_id}:0", f"{doc_id}:1"]), AT),
        )  # fmt: skip
    conn.execute(
        "INSERT INTO pending VALUES ('c-doc', 'delete', 'cleanup', NULL, NULL, '[]', ?, ?)",
        (json.dumps(["c-doc:0"]), AT),
    )
    conn.execute("INSERT INTO counters VALUES ('documents', 4)")
    conn.close()

    manifest = Manifest(path)
    try:
        entries = {e.document.id: e for e in manifest.entries()}
        assert set(entries) == {"a-doc", "b-doc"}
        assert entries["b-doc"].document.title == "B-DOC"
        assert entries["b-doc"].document.published is not None
        assert entries["b-doc"].chunk_ids == ("b-doc:0", "b-doc:1")
        assert manifest.pending_count() == 1
        (op,) = manifest.pending()
        assert (op.doc_id, op.op, op.stale_ids) == ("c-doc", "delete", ("c-doc:0",))
        with manifest.database.read() as read:
            assert migrate.revision(read) == migrate.HEAD
    finally:
        manifest.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        assert schema_of(engine) == expected(TABLES["manifest"])
    finally:
        engine.dispose()
