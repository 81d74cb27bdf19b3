"""Cold CLI start: a fresh Python process from launch to its first answer (and to `--help`).

This is what a user waits for on `briefing ask`: interpreter start, imports, embedding-model
load, opening the store, then one question.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.assistant import Assistant
from assistant.config import Settings
from bench.query_bench import SEED_QUESTION

_CLI = "from assistant.cli import main; main()"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ColdStartResult:
    runs: int
    ask_s: tuple[float, ...]
    ask_min_s: float
    ask_median_s: float
    help_s: tuple[float, ...]
    help_min_s: float
    help_median_s: float
    question: str
    answer: str
    abstained: bool


def prepare_data_dir(
    data_dir: Path, corpus_dir: Path, embeddings: Embeddings | None = None
) -> None:
    """Ingest `corpus_dir` into `data_dir` with default settings (reusing a loaded model)."""
    settings = Settings(data_dir=data_dir, corpus_dir=corpus_dir, _env_file=None)
    assistant = Assistant(settings, embeddings)
    try:
        assistant.ingest()
    finally:
        assistant.close()


def _run(args: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CLI, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"`briefing {' '.join(args)}` exited {done.returncode}: {done.stderr[-2000:]}"
        )
    return elapsed, done.stdout


def run_cold_start(
    data_dir: Path, corpus_dir: Path, runs: int = 3, say: Callable[[str], None] = lambda _: None
) -> ColdStartResult:
    """Time `briefing ask --json` and `briefing --help` in fresh processes, `runs` times each."""
    env = {**os.environ, "BRIEFING_DATA_DIR": str(data_dir), "BRIEFING_CORPUS_DIR": str(corpus_dir)}
    ask_s: list[float] = []
    answer: dict[str, object] = {}
    for i in range(runs):
        say(f"cold start: ask --json, run {i + 1}/{runs}")
        elapsed, stdout = _run(["ask", "--json", SEED_QUESTION.text], env)
        ask_s.append(elapsed)
        answer = json.loads(stdout)
    help_s: list[float] = []
    for i in range(runs):
        say(f"cold start: --help, run {i + 1}/{runs}")
        help_s.append(_run(["--help"], env)[0])
    return ColdStartResult(
        runs=runs,
        ask_s=tuple(ask_s),
        ask_min_s=min(ask_s),
        ask_median_s=statistics.median(ask_s),
        help_s=tuple(help_s),
        help_min_s=min(help_s),
        help_median_s=statistics.median(help_s),
        question=SEED_QUESTION.text,
        answer=str(answer.get("answer", "")),
        abstained=bool(answer.get("abstained", True)),
    )
