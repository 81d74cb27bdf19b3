"""The tables of the current schema, grouped by the SQLite file each group lives in.

The migrations under `migrations/versions` build this schema step by step; a test checks that
a database migrated to the head has exactly these tables and columns.
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa

Group = Literal["manifest", "sessions", "briefings", "intake", "coordination"]
GROUPS: tuple[Group, ...] = ("manifest", "sessions", "briefings", "intake", "coordination")

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("path", sa.Text),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("chunk_ids", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.Text, nullable=False),
    sa.Column("changed_in", sa.BigInteger, index=True),  # the generation that wrote it (0003)
)  # fmt: skip
#: The generation that removed each document (0003): with `documents.changed_in`, what a worker
#: whose cache is at generation N reads to catch up, instead of every document again.
removed_documents = sa.Table(
    "removed_documents", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("removed_in", sa.BigInteger, nullable=False, index=True),
)  # fmt: skip
pending = sa.Table(
    "pending", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("op", sa.Text, sa.CheckConstraint("op IN ('put', 'delete')"), nullable=False),
    sa.Column("phase", sa.Text, sa.CheckConstraint("phase IN ('writing', 'cleanup')"),
              nullable=False),
    sa.Column("document", sa.Text),
    sa.Column("content_hash", sa.Text),
    sa.Column("chunk_ids", sa.Text, nullable=False),
    sa.Column("stale_ids", sa.Text, nullable=False),
    sa.Column("started_at", sa.Text, nullable=False),
)  # fmt: skip
#: `documents`: how many transactions changed the documents table — the corpus generation
#: other workers compare to know their cached manifest and derived indexes are stale.
counters = sa.Table(
    "counters", metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)  # fmt: skip

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("created_at", sa.Text, nullable=False),
)  # fmt: skip
turns = sa.Table(
    "turns", metadata,
    sa.Column("session_id", sa.Text, primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("retrieval_query", sa.Text, nullable=False),
)  # fmt: skip

briefings = sa.Table(
    "briefings", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("topic", sa.Text),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("seq", sa.BigInteger),  # save order (0002): newest wins a same-second tie
)  # fmt: skip

feeds = sa.Table(
    "feeds", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("interval", sa.Float, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_run_at", sa.Text),
    sa.Column("next_run_at", sa.Text, nullable=False),
    sa.Column("last_status", sa.Text),
    sa.Column("last_error", sa.Text),
    sa.Column("last_added", sa.Text, nullable=False, server_default="[]"),
    sa.Column("last_problems", sa.Text, nullable=False, server_default="[]"),
    sa.Column("last_briefing_id", sa.Text),
)  # fmt: skip
feed_entries = sa.Table(
    "feed_entries", metadata,
    sa.Column("feed_id", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("link", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("doc_id", sa.Text),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reason", sa.Text),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("seq", sa.BigInteger),  # write order (0002): newest wins a same-second tie
)  # fmt: skip
origins = sa.Table(
    "origins", metadata,
    sa.Column("doc_id", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("detail", sa.Text),
    sa.Column("added_at", sa.Text, nullable=False),
)  # fmt: skip

#: Only in a shared database: per-client token buckets of every API worker, and who holds the
#: writer lock (the lock itself is a PostgreSQL advisory lock).
rate_buckets = sa.Table(
    "rate_buckets", metadata,
    sa.Column("client", sa.Text, primary_key=True),
    sa.Column("tokens", sa.Float, nullable=False),
    sa.Column("stamp", sa.Float, nullable=False),  # the database's clock, seconds
)  # fmt: skip
lock_owners = sa.Table(
    "lock_owners", metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("detail", sa.Text),
    sa.Column("since", sa.Text, nullable=False),
)  # fmt: skip

TABLES: dict[Group, tuple[sa.Table, ...]] = {
    "manifest": (documents, pending, counters, removed_documents),
    "sessions": (sessions, turns),
    "briefings": (briefings,),
    "intake": (feeds, feed_entries, origins),
    "coordination": (rate_buckets, lock_owners),
}
