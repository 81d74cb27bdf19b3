"""Which database a store uses: the settings' PostgreSQL, else its SQLite file."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.database.engine import Database, normalise_url, shared_engine, sqlite_engine
from assistant.database.migrate import ensure_current
from assistant.database.schema import Group
from assistant.errors import ConfigError


def sqlite_path(settings: Settings, group: Group) -> Path:
    paths: dict[str, Path] = {
        "manifest": settings.manifest_path, "sessions": settings.sessions_path,
        "briefings": settings.briefings_path, "intake": settings.intake_path,
    }  # fmt: skip
    if group not in paths:
        raise ConfigError(f"{group} state lives only in a shared database (BRIEFING_DATABASE_URL)")
    return paths[group]


def shared_url(settings: Settings) -> str | None:
    """The PostgreSQL URL, checked; None when the state lives in SQLite files."""
    if settings.database_url is None:
        return None
    url = normalise_url(settings.database_url.get_secret_value())
    if not settings.chroma_url:
        raise ConfigError(
            "BRIEFING_DATABASE_URL needs BRIEFING_CHROMA_URL too: the shared database lists the "
            "chunks of every document, and only a Chroma server holds them for every host (the "
            "embedded store in the data directory belongs to one process). See docs/scaling.md."
        )
    return url


def open_database(settings: Settings, group: Group) -> Database:
    url = shared_url(settings)
    if url is None:
        return open_sqlite(sqlite_path(settings, group), group)
    engine, release = shared_engine(url, settings.database_pool_size)
    db = Database(engine, release=release)
    try:
        ensure_current(db, group)
    except BaseException:
        db.close()
        raise
    return db


def open_sqlite(path: Path, group: Group) -> Database:
    db = Database(sqlite_engine(path))
    ensure_current(db, group)
    return db


def as_database(source: Path | Database, group: Group) -> Database:
    """Stores take a Database, or a SQLite file's path (tests, tools)."""
    return source if isinstance(source, Database) else open_sqlite(source, group)
