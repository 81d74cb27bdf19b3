"""Two "hosts" on one machine: two `briefing serve` process groups, each with its own data
directory, sharing only a PostgreSQL database and a Chroma server (issue 17).

An upload through one host is answerable through the other, a session started on one continues
on the other, a load run alternating hosts gives no 5xx and no mixed sessions, and when a host
is killed (-9) in the middle of an ingest the other finishes the journal and leaves the store
consistent.
"""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from assistant.assistant import Assistant
from assistant.config import Settings
from tests.conftest import SEED_DOC_ID
from tests.hosts import Host, call
from tests.reliability.checks import check
from tests.reliability.corpus import generate

pytestmark = pytest.mark.integration


def _settings(env: dict[str, str], data_dir: Path) -> Settings:
    return Settings(
        _env_file=None, data_dir=data_dir, embeddings="hashing",
        database_url=env["BRIEFING_DATABASE_URL"], chroma_url=env["BRIEFING_CHROMA_URL"],
        chroma_collection=env["BRIEFING_CHROMA_COLLECTION"],
    )  # type: ignore[call-arg]  # fmt: skip


def _pending(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM pending")).scalar_one())
    finally:
        engine.dispose()


def test_two_hosts_share_documents_sessions_and_load(
    tmp_path: Path, shared_env: dict[str, str]
) -> None:
    unlimited = {**shared_env, "BRIEFING_RATE_LIMIT_PER_MINUTE": "0"}  # one client IP: 72 turns
    a = Host("host-a", tmp_path, unlimited, workers=2)
    b = Host("host-b", tmp_path, unlimited)
    try:
        a.start("--ingest")
        b.start()
        assert call(f"{b.url}/ready")[1] == {"status": "ready", "database": "postgresql",
                                             "store": "server"}  # fmt: skip
        # an upload through A is answerable through B at once
        status, _ = call(f"{a.url}/documents", {
            "id": "narnia-steel", "title": "Narnia steel levy",
            "text": "Narnia put a 75 percent levy on steel imports on Monday."})  # fmt: skip
        assert status == 201
        status, answer = call(f"{b.url}/chat", {"message": "What levy did Narnia put on steel?"})
        assert status == 200 and answer["citations"][0]["doc_id"] == "narnia-steel"
        # a session started on A continues on B, and back
        _, first = call(f"{a.url}/chat", {"message": "What tariff rate does Japan face?"})
        session = first["session_id"]
        status, follow = call(f"{b.url}/chat", {"message": "What about cars?",
                                                "session_id": session})  # fmt: skip
        assert status == 200 and follow["session_id"] == session
        assert "25%" in follow["answer"] and follow["citations"][0]["doc_id"] == SEED_DOC_ID
        assert call(f"{a.url}/chat", {"message": "And steel?", "session_id": session})[0] == 200
        # load: 6 clients × 12 turns, each turn on the other host than the last
        outcomes = _load(a.url, b.url, clients=6, turns=12)
        assert [o for o in outcomes if o[0] != 200] == []
        assert all(sid == own for _, sid, own in outcomes), "a reply came from another session"
        _turns_in_order(shared_env["BRIEFING_DATABASE_URL"], outcomes, turns=12)
    finally:
        a.stop()
        b.stop()


def _load(url_a: str, url_b: str, *, clients: int, turns: int) -> list[tuple[int, str, str]]:
    def client(n: int) -> list[tuple[int, str, str]]:
        results, session = [], None
        for turn in range(turns):
            body: dict[str, Any] = {"message": f"What tariff rate does Japan face? c{n} t{turn}"}
            if session:
                body["session_id"] = session
            status, reply = call(f"{(url_a, url_b)[(n + turn) % 2]}/chat", body)
            session = session or reply.get("session_id")
            results.append((status, reply.get("session_id", ""), session or ""))
        return results

    with ThreadPoolExecutor(clients) as pool:
        return [r for rs in pool.map(client, range(clients)) for r in rs]


def _turns_in_order(url: str, outcomes: list[tuple[int, str, str]], *, turns: int) -> None:
    """Every session holds exactly its own client's turns, in the order they were sent."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            for session in {own for _, _, own in outcomes}:
                questions = conn.execute(
                    sa.text("SELECT question FROM turns WHERE session_id = :s ORDER BY n"),
                    {"s": session},
                ).scalars().all()  # fmt: skip
                tags = [q.rsplit(" ", 2)[-2:] for q in questions]
                assert len(tags) == turns and len({c for c, _ in tags}) == 1, questions
                assert [t for _, t in tags] == [f"t{i}" for i in range(turns)], questions
    finally:
        engine.dispose()


def test_a_host_killed_mid_ingest_is_taken_over_by_the_other(
    tmp_path: Path, shared_env: dict[str, str]
) -> None:
    corpus = tmp_path / "generated"
    generate(corpus, 400, seed=3)
    url = shared_env["BRIEFING_DATABASE_URL"]
    a = Host("host-a", tmp_path, shared_env)
    b = Host("host-b", tmp_path, shared_env)
    try:
        a.start()
        b.start()
        ingest = a.run("ingest", str(corpus), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while _pending(url) == 0:  # wait for the ingest to be mid-write
            assert ingest.poll() is None and time.monotonic() < deadline, "ingest ended first"
            time.sleep(0.01)
        a.kill()
        assert ingest.poll() is not None
        killed_with = _pending(url)
        deadline = time.monotonic() + 60
        while _pending(url):  # B notices the abandoned journal and replays it
            assert time.monotonic() < deadline, f"{_pending(url)} journal rows left"
            time.sleep(0.2)
        assert killed_with > 0
        deadline = time.monotonic() + 10  # B logs it once the replay has returned
        while "writes an earlier writer left in the journal" not in b.log.read_text():
            assert time.monotonic() < deadline, b.log.read_text()[-2000:]
            time.sleep(0.1)
        assistant = Assistant(_settings(shared_env, tmp_path / "checker"))
        try:
            state = check(assistant, corpus)
            assert state.pending == 0 and state.manifest_chunks == state.store_chunks
            assert not (state.missing or state.orphans or state.duplicates), state
            assert not (state.unreachable or state.wrong_offsets), state
            assert state.committed < state.documents  # the kill interrupted it
            # and the ingest, run again through B, completes the corpus
            finish = b.run("ingest", str(corpus), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)  # fmt: skip
            assert finish.wait(timeout=300) == 0
            assert check(assistant, corpus).ok
        finally:
            assistant.close()
    finally:
        a.kill()
        b.stop()
