"""Runs the LlamaIndex peer (`bench.peer_llamaindex`) in a child process and reads its figures.

When its packages are missing (`make bench-deps` installs them), the peer is reported as skipped
rather than failing the whole benchmark.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.cold_start import ROOT
from bench.stats import PEAK_RSS_HOOK, LatencyStats, run_measured, summarize

_PACKAGES = ("llama_index.core", "llama_index.embeddings.huggingface",
             "llama_index.vector_stores.chroma")  # fmt: skip


@dataclass(frozen=True)
class PeerResult:
    name: str
    available: bool
    reason: str = ""
    import_s: float = 0.0
    load_s: float = 0.0
    ingest_s: float = 0.0
    documents: int = 0
    chunks: int = 0
    chunk_chars: int = 0
    retrieve: LatencyStats | None = None
    peak_rss_mb: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)
    settings: dict[str, int] = field(default_factory=dict)


def _installed() -> str:
    for package in _PACKAGES:
        try:
            if importlib.util.find_spec(package) is None:
                return package
        except ModuleNotFoundError:
            return package
    return ""


def run_peer(
    corpus_dir: Path, model_path: str, questions: Sequence[str], work_dir: Path
) -> PeerResult:
    name = "LlamaIndex"
    if missing := _installed():
        return PeerResult(name, False, f"{missing} is not installed (run `make bench-deps`)")
    work_dir.mkdir(parents=True, exist_ok=True)
    done = run_measured(
        [sys.executable, "-c", PEAK_RSS_HOOK + "from bench.peer_llamaindex import main; main()",
         str(corpus_dir), model_path, str(work_dir)],
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"},
        cwd=ROOT, timeout=900, stdin=json.dumps(list(questions)),
    )  # fmt: skip
    if done.returncode != 0:
        return PeerResult(name, False, f"the peer run failed: {done.stderr.strip()[-1500:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return PeerResult(
        name=name, available=True, import_s=data["import_s"], load_s=data["load_s"],
        ingest_s=data["ingest_s"], documents=data["documents"], chunks=data["chunks"],
        chunk_chars=data["chunk_chars"], retrieve=summarize(data["retrieve_latencies"]),
        peak_rss_mb=done.peak_rss_mb, versions=data["versions"], settings=data["settings"],
    )  # fmt: skip
