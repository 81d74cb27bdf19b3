"""Shared state in a database: the manifest and its journal, sessions, saved briefings, feed
state, the writer lock (`locking`), the corpus generation counter and rate-limit buckets.

Two back ends behind one seam (`Database`, over SQLAlchemy Core):

* unset `BRIEFING_DATABASE_URL`: one SQLite file per concern in the data directory, as before
  (`manifest.sqlite3`, `sessions.sqlite3`, `briefings.sqlite3`, `intake.sqlite3`); migrations
  are applied to each file when it is opened;
* `BRIEFING_DATABASE_URL=postgresql://…`: every table in one PostgreSQL database shared by every
  worker on every host; `briefing db upgrade` applies the migrations.

This package imports nothing from the rest of `assistant` but `config` and `errors`.
"""
