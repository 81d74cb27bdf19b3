"""Load on 127.0.0.1: concurrent chat clients with follow-ups while documents are ingested.

`briefing serve` runs in its own process (hashing embedder, rate limit off — every client is
127.0.0.1). Each client holds one session and asks follow-ups in it; meanwhile an uploader
adds (and deletes) documents through POST/DELETE /documents — the one writer is the server, so
that is how an ingest runs while it serves. Afterwards: no 5xx, every answer came back for
the question its client asked, in its client's session, and every session's stored history is
exactly its own client's messages, in order.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from assistant.answering.conversation import SessionStore
from tests.conftest import SEED_CORPUS, make_settings
from tests.reliability.conftest import child_env, write_report
from tests.reliability.corpus import generate
from tests.servers import serving_corpus

pytestmark = pytest.mark.integration

TOPICS = ["tariff on Japan", "car levies", "steel quota", "trade talks", "port strike",
          "customs union", "grain exports", "chip shipments"]  # fmt: skip


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    mixed: list[str] = field(default_factory=list)  # answers that came back in the wrong place
    sessions: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    uploads: int = 0
    upload_statuses: dict[int, int] = field(default_factory=dict)

    def count(self, status: int, *, upload: bool = False) -> None:
        target = self.upload_statuses if upload else self.statuses
        target[status] = target.get(status, 0) + 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _corpus(tmp_path: Path, documents: int) -> tuple[Path, Path]:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    generate(corpus, documents, seed=3)
    for path in SEED_CORPUS.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    return corpus, data


@pytest.fixture
def inprocess_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app under uvicorn in a thread of this process (quick to start)."""
    corpus, _ = _corpus(tmp_path, 60)
    settings = make_settings(tmp_path, corpus_dir=corpus, rate_limit_per_minute=0)
    (tmp_path / "server.log").write_text("")
    with serving_corpus(settings) as (url, _):
        yield url, tmp_path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`briefing serve --ingest` in its own process."""
    corpus, data = _corpus(tmp_path, 200)
    port = _free_port()
    env = {
        **child_env(), "BRIEFING_DATA_DIR": str(data), "BRIEFING_CORPUS_DIR": str(corpus),
        "BRIEFING_EMBEDDINGS": "hashing", "BRIEFING_RATE_LIMIT_PER_MINUTE": "0",
    }  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    briefing = Path(sys.executable).parent / "briefing"
    child = subprocess.Popen(
        [str(briefing), "serve", "--ingest", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert child.poll() is None, (tmp_path / "server.log").read_text()
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    try:
        yield url, tmp_path
    finally:
        child.terminate()
        child.wait(timeout=30)
        log.close()


async def _client(n: int, turns: int, url: str, http: httpx.AsyncClient, tally: Tally) -> None:
    topic = TOPICS[n % len(TOPICS)]
    session: str | None = None
    sent: list[str] = []
    for turn in range(turns):
        message = (
            f"What is the latest on the {topic}? (client {n})" if turn == 0
            else f"And what about week {turn}? (client {n}, turn {turn})"
        )  # fmt: skip
        payload: dict[str, object] = {"message": message}
        if session:
            payload["session_id"] = session
        started = time.perf_counter()
        response = await http.post(f"{url}/chat", json=payload)
        tally.latencies.append(time.perf_counter() - started)
        tally.count(response.status_code)
        if response.status_code != 200:
            continue
        body = response.json()
        if body["question"] != message or (session and body["session_id"] != session):
            tally.mixed.append(f"client {n} turn {turn}: {body['question']!r}")
        session = session or body["session_id"]
        sent.append(message)
    assert session is not None
    tally.sessions[n] = (session, sent)


async def _uploader(url: str, http: httpx.AsyncClient, tally: Tally, count: int) -> None:
    for i in range(count):
        text = (
            f"Bulletin {i}: the steel quota for week {i} was set at {i + 10} thousand tonnes. "
            f"Port {i} reported {i * 3} ships waiting. Talks resume on Monday."
        )
        response = await http.post(
            f"{url}/documents", json={"id": f"bulletin-{i}", "title": f"Bulletin {i}", "text": text}
        )
        tally.uploads += 1
        tally.count(response.status_code, upload=True)
        if i % 5 == 4:  # and remove an earlier one now and then
            gone = await http.delete(f"{url}/documents/bulletin-{i - 2}")
            tally.count(gone.status_code, upload=True)


async def _load(url: str, clients: int, turns: int, uploads: int) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients + 4, max_keepalive_connections=clients + 4)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(
            _uploader(url, http, tally, uploads),
            *(_client(n, turns, url, http, tally) for n in range(clients)),
        )
        wall = time.perf_counter() - started
    return tally, wall


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run_load(url: str, data_dir: Path, clients: int, turns: int, uploads: int) -> dict[str, object]:
    tally, wall = asyncio.run(_load(url, clients, turns, uploads))
    store = SessionStore(data_dir / "sessions.sqlite3")
    try:
        for n, (session, sent) in tally.sessions.items():
            stored = [t.question for t in store.history(session, limit=100_000)]
            if stored != sent:
                tally.mixed.append(f"session of client {n} holds {stored[:3]!r}…")
    finally:
        store.close()
    requests = len(tally.latencies) + sum(tally.upload_statuses.values())
    return {
        "clients": clients, "chat_requests": len(tally.latencies), "requests": requests,
        "uploads": tally.uploads, "wall_s": round(wall, 2),
        "throughput_rps": round(requests / wall, 1),
        "chat_throughput_rps": round(len(tally.latencies) / wall, 1),
        "p50_ms": round(_percentile(tally.latencies, 50) * 1000, 1),
        "p95_ms": round(_percentile(tally.latencies, 95) * 1000, 1),
        "p99_ms": round(_percentile(tally.latencies, 99) * 1000, 1),
        "max_ms": round(max(tally.latencies) * 1000, 1),
        "statuses": tally.statuses, "upload_statuses": tally.upload_statuses,
        "server_errors": sum(v for k, v in {**tally.statuses}.items() if k >= 500)
        + sum(v for k, v in tally.upload_statuses.items() if k >= 500),
        "mixed_sessions": tally.mixed, "cpu_count": os.cpu_count(),
    }  # fmt: skip


def _assert_sound(figures: dict[str, object], server_log: Path) -> None:
    assert figures["server_errors"] == 0, figures
    assert figures["mixed_sessions"] == [], figures["mixed_sessions"]
    assert figures["statuses"] == {200: figures["chat_requests"]}, figures["statuses"]
    assert set(figures["upload_statuses"]) <= {200, 201}, figures["upload_statuses"]  # type: ignore[arg-type]
    log = server_log.read_text()
    assert "Traceback" not in log and " 500 " not in log


def test_concurrent_chats_while_ingesting(
    inprocess_server: tuple[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    """Reduced: 8 clients × 12 turns, 10 uploads, the server in this process."""
    url, tmp = inprocess_server
    figures = run_load(url, tmp / "data", clients=8, turns=12, uploads=10)
    (tmp / "server.log").write_text(caplog.text)
    _assert_sound(figures, tmp / "server.log")


@pytest.mark.slow
@pytest.mark.reliability
def test_32_clients_2000_requests_while_ingesting(server: tuple[str, Path]) -> None:
    url, tmp = server
    figures = run_load(url, tmp / "data", clients=32, turns=63, uploads=120)
    path = write_report("load", figures)
    print(f"\nload: {path}")
    for key, value in figures.items():
        print(f"  {key}: {value}")
    assert int(figures["requests"]) >= 2_000  # type: ignore[call-overload]
    _assert_sound(figures, tmp / "server.log")
