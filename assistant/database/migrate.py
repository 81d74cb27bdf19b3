"""Schema migrations (Alembic, scripts in `migrations/versions`), run from code.

A SQLite file is brought to the head when it is opened (inside one `BEGIN IMMEDIATE`, so two
processes opening a new file at once cannot both run them). A shared PostgreSQL database is
migrated by `briefing db upgrade` (under a transaction-level advisory lock), and a process that
finds it behind refuses to start rather than guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assistant.database.engine import Database
from assistant.database.schema import GROUPS, Group
from assistant.errors import ConfigError

#: The newest revision in `migrations/versions` (a test checks it against Alembic's head).
HEAD = "0003"
SCRIPTS = Path(__file__).parent / "migrations"
_UPGRADE_LOCK = 0x0B1EF1  # pg_advisory_xact_lock key: one `db upgrade` at a time


@dataclass(frozen=True)
class Upgrade:
    before: str | None  # None: a database Briefing had not migrated yet
    after: str


def revision(conn: Connection) -> str | None:
    """The revision the database is at; None before the first migration."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _run(conn: Connection, groups: Sequence[Group]) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = conn
    config.attributes["groups"] = tuple(groups)
    command.upgrade(config, "head")


def upgrade(db: Database, groups: Sequence[Group] = GROUPS) -> Upgrade:
    """Bring `db` to the head revision (creating `groups`' tables); idempotent."""
    with db.write() as conn:
        if db.shared:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        before = revision(conn)
        if before != HEAD:
            _run(conn, groups)
    return Upgrade(before, HEAD)


def ensure_current(db: Database, group: Group) -> None:
    """SQLite: migrate now if needed. PostgreSQL: ConfigError unless it is at the head."""
    with db.read() as conn:
        current = revision(conn)
    if current == HEAD:
        return
    if not db.shared:
        upgrade(db, (group,))
        return
    state = "has no Briefing schema yet" if current is None else f"is at revision {current}"
    raise ConfigError(
        f"the database {db.where} {state}; this version of Briefing needs revision {HEAD}. "
        "Run `briefing db upgrade` (once, from any host), then start again."
    )
