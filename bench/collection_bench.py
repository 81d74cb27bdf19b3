"""A scraped-news collection end to end, the way a user runs it: `briefing ingest FILE.jsonl`
in a fresh process, then a first `briefing ask` in another.

The collection is `evals.make_scraped` (≈11 KB pages: headings, bylines, captions, boilerplate,
syndicated copies), one JSONL file. Ingest time covers everything a first question needs —
chunks, vectors, manifest, the BM25 index — and starts from an empty data dir; the model load
is included (it is part of what a user waits for) and reported apart. Peak RSS is the ingest
process's own (`ru_maxrss` of the child), so it shows whether streaming keeps memory bounded.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.stats import PEAK_RSS_HOOK, Measured, run_measured
from evals.scraped import generate

#: A collection ingest may take many minutes on a slow machine; past this it has hung.
TIMEOUT_S = 3600.0
FIRST_QUESTION = "What did the council say about the project?"


@dataclass(frozen=True)
class CollectionResult:
    documents: int
    file_mb: float
    chunks: int
    ingest_s: float  # `briefing ingest FILE` wall time, fresh process, empty data dir
    chunks_per_s: float
    peak_rss_mb: float  # the ingest process
    first_ask_s: float  # `briefing ask` in a new process right after (loads the saved BM25)
    cpu_flags: str  # what decides the encoder's precision (bf16 where native)
    skipped: int


def cpu_flags() -> str:
    """The CPU features a speed figure depends on (native bf16 or only AVX2)."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return "unknown"
    shown = ("avx2", "avx512f", "avx512_bf16", "amx_bf16")
    return " ".join(f for f in shown if f in flags) or "none of avx2/avx512/amx"


def _briefing(args: list[str], env: dict[str, str], cwd: Path) -> Measured:
    """`briefing ARGS` in a fresh Python process that reports its own peak RSS."""
    code = PEAK_RSS_HOOK + "from assistant.cli.commands import main\nmain()\n"
    return run_measured([sys.executable, "-c", code, *args], env=env, cwd=cwd, timeout=TIMEOUT_S)


def write_collection(out: Path, documents: int, seed: int = 11) -> Path:
    made = generate(documents, 10, seed)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "collection.jsonl"
    with path.open("w", encoding="utf-8") as sink:
        for row in made.corpus:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def run_collection_bench(
    root: Path, documents: int, models: Path, say: Callable[[str], None] = print
) -> CollectionResult:
    say(f"collection: generating {documents} scraped pages")
    path = write_collection(root / "collection", documents)
    env = {**os.environ, "BRIEFING_DATA_DIR": str(root / "collection-data"),
           "BRIEFING_MODEL_CACHE_DIR": str(models), "COLUMNS": "200"}  # fmt: skip
    say(f"collection: `briefing ingest` of {path.stat().st_size / 1e6:.1f} MB (fresh process)")
    ingest = _briefing(["ingest", str(path)], env, root)
    if ingest.returncode != 0:
        raise RuntimeError(f"briefing ingest failed: {ingest.stderr[-2000:]}")
    rows = _table(ingest.stdout)
    say(f"collection: ingest in {ingest.seconds:.0f} s; first ask")
    asked = _briefing(["ask", FIRST_QUESTION, "--json"], env, root)
    if asked.returncode != 0:
        raise RuntimeError(f"briefing ask failed: {asked.stderr[-2000:]}")
    chunks = rows.get("chunks written", 0)
    return CollectionResult(
        documents=rows.get("documents found", 0), file_mb=path.stat().st_size / 1e6,
        chunks=chunks, ingest_s=ingest.seconds, chunks_per_s=chunks / ingest.seconds,
        peak_rss_mb=ingest.peak_rss_mb, first_ask_s=asked.seconds, cpu_flags=cpu_flags(),
        skipped=rows.get("skipped", 0),
    )  # fmt: skip


def _table(stdout: str) -> dict[str, int]:
    """The ingest report's `label  value` rows."""
    rows: dict[str, int] = {}
    for line in stdout.splitlines():
        label, _, value = line.strip().rpartition(" ")
        if label and value.isdigit():
            rows[label.strip()] = int(value)
    return rows


#: The issue's goal for a 3,000-article / 30 MB collection on 2 cores with native bf16.
GOAL_S = 600.0


def to_markdown_lines(result: CollectionResult | None) -> list[str]:
    if result is None:
        return ["## Scraped-news collection", "", "Skipped (--collection-docs 0).", ""]
    met = "✓" if result.ingest_s <= GOAL_S else "✗ missed"
    return [
        "## Scraped-news collection (`briefing ingest FILE.jsonl`, fresh process)",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Collection | {result.documents:,} documents · {result.file_mb:.1f} MB · "
        f"{result.chunks:,} chunks · {result.skipped} skipped |",
        f"| End-to-end ingest (model load, chunks, vectors, manifest, BM25) | "
        f"{result.ingest_s:,.0f} s · {result.chunks_per_s:,.1f} chunks/s "
        f"(goal ≤ {GOAL_S:g} s with native bf16: {met}) |",
        f"| Peak RSS of the ingest process | {result.peak_rss_mb:,.0f} MiB |",
        f"| First `briefing ask` after it (new process) | {result.first_ask_s:.2f} s |",
        f"| CPU flags | {result.cpu_flags} |",
        "",
    ]
