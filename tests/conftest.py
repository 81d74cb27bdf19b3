"""Shared fixtures: real Chroma stores in temp dirs; the hashing embedder for speed, and the
real packaged MiniLM (loaded once per session) where answer quality matters; a throwaway
PostgreSQL cluster (once per session) with a fresh database per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.database import migrate
from assistant.index.store import ChunkStore
from assistant.search.embeddings import HashingEmbeddings
from tests.hosts import VENV_BIN, base_env, chroma_running
from tests.pg_cluster import PgCluster, find_pg_bin, running_cluster

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus"
SEED_DOC_ID = "trump-japan-trade-talks"


def make_settings(tmp: Path, **overrides: object) -> Settings:
    corpus = tmp / "corpus"
    if not corpus.exists():
        shutil.copytree(SEED_CORPUS, corpus)
    values: dict[str, object] = {
        "data_dir": tmp / "data",
        "corpus_dir": corpus,
        "embeddings": "hashing",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Hashing embeddings, a private copy of the seed corpus, an empty data dir."""
    return make_settings(tmp_path)


@pytest.fixture
def fast_assistant(settings: Settings) -> Iterator[Assistant]:
    """An assistant with the seed corpus ingested, using the dependency-free embedder."""
    assistant = Assistant(settings)
    assistant.ingest()
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The default configuration (packaged all-MiniLM-L6-v2) over the seed corpus."""
    tmp = tmp_path_factory.mktemp("real")
    assistant = Assistant(make_settings(tmp, embeddings="sentence-transformers"))
    assistant.ingest()
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (superuser `briefing`, trust auth)."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        reason = "no PostgreSQL server binaries: install Debian's `postgresql` (make postgres-deps)"
        if os.environ.get("CI") or os.environ.get("CI_REQUIRE_POSTGRES"):
            pytest.fail(f"{reason} (CI is set: not skipping)")
        pytest.skip(reason)
    with running_cluster(bin_dir) as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, empty database on the session's cluster; its SQLAlchemy URL (dropped after)."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield pg_cluster.create_database(name)
    pg_cluster.drop_database(name)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server (`chroma run`, shipped with chromadb) on a free port; its URL."""
    with chroma_running(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture
def shared_env(tmp_path: Path, pg_url: str, chroma_server: str) -> Iterator[dict[str, str]]:
    """Settings every host shares: a fresh database (migrated by `briefing db upgrade`) and a
    fresh collection on the session's Chroma server."""
    collection = f"hosts_{uuid.uuid4().hex[:10]}"
    env = base_env(
        BRIEFING_DATABASE_URL=pg_url, BRIEFING_CHROMA_URL=chroma_server,
        BRIEFING_CHROMA_COLLECTION=collection, BRIEFING_EMBEDDINGS="hashing",
        BRIEFING_CORPUS_DIR=str(make_settings(tmp_path).corpus_dir),
        BRIEFING_DATA_DIR=str(tmp_path / "cli"),
    )  # fmt: skip
    done = subprocess.run([str(VENV_BIN / "briefing"), "db", "upgrade"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"empty → revision {migrate.HEAD}" in " ".join(done.stdout.split())
    yield env
    ChunkStore.server(chroma_server, HashingEmbeddings(), collection=collection).drop()
