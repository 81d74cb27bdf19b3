"""`briefing db upgrade | status`: the schema of the state database.

With BRIEFING_DATABASE_URL (PostgreSQL) the schema is migrated by this command, once per
release, from any one host (workers refuse to start on an older schema). Without it, the SQLite
files in the data directory are migrated when they are opened; the command does that too.
"""

from __future__ import annotations

import typer

from assistant.cli import output as out

db_app = typer.Typer(
    help="The state database (PostgreSQL with BRIEFING_DATABASE_URL, else SQLite files in the "
    "data directory): apply schema migrations, show the schema revision.",
    no_args_is_help=True,
)


@db_app.command()
def upgrade() -> None:
    """Apply the schema migrations (Alembic). Safe to run twice, and from two hosts at once.

    Example: `BRIEFING_DATABASE_URL=postgresql://briefing:…@db:5432/briefing briefing db upgrade`
    """
    from assistant.cli.common import load_settings
    from assistant.database.engine import Database, shared_engine
    from assistant.database.migrate import upgrade as run_upgrade
    from assistant.database.opening import open_sqlite, shared_url, sqlite_path
    from assistant.database.schema import GROUPS

    settings = load_settings()
    url = shared_url(settings)
    if url is None:
        for group in GROUPS[:-1]:  # coordination lives only in a shared database
            path = sqlite_path(settings, group)
            existed = path.exists()
            open_sqlite(path, group).close()  # opening migrates
            out.console.print(f"{path}: {'up to date' if existed else 'created'}")
        return
    engine, release = shared_engine(url, 1)
    db = Database(engine, release=release)
    try:
        done = run_upgrade(db)
    finally:
        db.close()
    if done.before == done.after:
        out.console.print(f"{db.where}: already at revision {done.after}")
    else:
        out.console.print(f"{db.where}: {done.before or 'empty'} → revision {done.after}")


@db_app.command()
def status() -> None:
    """Show where the state lives and its schema revision (exit 1 when behind)."""
    import sqlalchemy as sa

    from assistant.cli.common import load_settings
    from assistant.database.engine import Database, shared_engine
    from assistant.database.migrate import HEAD, revision
    from assistant.database.opening import shared_url, sqlite_path
    from assistant.database.schema import GROUPS

    settings = load_settings()
    url = shared_url(settings)
    revisions: dict[str, str | None] = {}
    if url is None:
        for group in GROUPS[:-1]:
            path = sqlite_path(settings, group)
            if not path.exists():
                revisions[str(path)] = None
                continue
            engine = sa.create_engine(f"sqlite:///{path}")
            with engine.connect() as conn:
                revisions[str(path)] = revision(conn)
            engine.dispose()
    else:
        engine, release = shared_engine(url, 1)
        db = Database(engine, release=release)
        try:
            with db.read() as conn:
                revisions[db.where] = revision(conn)
        finally:
            db.close()
    behind = False
    for where, current in revisions.items():
        state = "up to date" if current == HEAD else f"behind (needs {HEAD})"
        behind |= current != HEAD
        out.console.print(f"{where}: revision {current or 'none'} — {state}")
    if behind:
        raise typer.Exit(1)
