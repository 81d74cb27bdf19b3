"""ONNX Runtime sentence encoder: the sentence-transformers model exported once, run without torch.

Query-time embedding (a question, the candidate sentences of an answer) is a few short texts at a
time, where load time and per-call overhead dominate: ONNX Runtime loads in a fraction of a
second and encodes a question in a few milliseconds, while importing torch alone takes seconds.

The export (`export`) needs torch and happens once per model: the file is written under the
cache dir, keyed by the model's files, verified against the torch encoder before it is kept, and
reused by every later process. Only mean-pooled, L2-normalised models (the packaged
all-MiniLM-L6-v2 and most sentence-transformers models) are supported; `read_spec` says why not
for others, and the caller falls back to torch.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

#: Bump when the export or the encoding changes: old cache entries are then ignored.
EXPORT_VERSION = 1
#: An export whose vectors are further than this from torch's is thrown away.
MIN_COSINE = 0.999
#: Texts per ONNX Runtime run (length-sorted first).
BATCH_SIZE = 16
_OPSET = 17
_PROBES = (
    "What tariff rate does Japan face?",
    "Japan currently faces 24% levies on its exports to the United States, though these have "
    "been paused for 90 days like most of the recently announced tariffs.",
    "Markets fell.",
    "The central bank held its benchmark rate at 0.5 percent on Thursday, citing uncertainty "
    "over trade policy, weaker exports and a slowdown in consumer spending across the region.",
)

Vectors = NDArray[np.float32]


class UnsupportedModel(Exception):
    """The model cannot be exported faithfully (not mean-pooled, files missing…)."""


@dataclass(frozen=True)
class ModelSpec:
    """What the encoder needs from a sentence-transformers folder, read without importing it."""

    path: Path
    max_seq_length: int
    weights: Path

    @property
    def tokenizer(self) -> Path:
        return self.path / "tokenizer.json"

    def cache_key(self) -> str:
        """Changes whenever the model's files (or the export code) change."""
        digest = hashlib.sha256(f"v{EXPORT_VERSION}:{self.max_seq_length}".encode())
        for name in ("config.json", "modules.json", "tokenizer.json", "1_Pooling/config.json"):
            file = self.path / name
            if file.exists():
                digest.update(name.encode() + file.read_bytes())
        stat = self.weights.stat()
        digest.update(f"{self.weights.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:20]


def read_spec(model_path: str) -> ModelSpec:
    """The spec of a local sentence-transformers folder, or UnsupportedModel saying why not."""
    path = Path(model_path)
    if not path.is_dir():
        raise UnsupportedModel(f"{model_path!r} is not a local model folder")
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        types = [str(m["type"]).rsplit(".", 1)[-1] for m in modules]
        if types not in (["Transformer", "Pooling", "Normalize"], ["Transformer", "Pooling"]):
            raise UnsupportedModel(f"modules {types} are not Transformer → Pooling (→ Normalize)")
        pooling_dir = next(m["path"] for m in modules if str(m["type"]).endswith("Pooling"))
        pooling = json.loads((path / pooling_dir / "config.json").read_text(encoding="utf-8"))
        modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v is True}
        if modes != {"pooling_mode_mean_tokens"}:
            raise UnsupportedModel(f"pooling {sorted(modes)} is not mean pooling")
        st_config = path / "sentence_bert_config.json"
        config = json.loads(st_config.read_text(encoding="utf-8")) if st_config.exists() else {}
        max_len = int(config.get("max_seq_length") or 256)
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        raise UnsupportedModel(f"cannot read the model's configuration: {exc}") from exc
    weights = next(
        (path / n for n in ("model.safetensors", "pytorch_model.bin") if (path / n).exists()), None
    )
    if weights is None or not (path / "tokenizer.json").exists():
        raise UnsupportedModel("the folder has no model.safetensors/tokenizer.json")
    return ModelSpec(path=path, max_seq_length=max_len, weights=weights)


