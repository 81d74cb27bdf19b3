"""Where a reliability trial keeps its state: the data directory alone (SQLite files and the
embedded store), or the shared back ends several hosts use (PostgreSQL + a Chroma server).

A trial starts from nothing, or from the whole corpus ingested (`start_from`): a copy of the
base data directory, or — there is no copying a Chroma collection — a full ingest into the
trial's fresh database and collection.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from assistant.config import Settings
from assistant.database import migrate
from assistant.database.engine import Database
from assistant.index.store import ChunkStore
from assistant.search.embeddings import HashingEmbeddings
from tests.pg_cluster import PgCluster


class LocalBackend:
    name = "local"

    def new_trial(self) -> None:
        """Each trial has its own data directory already."""

    def env(self) -> dict[str, str]:
        return {}

    def settings(self, data: Path, corpus: Path) -> Settings:
        return Settings(_env_file=None, data_dir=data, corpus_dir=corpus, embeddings="hashing")  # type: ignore[call-arg]

    def pending_rows(self, data: Path) -> int:
        db = sqlite3.connect(data / "manifest.sqlite3")
        try:
            return int(db.execute("SELECT count(*) FROM pending").fetchone()[0])
        except sqlite3.OperationalError:  # killed before the manifest existed
            return 0
        finally:
            db.close()

    def start_from(self, base: Path, data: Path, ingest: Callable[[Path], None]) -> None:
        shutil.copytree(base, data)

    def close(self) -> None:
        pass


class SharedBackend:
    """A fresh PostgreSQL database and Chroma collection per trial."""

    name = "postgresql+chroma-server"

    def __init__(self, cluster: PgCluster, chroma_url: str) -> None:
        self._cluster, self._chroma = cluster, chroma_url
        self._made: list[tuple[str, str]] = []
        self.url, self.collection = "", ""

    def new_trial(self) -> None:
        name = f"trial_{uuid.uuid4().hex[:10]}"
        self.url, self.collection = self._cluster.create_database(name), name
        self._made.append((name, name))
        db = Database(sa.create_engine(self.url))
        try:
            migrate.upgrade(db)
        finally:
            db.close()

    def env(self) -> dict[str, str]:
        return {"BRIEFING_DATABASE_URL": self.url, "BRIEFING_CHROMA_URL": self._chroma,
                "BRIEFING_CHROMA_COLLECTION": self.collection}  # fmt: skip

    def settings(self, data: Path, corpus: Path) -> Settings:
        return Settings(
            _env_file=None, data_dir=data, corpus_dir=corpus, embeddings="hashing",
            database_url=self.url, chroma_url=self._chroma, chroma_collection=self.collection,
        )  # type: ignore[call-arg]  # fmt: skip

    def pending_rows(self, data: Path) -> int:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(sa.text("SELECT count(*) FROM pending")).scalar_one())
        finally:
            engine.dispose()

    def start_from(self, base: Path, data: Path, ingest: Callable[[Path], None]) -> None:
        ingest(data)

    def close(self) -> None:
        for database, collection in self._made:
            ChunkStore.server(self._chroma, HashingEmbeddings(), collection=collection).drop()
            self._cluster.drop_database(database)
