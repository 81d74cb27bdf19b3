"""`make reliability`: a bounded load run across two hosts (PostgreSQL + a Chroma server, two
`briefing serve` process groups with their own data directories, 2 workers each), with uploads
through both hosts while clients chat, each turn of a session on the other host than the last.

Counted: non-200 answers (5xx above all), replies carrying another session's id, sessions whose
stored turns are not exactly their own client's, in order; and throughput and latency.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.hosts import Host, call
from tests.reliability.conftest import write_report

pytestmark = pytest.mark.integration

CLIENTS, TURNS, UPLOADS = 16, 60, 20


@pytest.mark.slow
@pytest.mark.reliability
def test_two_hosts_under_load_while_documents_arrive(
    tmp_path: Path,
    shared_env: dict[str, str],
) -> None:
    env = {**shared_env, "BRIEFING_RATE_LIMIT_PER_MINUTE": "0"}  # every client is 127.0.0.1
    hosts = [Host(f"host-{n}", tmp_path, env, workers=2) for n in "ab"]
    try:
        hosts[0].start("--ingest")
        hosts[1].start()
        urls = [h.url for h in hosts]
        uploads: list[int] = []

        def upload() -> None:
            for n in range(UPLOADS):
                text = f"Ostrava set a {n + 3} percent levy on imported bicycles on day {n}."
                document = {"id": f"wire-{n}", "title": f"Wire story {n}", "text": text}
                status, _ = call(f"{urls[n % 2]}/documents", document)
                uploads.append(status)
                time.sleep(0.1)

        def client(n: int) -> list[tuple[int, str, str, float]]:
            results, session = [], None
            for turn in range(TURNS):
                body: dict[str, Any] = {"message": f"What tariff does Japan face? c{n} t{turn}"}
                if session:
                    body["session_id"] = session
                started = time.perf_counter()
                status, reply = call(f"{urls[(n + turn) % 2]}/chat", body)
                took = time.perf_counter() - started
                session = session or reply.get("session_id")
                results.append((status, reply.get("session_id", ""), session or "", took))
            return results

        uploader = threading.Thread(target=upload)
        started = time.perf_counter()
        uploader.start()
        with ThreadPoolExecutor(CLIENTS) as pool:
            outcomes = [r for rs in pool.map(client, range(CLIENTS)) for r in rs]
        wall = time.perf_counter() - started
        uploader.join()
        mixed_replies = sum(1 for _, sid, own, _ in outcomes if sid != own)
        mixed_sessions = _mixed_sessions(shared_env["BRIEFING_DATABASE_URL"], outcomes)
        latencies = sorted(t for *_, t in outcomes)
        figures = {
            "hosts": 2, "workers_per_host": 2, "clients": CLIENTS, "requests": len(outcomes),
            "non_200": sum(1 for s, *_ in outcomes if s != 200),
            "server_errors_5xx": sum(1 for s, *_ in outcomes if s >= 500),
            "mixed_replies": mixed_replies, "mixed_sessions": mixed_sessions,
            "uploads": len(uploads), "uploads_failed": sum(1 for s in uploads if s != 201),
            "requests_per_s": round(len(outcomes) / wall, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
            "wall_s": round(wall, 1), "embeddings": "hashing",
        }  # fmt: skip
        path = write_report("two-hosts", figures)
        print(f"\ntwo-host load run: {path}\n  {figures}")
        assert figures["non_200"] == 0 and figures["uploads_failed"] == 0
        assert mixed_replies == 0 and mixed_sessions == 0
        # every upload, through either host, is listed and readable through both
        for url in urls:
            request = urllib.request.Request(f"{url}/documents")
            with urllib.request.urlopen(request, timeout=30) as response:
                listed = {d["id"] for d in json.loads(response.read())}
            assert {f"wire-{n}" for n in range(UPLOADS)} <= listed
    finally:
        for host in hosts:
            host.stop()


def _mixed_sessions(url: str, outcomes: list[tuple[int, str, str, float]]) -> int:
    """Sessions whose stored turns are not exactly their client's, in the order sent."""
    engine = sa.create_engine(url)
    mixed = 0
    try:
        with engine.connect() as conn:
            for session in {own for _, _, own, _ in outcomes}:
                questions = conn.execute(
                    sa.text("SELECT question FROM turns WHERE session_id = :s ORDER BY n"),
                    {"s": session},
                ).scalars().all()  # fmt: skip
                tags = [q.rsplit(" ", 2)[-2:] for q in questions]
                expected = [f"t{i}" for i in range(TURNS)]
                if len({c for c, _ in tags}) != 1 or [t for _, t in tags] != expected:
                    mixed += 1
    finally:
        engine.dispose()
    return mixed
