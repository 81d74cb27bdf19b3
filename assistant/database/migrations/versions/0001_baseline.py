"""Baseline: the tables the SQLite files had before migrations, plus the shared database's
coordination tables. `checkfirst`: files written by earlier versions keep their data.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assistant.database.migrations.groups import groups

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_meta = sa.MetaData()
_T, _I, _F = sa.Text, sa.Integer, sa.Float
TABLES = {
    "manifest": (
        sa.Table("documents", _meta, sa.Column("doc_id", _T, primary_key=True),
                 sa.Column("title", _T, nullable=False), sa.Column("source", _T),
                 sa.Column("published", _T), sa.Column("url", _T), sa.Column("path", _T),
                 sa.Column("content_hash", _T, nullable=False),
                 sa.Column("text", _T, nullable=False), sa.Column("chunk_ids", _T, nullable=False),
                 sa.Column("ingested_at", _T, nullable=False)),
        sa.Table("pending", _meta, sa.Column("doc_id", _T, primary_key=True),
                 sa.Column("op", _T, sa.CheckConstraint("op IN ('put', 'delete')"),
                           nullable=False),
                 sa.Column("phase", _T, sa.CheckConstraint("phase IN ('writing', 'cleanup')"),
                           nullable=False),
                 sa.Column("document", _T), sa.Column("content_hash", _T),
                 sa.Column("chunk_ids", _T, nullable=False),
                 sa.Column("stale_ids", _T, nullable=False),
                 sa.Column("started_at", _T, nullable=False)),
        sa.Table("counters", _meta, sa.Column("name", _T, primary_key=True),
                 sa.Column("value", _I, nullable=False)),
    ),
    "sessions": (
        sa.Table("sessions", _meta, sa.Column("id", _T, primary_key=True),
                 sa.Column("created_at", _T, nullable=False)),
        sa.Table("turns", _meta, sa.Column("session_id", _T, primary_key=True),
                 sa.Column("n", _I, primary_key=True, autoincrement=False),
                 sa.Column("question", _T, nullable=False), sa.Column("answer", _T, nullable=False),
                 sa.Column("retrieval_query", _T, nullable=False)),
    ),
    "briefings": (
        sa.Table("briefings", _meta, sa.Column("id", _T, primary_key=True),
                 sa.Column("created_at", _T, nullable=False), sa.Column("topic", _T),
                 sa.Column("body", _T, nullable=False)),
    ),
    "intake": (
        sa.Table("feeds", _meta, sa.Column("id", _T, primary_key=True),
                 sa.Column("url", _T, nullable=False, unique=True), sa.Column("title", _T),
                 sa.Column("interval", _F, nullable=False),
                 sa.Column("created_at", _T, nullable=False), sa.Column("etag", _T),
                 sa.Column("last_modified", _T), sa.Column("last_run_at", _T),
                 sa.Column("next_run_at", _T, nullable=False), sa.Column("last_status", _T),
                 sa.Column("last_error", _T),
                 sa.Column("last_added", _T, nullable=False, server_default="[]"),
                 sa.Column("last_problems", _T, nullable=False, server_default="[]"),
                 sa.Column("last_briefing_id", _T)),
        sa.Table("feed_entries", _meta, sa.Column("feed_id", _T, primary_key=True),
                 sa.Column("key", _T, primary_key=True), sa.Column("link", _T),
                 sa.Column("status", _T, nullable=False), sa.Column("doc_id", _T),
                 sa.Column("failures", _I, nullable=False, server_default="0"),
                 sa.Column("reason", _T), sa.Column("updated_at", _T, nullable=False)),
        sa.Table("origins", _meta, sa.Column("doc_id", _T, primary_key=True),
                 sa.Column("kind", _T, nullable=False), sa.Column("detail", _T),
                 sa.Column("added_at", _T, nullable=False)),
    ),
    "coordination": (
        sa.Table("rate_buckets", _meta, sa.Column("client", _T, primary_key=True),
                 sa.Column("tokens", _F, nullable=False), sa.Column("stamp", _F, nullable=False)),
        sa.Table("lock_owners", _meta, sa.Column("name", _T, primary_key=True),
                 sa.Column("pid", _I, nullable=False), sa.Column("host", _T, nullable=False),
                 sa.Column("role", _T, nullable=False), sa.Column("detail", _T),
                 sa.Column("since", _T, nullable=False)),
    ),
}  # fmt: skip


def upgrade() -> None:
    tables = [t for group in groups() for t in TABLES[group]]
    _meta.create_all(op.get_bind(), tables=tables, checkfirst=True)
