"""`POST /chat` over real HTTP: uvicorn on 127.0.0.1 serving the benchmark's assistant (one
worker, the embedded store), driven by a client in a separate process (`bench.http_load`).

Two runs on the same store: one client at a time (latency), then N concurrent clients
(throughput; latency then includes queueing). Both are bounded by a request count and a time
limit. Client and server share this machine's cores, as they would on a developer's laptop.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.assistant import Assistant
from bench.cold_start import ROOT
from bench.stats import LatencyStats, run_measured, summarize

_WARM_UP_REQUESTS = 5


@dataclass(frozen=True)
class HttpRun:
    clients: int
    requests: int  # answered with 200
    errors: int
    seconds: float
    requests_per_s: float
    latency: LatencyStats
    first_error: str


@dataclass(frozen=True)
class HttpResult:
    chunks: int
    sequential: HttpRun
    concurrent: HttpRun


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _drive(url: str | Sequence[str], questions: Sequence[str], clients: int, requests: int,
           max_s: float) -> HttpRun:  # fmt: skip
    """`clients` concurrent clients POST /chat until `requests` are done or `max_s` has passed;
    with several URLs, request i goes to URL i mod len(URLs) (round-robin, no stickiness)."""
    urls = [url] if isinstance(url, str) else list(url)
    done = run_measured(
        [sys.executable, "-m", "bench.http_load", *urls, "--clients", str(clients),
         "--requests", str(requests), "--max-seconds", str(max_s)],
        env=dict(os.environ), cwd=ROOT, timeout=max_s + 60, stdin=json.dumps(list(questions)),
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"HTTP load client failed: {done.stderr[-2000:]}")
    data = json.loads(done.stdout)
    latencies: list[float] = data["latencies"]
    errors: list[str] = data["errors"]
    if not latencies:
        raise RuntimeError(f"no request succeeded: {errors[:3]}")
    return HttpRun(
        clients=clients, requests=len(latencies), errors=len(errors), seconds=data["seconds"],
        requests_per_s=len(latencies) / data["seconds"], latency=summarize(latencies),
        first_error=errors[0] if errors else "",
    )  # fmt: skip


def run_http_bench(
    assistant: Assistant,
    questions: Sequence[str],
    *,
    clients: int,
    requests: int,
    max_seconds: float,
    say: Callable[[str], None] = lambda _: None,
) -> HttpResult:
    import uvicorn

    from api.app import create_app

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        create_app(assistant.settings, assistant), host="127.0.0.1", port=port,
        log_level="warning", access_log=False,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="bench-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        half = len(questions) // 2
        _drive(url, ["Who leads the opposition?"], 1, _WARM_UP_REQUESTS, 30)
        assistant.vectors.clear()
        say(f"HTTP: 1 client, up to {requests} requests / {max_seconds:.0f} s")
        sequential = _drive(url, questions[:half], 1, min(requests, half), max_seconds)
        say(f"HTTP: {clients} concurrent clients, up to {requests} requests / {max_seconds:.0f} s")
        concurrent = _drive(url, questions[half:], clients, requests, max_seconds)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
    return HttpResult(assistant.store.count(), sequential, concurrent)
