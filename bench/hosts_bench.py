"""`POST /chat` over HTTP against one "host", then two: stateless `briefing serve` process groups,
each with its own data directory, sharing a PostgreSQL database and a Chroma server (issue 17).

Everything runs on this machine, on 127.0.0.1: a throwaway PostgreSQL cluster, a Chroma server,
host A (`briefing serve --ingest`, which ingests the corpus into the shared store), host B, and
the load client (`bench.http_load`, its own process). Run 1 drives host A alone; run 2 drives A
and B round-robin (request i to host i mod 2, no sticky sessions). Each run asks its own half of
the questions, so neither finds the other's answers cached. Both runs are bounded by a request
count and a time limit.

The hosts share the machine's cores with each other, the database, the Chroma server and the
client, so a second host adds processes, not CPU: on a small machine the CPU caps the gain, and
the figures show how much the shared-state path costs rather than how far it scales.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from bench.collection_bench import cpu_flags
from bench.http_bench import HttpRun, _drive
from tests.hosts import VENV_BIN, Host, base_env, chroma_running
from tests.pg_cluster import PgClusterError, find_pg_bin, running_cluster

_WARM_UP_QUESTION = "Who leads the opposition?"
_WARM_UP_REQUESTS = 5
#: Host A ingests the corpus before it answers /ready; with the real model that takes a while.
_INGEST_WAIT_S = 900.0


@dataclass(frozen=True)
class HostsResult:
    skipped: str  # why it was not measured; "" when it was
    embeddings: str
    workers_per_host: int
    clients: int
    cpu_count: int
    cpu_flags: str
    documents: int = 0
    chunks: int = 0
    start_with_ingest_s: float = 0.0  # host A: start, ingest of the corpus, ready
    one_host: HttpRun | None = None
    two_hosts: HttpRun | None = None
    ratio: float | None = None  # requests/s, 2 hosts ÷ 1 host
    load_avg_1m_start: float = 0.0
    load_avg_1m_end: float = 0.0


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as response:
        data: dict[str, Any] = json.loads(response.read())
        return data


def run_hosts_bench(
    corpus_dir: Path,
    questions: Sequence[str],
    *,
    clients: int,
    requests: int,
    workers_per_host: int = 1,
    embeddings: Literal["sentence-transformers", "hashing"] = "sentence-transformers",
    max_seconds: float = 60.0,
    model_cache_dir: Path | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> HostsResult:
    """1 host vs 2 hosts on a fresh PostgreSQL database and Chroma server; a skipped result
    (saying why) where there are no PostgreSQL server binaries or the cluster will not start."""
    base = HostsResult(
        skipped="", embeddings=embeddings, workers_per_host=workers_per_host, clients=clients,
        cpu_count=os.cpu_count() or 0, cpu_flags=cpu_flags(), load_avg_1m_start=os.getloadavg()[0],
    )  # fmt: skip
    if find_pg_bin() is None:
        return replace(base, skipped="no PostgreSQL server binaries (Debian: apt-get install "
                       "postgresql)", load_avg_1m_end=os.getloadavg()[0])  # fmt: skip
    half = max(1, len(questions) // 2)
    with tempfile.TemporaryDirectory(prefix="briefing-hosts-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        say("hosts: starting PostgreSQL and a Chroma server")
        try:
            cluster = stack.enter_context(running_cluster())
        except PgClusterError as error:
            why = f"PostgreSQL did not start: {' '.join(str(error).split())[:300]}"
            return replace(base, skipped=why, load_avg_1m_end=os.getloadavg()[0])
        database_url = cluster.create_database(f"bench_{uuid.uuid4().hex[:10]}")
        chroma_url = stack.enter_context(chroma_running(root / "chroma"))
        env = base_env(
            BRIEFING_DATABASE_URL=database_url, BRIEFING_CHROMA_URL=chroma_url,
            BRIEFING_EMBEDDINGS=embeddings, BRIEFING_CORPUS_DIR=str(corpus_dir),
            BRIEFING_MODEL_CACHE_DIR=str(model_cache_dir or root / "models"),
            BRIEFING_RATE_LIMIT_PER_MINUTE="0",  # every request comes from one client address
            BRIEFING_DATA_DIR=str(root / "cli"),
        )  # fmt: skip
        _migrate(env, root)
        a = Host("host-a", root, env, workers=workers_per_host)
        b = Host("host-b", root, env, workers=workers_per_host)
        stack.callback(b.stop)
        stack.callback(a.stop)

        say(f"hosts: host A ingests {corpus_dir.name}/ ({embeddings}) and starts")
        started = time.perf_counter()
        a.start("--ingest", wait=_INGEST_WAIT_S)
        start_with_ingest_s = time.perf_counter() - started
        health = _get(f"{a.url}/health")
        _drive(a.url, [_WARM_UP_QUESTION], 1, _WARM_UP_REQUESTS, 60)
        say(f"hosts: 1 host, {clients} clients, up to {requests} requests / {max_seconds:.0f} s")
        one = _drive(a.url, questions[:half], clients, requests, max_seconds)

        say("hosts: host B starts (no ingest: it shares A's database and store)")
        b.start(wait=300)
        if _get(f"{b.url}/health") != health:
            raise RuntimeError(f"host B sees another corpus: {_get(f'{b.url}/health')} vs {health}")
        _drive(b.url, [_WARM_UP_QUESTION], 1, _WARM_UP_REQUESTS, 60)
        say(f"hosts: 2 hosts round-robin, {clients} clients, up to {requests} requests")
        two = _drive([a.url, b.url], questions[half:] or questions, clients, requests, max_seconds)
    return replace(
        base, documents=int(health["documents"]), chunks=int(health["chunks"]),
        start_with_ingest_s=start_with_ingest_s, one_host=one, two_hosts=two,
        ratio=two.requests_per_s / one.requests_per_s, load_avg_1m_end=os.getloadavg()[0],
    )  # fmt: skip


def _migrate(env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "briefing"), "db", "upgrade"], env=env, cwd=cwd, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"briefing db upgrade failed: {done.stderr[-2000:]}")


def _row(name: str, run: HttpRun) -> str:
    s = run.latency
    return (
        f"| {name} | {run.clients} | {run.requests} | {run.errors} | {run.requests_per_s:,.1f} "
        f"| {s.p50_ms:,.1f} | {s.p95_ms:,.1f} | {s.mean_ms:,.1f} | {s.max_ms:,.1f} |"
    )


def to_markdown_lines(result: HostsResult | None) -> list[str]:
    heading = "## Two hosts (PostgreSQL + Chroma server)"
    if result is None:
        return [heading, "", "Not run (`--hosts-requests 0`).", ""]
    if result.skipped or result.one_host is None or result.two_hosts is None:
        return [heading, "", f"Skipped: {result.skipped or 'not measured'}.", ""]
    one, two = result.one_host, result.two_hosts
    first_error = one.first_error or two.first_error
    return [
        heading,
        "",
        f"Two `briefing serve` process groups ({result.workers_per_host} worker each, own data "
        f"directories) share one PostgreSQL database and one Chroma server; host A ingested the "
        f"corpus ({result.documents:,} documents, {result.chunks:,} chunks, {result.embeddings} "
        f"embeddings) in {result.start_with_ingest_s:,.1f} s including its start. `POST /chat`, "
        "a new question and session per request; the two-host run sends request i to host "
        "i mod 2 (no sticky sessions).",
        "",
        "| Run | clients | requests | errors | req/s | p50 ms | p95 ms | mean ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|",
        _row("1 host", one),
        _row("2 hosts", two),
        "",
        f"Requests/s, 2 hosts ÷ 1 host: **{result.ratio:.2f}**. All of it on one machine: "
        f"{result.cpu_count} CPUs ({result.cpu_flags}) shared by both hosts, PostgreSQL, the "
        "Chroma server and the load client, so the CPU caps what a second host can add — this "
        "measures the shared-state path's cost, not scaling across machines. 1-min load average "
        f"{result.load_avg_1m_start:.2f} before, {result.load_avg_1m_end:.2f} after.",
        *(["", f"First error: {' '.join(first_error.split())}"] if first_error else []),
        "",
    ]
