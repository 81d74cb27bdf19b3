"""Shared fixtures: real Chroma stores in temp dirs; the hashing embedder for speed, and the
real packaged MiniLM (loaded once per session) where answer quality matters."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings

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
