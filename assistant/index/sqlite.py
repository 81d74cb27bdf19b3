"""Opening the SQLite files under the data dir (manifest, sessions) the same way."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_db(path: Path) -> sqlite3.Connection:
    """Autocommit connection in WAL mode, shareable across the server's worker threads.

    Callers serialise access with their own lock; WAL keeps readers in other processes
    (a CLI listing documents) from blocking on a writer.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    return db