class OnnxEncoder:
    """Tokenize → ONNX transformer → mean pooling → L2 normalisation (= sentence-transformers)."""

    def __init__(self, model_file: Path, spec: ModelSpec, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(spec.tokenizer))
        # The packaged tokenizer.json pads and truncates at 128; sentence-transformers uses
        # max_seq_length (256) and pads per batch. Match it exactly.
        tokenizer.no_padding()
        tokenizer.enable_truncation(spec.max_seq_length)
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> Vectors:
        """Unit-length vectors, one row per text, in the order given.

        Texts are sorted by length and run in small batches, so little compute goes to padding
        whatever order they come in (on 2 cores, 16 beat 32 and 64 by a wide margin).
        """
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Similar lengths together, so a batch pads little (sentence-transformers does the same).
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out: list[Vectors] = [np.empty(0, dtype=np.float32)] * len(texts)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for r, vector in zip(rows, pooled / norms, strict=True):
                out[r] = vector.astype(np.float32)
        return np.stack(out)


def cached_model(spec: ModelSpec, cache_dir: Path) -> Path:
    """Where the export of `spec` lives (it may not exist yet)."""
    return cache_dir / f"onnx-{spec.cache_key()}" / "model.onnx"


def load(spec: ModelSpec, cache_dir: Path) -> OnnxEncoder | None:
    """The cached export of `spec`, or None when there is none yet."""
    model_file = cached_model(spec, cache_dir)
    if not model_file.exists():
        return None
    return OnnxEncoder(model_file, spec)


def export(spec: ModelSpec, model: SentenceTransformer, cache_dir: Path) -> OnnxEncoder:
    """Export `model` (loaded from `spec.path`) to ONNX, verify it, keep it, return its encoder.

    Written to a temporary file and renamed into place, so processes starting together (API
    workers) never read a half-written model; raises if the vectors differ from torch's.
    """
    import torch

    started = time.perf_counter()
    target = cached_model(spec, cache_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    transformer: Any = model[0].auto_model
    accepts_token_types = "token_type_ids" in inspect.signature(transformer.forward).parameters
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if accepts_token_types else [])

    class _Wrapper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            result: torch.Tensor = self.inner(**dict(zip(names, inputs, strict=True)))[0]
            return result

    # A padded example (second row shorter), so the traced graph keeps the masking path.
    example = torch.ones((2, 16), dtype=torch.long)
    mask = example.clone()
    mask[1, 10:] = 0
    inputs = (example, mask) + ((torch.zeros_like(example),) if accepts_token_types else ())
    dynamic = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
    handle, tmp_name = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        # Tracing warns about shape-dependent Python branches; the check below is what counts.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Wrapper().eval(), inputs, str(tmp), input_names=names,
                output_names=["last_hidden_state"], dynamic_axes=dynamic,
                opset_version=_OPSET, dynamo=False,
            )  # fmt: skip
        encoder = OnnxEncoder(tmp, spec)
        cosine = agreement(encoder, model)
        if cosine < MIN_COSINE:
            raise UnsupportedModel(f"the ONNX export differs from torch (cosine {cosine:.6f})")
        tmp.chmod(0o644)  # mkstemp makes it private; other workers and users read it
        os.replace(tmp, target)
        meta = {
            "export_version": EXPORT_VERSION, "model": str(spec.path), "min_cosine": cosine,
            "torch": torch.__version__, "seconds": round(time.perf_counter() - started, 2),
        }  # fmt: skip
        (target.parent / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    finally:
        tmp.unlink(missing_ok=True)
    log.info("exported the ONNX query encoder", extra={"path": str(target), **meta})
    return OnnxEncoder(target, spec)


def agreement(encoder: OnnxEncoder, model: SentenceTransformer, texts: Sequence[str] = ()) -> float:
    """Smallest cosine between the ONNX and torch vectors of `texts` (default: fixed probes)."""
    sample = list(texts or _PROBES)
    ours = encoder.encode(sample, batch_size=len(sample))
    theirs = np.asarray(model.encode(sample, normalize_embeddings=True), dtype=np.float32)
    return float((ours * theirs).sum(axis=1).min())
