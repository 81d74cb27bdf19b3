"""Rate-limit buckets in the shared database: one limit per client across every worker on every
host, refilled by the database's clock; an unreachable database lets requests through."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from assistant.database import buckets as buckets_module
from assistant.database import migrate
from assistant.database.buckets import SharedTokenBuckets
from assistant.database.engine import Database
from assistant.database.schema import rate_buckets

Host = Callable[[], Database]


@pytest.fixture
def host(pg_url: str) -> Iterator[Host]:
    """Opens another host's connection (its own engine) to one migrated database."""
    opened: list[Database] = []

    def open_host() -> Database:
        db = Database(sa.create_engine(pg_url))
        opened.append(db)
        return db

    migrate.upgrade(open_host())
    yield open_host
    for db in opened:
        db.engine.dispose()


def test_two_hosts_share_one_burst(host: Host) -> None:
    # 6 a minute: one token every 10 s, so at most one refill while the test runs
    hosts = [SharedTokenBuckets(host(), per_minute=6, burst=5) for _ in range(2)]
    waits = [hosts[i % 2].take("client-a") for i in range(12)]
    allowed = sum(1 for w in waits if w == 0.0)
    assert allowed in (5, 6), waits
    assert waits[:5] == [0.0] * 5, "the burst goes first, whichever host asks"
    assert all(0.0 < w <= 10.0 for w in waits[allowed:]), waits
    assert all(h.take("client-a") > 0.0 for h in hosts), "still limited, on either host"


def test_clients_are_independent(host: Host) -> None:
    one, other = (SharedTokenBuckets(host(), per_minute=6, burst=2) for _ in range(2))
    assert [one.take("a"), other.take("a")] == [0.0, 0.0]
    assert one.take("a") > 0.0 and other.take("a") > 0.0
    assert [other.take("b"), one.take("b")] == [0.0, 0.0], "b has its own bucket"
    assert one.take("c") == 0.0


def test_concurrent_takes_on_two_hosts_never_overspend(host: Host) -> None:
    hosts = [SharedTokenBuckets(host(), per_minute=1, burst=5) for _ in range(2)]
    waits: list[float] = []
    lock = threading.Lock()

    def worker(buckets: SharedTokenBuckets) -> None:
        for _ in range(5):
            wait = buckets.take("busy")
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker, args=(hosts[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waits) == 20
    assert sum(1 for w in waits if w == 0.0) == 5, sorted(waits)


def test_the_bucket_refills_with_time(host: Host) -> None:
    buckets = SharedTokenBuckets(host(), per_minute=600, burst=1)  # one token every 0.1 s
    assert buckets.take("x") == 0.0
    wait = buckets.take("x")
    assert 0.0 < wait <= 0.1
    time.sleep(wait + 0.05)
    assert buckets.take("x") == 0.0


def test_idle_full_buckets_are_swept(host: Host, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(buckets_module, "_SWEEP_EVERY", 2)
    db = host()
    buckets = SharedTokenBuckets(db, per_minute=6000, burst=5)  # full again after 0.05 s
    buckets.take("idle")
    time.sleep(0.2)
    buckets.take("busy")  # the second take sweeps
    with db.read() as conn:
        clients = set(conn.execute(sa.select(rate_buckets.c.client)).scalars())
    assert clients == {"busy"}


def test_an_unreachable_database_lets_requests_through(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = sa.create_engine(
        f"postgresql+psycopg://briefing:pw@127.0.0.1:{port}/briefing",
        connect_args={"connect_timeout": 2},
    )
    buckets = SharedTokenBuckets(Database(engine), per_minute=6, burst=1)
    try:
        with caplog.at_level(logging.WARNING, logger="assistant.database.buckets"):
            assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 3
        assert all("rate limit not applied" in r.getMessage() for r in warnings)
        assert all("pw@" not in r.getMessage() for r in warnings)
    finally:
        engine.dispose()
