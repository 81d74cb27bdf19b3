"""The writer lock of a shared database (a PostgreSQL advisory lock): one writer per deployment
across processes and hosts, named in the refusal; freed when its holder is killed; one lock per
Chroma collection; re-entrant within a process; a lock lost with its connection is taken back
before the next write, or the write stops when another process took it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.config import Settings
from assistant.database import migrate
from assistant.database.advisory import AdvisoryLock, lock_key
from assistant.database.engine import Database
from assistant.database.locking import FileLock, WriterBusy, WriterLock, WriterLockLost
from tests.conftest import make_settings
from tests.lock_holder import holding

CHROMA = "http://127.0.0.1:1"


@pytest.fixture
def shared(pg_url: str, tmp_path: Path) -> Settings:
    """Settings of a deployment on a migrated shared database."""
    db = Database(sa.create_engine(pg_url))
    migrate.upgrade(db)
    db.engine.dispose()
    return make_settings(tmp_path, database_url=pg_url, chroma_url=CHROMA)


def for_collection(settings: Settings, collection: str) -> Settings:
    return settings.model_copy(update={"chroma_collection": collection})


@pytest.fixture
def holder(shared: Settings) -> Iterator[subprocess.Popen[str]]:
    """Another process (another host, for all the lock can tell) claims the writer lock."""
    assert shared.database_url is not None
    with holding(str(shared.data_dir), shared.database_url.get_secret_value(), CHROMA,
                 shared.chroma_collection) as child:  # fmt: skip
        yield child


@pytest.fixture
def locks() -> Iterator[list[WriterLock]]:
    """WriterLocks made by a test: released and closed after it, even when it fails."""
    made: list[WriterLock] = []
    yield made
    for lock in made:
        while lock.held_here:
            lock.release()
        if isinstance(lock.backend, AdvisoryLock):
            lock.backend.close()


def writer(settings: Settings, made: list[WriterLock]) -> WriterLock:
    lock = WriterLock.for_settings(settings)
    made.append(lock)
    return lock


def test_a_shared_database_uses_an_advisory_lock(
    shared: Settings, tmp_path: Path, locks: list[WriterLock]
) -> None:
    assert isinstance(writer(shared, locks).backend, AdvisoryLock)
    assert isinstance(WriterLock.for_settings(make_settings(tmp_path)).backend, FileLock)


def test_the_key_is_stable_and_per_name() -> None:
    assert lock_key("writer:briefing_chunks") == lock_key("writer:briefing_chunks")
    assert lock_key("writer:briefing_chunks") != lock_key("writer:other_chunks")
    assert lock_key("writer:x") != lock_key("poller:x")
    assert -(2**63) <= lock_key("writer:x") < 2**63


def test_another_process_holding_it_is_named_in_the_refusal(
    shared: Settings, holder: subprocess.Popen[str], locks: list[WriterLock]
) -> None:
    lock = writer(shared, locks)
    owner = lock.owner()
    assert owner is not None and owner.pid == holder.pid and owner.role == "briefing ingest"
    with pytest.raises(WriterBusy) as raised:
        lock.claim("briefing serve")
    message = str(raised.value)
    assert "briefing ingest" in message and f"pid {holder.pid}" in message
    assert f"on {socket.gethostname()}" in message
    assert not lock.held_here


def test_the_lock_is_freed_when_its_holder_is_killed(
    shared: Settings, holder: subprocess.Popen[str], locks: list[WriterLock]
) -> None:
    lock = writer(shared, locks)
    with pytest.raises(WriterBusy):
        lock.claim("briefing serve")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lock.claim("briefing serve", timeout=10)  # the server notices the dead connection
    assert lock.held_here
    owner = lock.owner()
    assert owner is not None and owner.pid == os.getpid() and owner.role == "briefing serve"
    lock.release()
    assert not lock.held_here and lock.owner() is None


def test_collections_have_their_own_locks(
    shared: Settings, holder: subprocess.Popen[str], locks: list[WriterLock]
) -> None:
    other = writer(for_collection(shared, "other_chunks"), locks)
    other.claim("briefing ingest")  # the child holds briefing_chunks' lock, not this one
    assert other.held_here
    third = writer(for_collection(shared, "third_chunks"), locks)
    third.claim("briefing ingest")  # nor do two in one process block each other
    assert third.held_here
    with pytest.raises(WriterBusy):
        writer(shared, locks).claim("briefing serve")


def test_claims_re_enter_within_a_process(shared: Settings, locks: list[WriterLock]) -> None:
    lock = writer(shared, locks)
    probe = AdvisoryLock(shared)  # another connection: what another process would see
    try:
        lock.claim("briefing serve", "http://127.0.0.1:8000")
        writer(shared, locks).claim("briefing ingest")  # the server's own write
        assert probe.held_elsewhere()
        lock.release()
        assert lock.held_here and probe.held_elsewhere(), "one claim is still out"
        lock.release()
        assert not lock.held_here and not probe.held_elsewhere()
        lock.release()  # one too many: nothing to drop
        assert not probe.held_elsewhere()
    finally:
        probe.close()


def _cut_connection(settings: Settings) -> None:
    """What a network cut or a database restart does to the holder: its session ends."""
    key = lock_key(f"writer:{settings.chroma_collection}")
    assert settings.database_url is not None
    engine = sa.create_engine(settings.database_url.get_secret_value())
    try:
        with engine.connect() as conn:
            pids = (
                conn.execute(
                    sa.text(
                        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        " AND classid::bigint = :hi AND objid::bigint = :lo"
                    ),
                    {"hi": (key >> 32) & 0xFFFFFFFF, "lo": key & 0xFFFFFFFF},
                )
                .scalars()
                .all()
            )
            assert len(pids) == 1, pids
            conn.execute(sa.select(sa.func.pg_terminate_backend(pids[0])))
    finally:
        engine.dispose()


def _wait_until_free(probe: AdvisoryLock) -> None:
    deadline = time.monotonic() + 10
    while probe.held_elsewhere():
        assert time.monotonic() < deadline, "the cut connection's lock was never freed"
        time.sleep(0.05)


def test_a_lost_lock_is_taken_back_before_the_next_write(
    shared: Settings, locks: list[WriterLock]
) -> None:
    lock = writer(shared, locks)
    probe = AdvisoryLock(shared)
    try:
        lock.claim("briefing serve", "http://127.0.0.1:8000")
        _cut_connection(shared)
        _wait_until_free(probe)
        assert lock.held_here  # the process cannot tell by itself
        with lock.hold("briefing ingest"):
            assert probe.held_elsewhere(), "the write section runs under the lock again"
        owner = lock.owner()
        assert owner is not None and owner.pid == os.getpid()
        assert owner.detail == "http://127.0.0.1:8000"  # recorded as it was claimed
    finally:
        probe.close()


def test_a_lost_lock_that_another_process_took_stops_the_write(
    shared: Settings, locks: list[WriterLock]
) -> None:
    lock = writer(shared, locks)
    probe = AdvisoryLock(shared)
    wrote = False
    try:
        lock.claim("briefing serve")
        _cut_connection(shared)
        _wait_until_free(probe)
        assert shared.database_url is not None
        with holding(str(shared.data_dir), shared.database_url.get_secret_value(), CHROMA,
                     shared.chroma_collection) as child:  # fmt: skip
            with pytest.raises(WriterLockLost) as raised, lock.hold("briefing ingest"):
                wrote = True
            assert not wrote
            assert f"pid {child.pid}" in str(raised.value)
            assert not lock.held_here
            with pytest.raises(WriterBusy):  # later writes are refused as usual
                lock.claim("briefing ingest")
    finally:
        probe.close()
