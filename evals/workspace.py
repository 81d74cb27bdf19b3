"""Where an external eval's corpus lives: its own data dir, never the production store.

The data dir is keyed by the corpus file and everything that changes its vectors (embedder,
model, chunk sizes), so a second run over an unchanged corpus reuses the ingest (which is
idempotent: it writes nothing) and an edited corpus only re-embeds what changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.config import Settings
from assistant.intake.documents import slugify

RETRIEVAL_MODES = ("dense", "lexical", "hybrid")


def eval_data_dir(settings: Settings, corpus: Path) -> Path:
    key = "|".join(
        [
            str(corpus.resolve()),
            settings.embeddings,
            settings.embedding_model,
            str(settings.chunk_max_chars),
            str(settings.chunk_min_chars),
        ]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return settings.data_dir / "eval-stores" / f"{slugify(corpus.stem) or 'corpus'}-{digest}"


def eval_settings(settings: Settings, corpus: Path, store: Path | None = None) -> Settings:
    """`settings` pointed at a private embedded store for `corpus` (no Chroma server)."""
    return settings.model_copy(
        update={
            "data_dir": store or eval_data_dir(settings, corpus),
            "corpus_dir": corpus.parent,
            "chroma_url": None,
        }
    )


def with_retrieval_mode(settings: Settings, mode: str) -> Settings:
    """`settings` retrieving by `mode`; ValueError for an unknown mode."""
    if mode not in RETRIEVAL_MODES:
        raise ValueError(f"unknown retrieval mode {mode!r}; choose {', '.join(RETRIEVAL_MODES)}")
    return settings.model_copy(update={"retrieval_mode": mode})
