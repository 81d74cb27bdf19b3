"""Raw encoders on the same chunk texts: which is fastest while staying accurate.

Candidates for embedding chunks (all-MiniLM-L6-v2 unless configured otherwise):

* torch fp32 — sentence-transformers as is, the reference vectors;
* torch bf16 — the same under `torch.autocast("cpu", dtype=torch.bfloat16)`: fast where the CPU
  has native bf16 (AVX-512 BF16, AMX), emulated and far slower where it has not (then it is
  timed on a small sample only and cannot be chosen);
* ONNX fp32 — Briefing's encoder (`assistant.search.onnx_encoder`): queries, and ingest without
  bf16.

"Accurate" means every vector's cosine to torch fp32 is at least `ACCURATE_COSINE`. Model load
and single-question latency are measured in fresh processes, so a torch import is not hidden by
an earlier one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.search.embeddings import SentenceEmbeddings, bf16_supported
from assistant.search.onnx_encoder import BATCH_SIZE as ONNX_BATCH
from bench.cold_start import ROOT

ACCURATE_COSINE = 0.999
#: sentence-transformers' default batch (on 2 cores it beat 16 and 64 here).
TORCH_BATCH = 32
#: Chunks timed for bf16 where the CPU emulates it (about 4 chunks/s: the full set takes minutes).
EMULATED_BF16_SAMPLE = 32
_WARM_UP = 16


@dataclass(frozen=True)
class EncoderRun:
    name: str
    chunks: int  # texts timed (the full set, or a sample)
    seconds: float
    chunks_per_s: float
    min_cosine_to_fp32: float
    accurate: bool
    note: str


@dataclass(frozen=True)
class LoadRun:
    """A fresh process: import + model load, then single-question encodes."""

    name: str
    load_s: float  # imports + model load, from a cold interpreter
    query_p50_ms: float  # one question, warm
    torch_imported: bool


@dataclass(frozen=True)
class EncoderResult:
    runs: tuple[EncoderRun, ...]
    fastest_accurate: str
    fastest_accurate_chunks_per_s: float
    bf16_native: bool
    loads: tuple[LoadRun, ...]


def _timed(encode: Callable[[list[str]], object], texts: list[str]) -> tuple[float, np.ndarray]:
    encode(texts[:_WARM_UP])
    started = time.perf_counter()
    vectors = np.asarray(encode(texts), dtype=np.float32)
    return time.perf_counter() - started, vectors


def raw_encoders(embeddings: SentenceEmbeddings) -> dict[str, Callable[[list[str]], object]]:
    """Every raw encoder candidate by its report name (torch ones load the model)."""
    import torch

    model = embeddings.torch_model()

    def fp32(batch: list[str]) -> object:
        return model.encode(batch, batch_size=TORCH_BATCH, normalize_embeddings=True)

    def bf16(batch: list[str]) -> object:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return model.encode(batch, batch_size=TORCH_BATCH, normalize_embeddings=True)

    out: dict[str, Callable[[list[str]], object]] = {
        "torch fp32": fp32,
        "torch bf16 autocast": bf16,
    }
    if embeddings.onnx is not None:
        out["ONNX Runtime fp32"] = embeddings.onnx.encode
    return out


def run_encoder_bench(
    embeddings: SentenceEmbeddings, texts: list[str], say: Callable[[str], None] = lambda _: None
) -> tuple[EncoderResult, np.ndarray]:
    """Time each candidate on `texts` once (accuracy, and a first speed: `ingest_bench` times
    the accurate ones again, interleaved with ingest); returns the result and the fp32 vectors."""
    encoders = raw_encoders(embeddings)
    fp32, bf16 = encoders["torch fp32"], encoders["torch bf16 autocast"]

    runs: list[EncoderRun] = []
    say(f"raw encoder torch fp32: {len(texts)} chunks")
    seconds, reference = _timed(fp32, texts)
    note = f"sentence-transformers, batch {TORCH_BATCH}; the reference vectors"
    runs.append(
        EncoderRun("torch fp32", len(texts), seconds, len(texts) / seconds, 1.0, True, note)
    )

    native = bf16_supported()
    sample = texts if native else texts[:EMULATED_BF16_SAMPLE]
    say(f"raw encoder torch bf16 autocast: {len(sample)} chunks (native bf16: {native})")
    seconds, vectors = _timed(bf16, sample)
    cosine = float((vectors * reference[: len(sample)]).sum(axis=1).min())
    note = "native bf16" if native else (
        f"no native bf16 on this CPU: emulated, timed on {len(sample)} chunks, not a candidate"
    )  # fmt: skip
    runs.append(EncoderRun("torch bf16 autocast", len(sample), seconds, len(sample) / seconds,
                           cosine, native and cosine >= ACCURATE_COSINE, note))  # fmt: skip

    onnx = embeddings.onnx
    if onnx is not None:
        say(f"raw encoder ONNX Runtime fp32: {len(texts)} chunks")
        seconds, vectors = _timed(onnx.encode, texts)
        cosine = float((vectors * reference).sum(axis=1).min())
        note = f"Briefing's encoder, length-sorted batches of {ONNX_BATCH}"
        runs.append(EncoderRun("ONNX Runtime fp32", len(texts), seconds, len(texts) / seconds,
                               cosine, cosine >= ACCURATE_COSINE, note))  # fmt: skip

    best = max((r for r in runs if r.accurate), key=lambda r: r.chunks_per_s)
    say("model load and question latency in fresh processes (ONNX, torch)")
    loads = (_load_run("onnx", embeddings), _load_run("torch", embeddings))
    result = EncoderResult(tuple(runs), best.name, best.chunks_per_s, native, loads)
    return result, reference


_LOAD_SCRIPT = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from assistant.search.embeddings import SentenceEmbeddings
model = SentenceEmbeddings(sys.argv[1], query_encoder=sys.argv[2], cache_dir=Path(sys.argv[3]))
if sys.argv[2] == "torch":
    model.embed_query("warm up")
load_s = time.perf_counter() - started
questions = [f"How much will company number {i} invest in its new plant?" for i in range(40)]
model.embed_query("What tariff rate does Japan face?")
times = []
for q in questions:
    t = time.perf_counter(); model.embed_query(q); times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"load_s": load_s, "p50_ms": times[len(times) // 2] * 1000,
                  "torch": "torch" in sys.modules, "backend": model.query_backend}))
"""


def _load_run(backend: str, embeddings: SentenceEmbeddings) -> LoadRun:
    cache = embeddings.cache_dir or Path(".")
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, embeddings.model_path, backend, str(cache)],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip
    data = json.loads(done.stdout.strip().splitlines()[-1])
    name = "ONNX Runtime" if data["backend"] == "onnx" else "torch (sentence-transformers)"
    return LoadRun(name, data["load_s"], data["p50_ms"], data["torch"])
