"""Save order for briefings and feed entries (`seq`), so "the latest" does not rely on
SQLite's rowid (PostgreSQL has none). Existing SQLite rows take their rowid.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assistant.database.migrations.groups import groups

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = {"briefings": "briefings", "intake": "feed_entries"}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for group, table in _TABLES.items():
        if group in groups():
            op.add_column(table, sa.Column("seq", sa.BigInteger))
            if sqlite:
                op.execute(f"UPDATE {table} SET seq = rowid")
