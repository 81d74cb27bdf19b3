"""Cold CLI start: a fresh Python process from launch to its first answer (and to `--help`).

This is what a user waits for on `briefing ask`: interpreter start, imports, query-encoder load,
opening the store, then one question. The same is timed once with the torch query encoder
(`BRIEFING_QUERY_ENCODER=torch`, how every ask started before the ONNX encoder) for comparison.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.assistant import Assistant
from assistant.config import Settings
from bench.query_bench import SEED_QUESTION

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ColdStartResult:
    runs: int
    ask_s: tuple[float, ...]
    ask_min_s: float
    ask_median_s: float
    ask_peak_rss_mb: float  # the largest of the runs
    torch_ask_s: float  # one run with BRIEFING_QUERY_ENCODER=torch
    torch_ask_peak_rss_mb: float
    help_s: tuple[float, ...]
    help_min_s: float
    help_median_s: float
    question: str
    answer: str
    abstained: bool


def prepare_data_dir(
    data_dir: Path, corpus_dir: Path, embeddings: Embeddings | None = None,
    models: Path | None = None,
) -> None:  # fmt: skip
    """Ingest `corpus_dir` into `data_dir` with default settings (reusing a loaded model)."""
    settings = Settings(
        data_dir=data_dir, corpus_dir=corpus_dir, model_cache_dir=models, _env_file=None
    )
    assistant = Assistant(settings, embeddings)
    try:
        assistant.ingest()
    finally:
        assistant.close()


def _run(args: Sequence[str], env: dict[str, str]) -> tuple[float, str, float]:
    from bench.stats import PEAK_RSS_HOOK, run_measured

    cli = PEAK_RSS_HOOK + "from assistant.cli.commands import main; main()"
    done = run_measured([sys.executable, "-c", cli, *args], env=env, cwd=ROOT, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(
            f"`briefing {' '.join(args)}` exited {done.returncode}: {done.stderr[-2000:]}"
        )
    return done.seconds, done.stdout, done.peak_rss_mb


def run_cold_start(
    data_dir: Path,
    corpus_dir: Path,
    runs: int = 3,
    say: Callable[[str], None] = lambda _: None,
    models: Path | None = None,
) -> ColdStartResult:
    """Time `briefing ask --json` and `briefing --help` in fresh processes, `runs` times each."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(BRIEFING_DATA_DIR=str(data_dir), BRIEFING_CORPUS_DIR=str(corpus_dir))
    if models is not None:
        env["BRIEFING_MODEL_CACHE_DIR"] = str(models)
    ask = ["ask", "--json", SEED_QUESTION.text]
    ask_s: list[float] = []
    rss: list[float] = []
    answer: dict[str, object] = {}
    for i in range(runs):
        say(f"cold start: ask --json, run {i + 1}/{runs}")
        elapsed, stdout, peak = _run(ask, env)
        ask_s.append(elapsed)
        rss.append(peak)
        answer = json.loads(stdout)
    say("cold start: ask --json with the torch query encoder, 1 run")
    torch_s, _, torch_rss = _run(ask, {**env, "BRIEFING_QUERY_ENCODER": "torch"})
    help_s: list[float] = []
    for i in range(runs):
        say(f"cold start: --help, run {i + 1}/{runs}")
        help_s.append(_run(["--help"], env)[0])
    return ColdStartResult(
        runs=runs,
        ask_s=tuple(ask_s),
        ask_min_s=min(ask_s),
        ask_median_s=statistics.median(ask_s),
        ask_peak_rss_mb=max(rss),
        torch_ask_s=torch_s,
        torch_ask_peak_rss_mb=torch_rss,
        help_s=tuple(help_s),
        help_min_s=min(help_s),
        help_median_s=statistics.median(help_s),
        question=SEED_QUESTION.text,
        answer=str(answer.get("answer", "")),
        abstained=bool(answer.get("abstained", True)),
    )
