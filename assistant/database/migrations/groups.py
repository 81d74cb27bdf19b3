"""Which table groups a migration run covers: a SQLite file holds one, PostgreSQL all."""

from __future__ import annotations

from alembic import context


def groups() -> tuple[str, ...]:
    return tuple(context.config.attributes.get("groups", ()))
