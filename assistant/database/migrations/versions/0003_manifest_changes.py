"""What each generation changed in the manifest, so a worker whose cached manifest is behind
reads only the documents written or removed since, not every document's text again.

`documents.changed_in`: the generation that wrote the row (rows from before: none — they are
only ever read by a full load). `removed_documents`: the generation that removed a document.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assistant.database.migrations.groups import groups

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "manifest" not in groups():
        return
    op.add_column("documents", sa.Column("changed_in", sa.BigInteger))
    op.create_index("ix_documents_changed_in", "documents", ["changed_in"])
    op.create_table(
        "removed_documents",
        sa.Column("doc_id", sa.Text, primary_key=True),
        sa.Column("removed_in", sa.BigInteger, nullable=False, index=True),
    )
