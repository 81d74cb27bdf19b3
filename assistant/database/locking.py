"""One writer per data directory: an advisory file lock on `DATA_DIR/writer.lock` — or, with a
shared database (BRIEFING_DATABASE_URL), one writer per deployment: a PostgreSQL advisory lock.

The embedded Chroma store is not process-safe (a second process's writes stay invisible to a
running reader, and two writers can corrupt it), so everything that writes the store — ingest,
`POST /documents`, recovery — holds this lock, and a server holds it for its whole life. A
`briefing ingest` started while a server runs is refused with a message naming the server's pid.

* `flock` is released by the kernel when the process dies, even on `kill -9`: no stale locks;
  PostgreSQL releases an advisory lock when the holder's connection ends, likewise.
* The lock file records who holds it (pid, role, where it serves), for that message.
* A lock can be lost while held: an advisory lock goes with its database connection. Every
  write section (`hold`) and every write group of an ingest first checks that the lock is still
  this process's (`ensure_held`), takes it again when it is free, and otherwise stops with
  `WriterLockLost` before writing. What remains is the window of one write group.
* Within one process the lock is re-entrant: the server's lifetime claim and the writes it
  makes itself share it. `hold()` also serialises writer *threads* of the process.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.database.holders import LockBackend, Owner
from assistant.errors import IngestError

if TYPE_CHECKING:
    from assistant.config import Settings

log = logging.getLogger(__name__)

LOCK_NAME = "writer.lock"
_POLL_S = 0.05


class WriterBusy(IngestError):
    """Another process owns the store for writing (its pid and role are in the message)."""


class WriterLockLost(WriterBusy):
    """The lock this process held was lost (its database connection ended) and another
    process has it now: the write was not made."""


@dataclass
class _Held:
    fd: Any  # the backend's handle
    claims: int
    writers: threading.RLock
    backend: LockBackend
    owner: Owner  # as recorded: recorded again when a lost lock is taken back


_REGISTRY: dict[str, _Held] = {}
_REGISTRY_LOCK = threading.Lock()
_THREAD_LOCKS: dict[str, threading.RLock] = {}


def _read_owner(path: Path) -> Owner | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        return Owner(int(data["pid"]), str(data["role"]), data.get("detail"), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class FileLock:
    """`flock` on `DATA_DIR/writer.lock`: one host; the lock file records its owner."""

    def __init__(self, data_dir: Path, name: str = LOCK_NAME) -> None:
        self.path = data_dir / name
        self.key = str(self.path.resolve())
        self.where = f"the store in {data_dir}"

    def try_lock(self) -> int | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def unlock(self, handle: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)

    def still_held(self, handle: int) -> bool:
        return True  # flock lasts as long as the open file; only this process can close it

    def record(self, handle: int, owner: Owner) -> None:
        payload = {"pid": owner.pid, "role": owner.role, "detail": owner.detail,
                   "since": owner.since}  # fmt: skip
        os.ftruncate(handle, 0)
        os.pwrite(handle, json.dumps(payload).encode("utf-8"), 0)

    def held_elsewhere(self) -> bool:
        fd = self.try_lock()
        if fd is None:
            return True
        self.unlock(fd)
        return False

    def read_owner(self) -> Owner | None:
        return _read_owner(self.path)


class WriterLock:
    """The writer lock of one data directory (a file lock), or of a shared database (a
    PostgreSQL advisory lock: `for_settings`)."""

    def __init__(self, data_dir: Path | None = None, *, backend: LockBackend | None = None) -> None:
        if backend is None:
            if data_dir is None:
                raise ValueError("a WriterLock needs a data directory or a backend")
            backend = FileLock(data_dir)
        self.backend = backend
        self._key = backend.key
        with _REGISTRY_LOCK:
            self._threads = _THREAD_LOCKS.setdefault(self._key, threading.RLock())

    @classmethod
    def for_settings(cls, settings: Settings) -> WriterLock:
        """The lock every writer of this deployment takes: the shared database's when there
        is one (all hosts), else the data directory's."""
        return cls(backend=named_lock(settings, "writer"))

    def close(self) -> None:
        """Let go of what the backend keeps open (a shared database's connection pool)."""
        close = getattr(self.backend, "close", None)
        if close is not None:
            close()

    # -- inspection ----------------------------------------------------------------------------
    @property
    def held_here(self) -> bool:
        """True while this process holds the lock."""
        with _REGISTRY_LOCK:
            return self._key in _REGISTRY

    def owner(self) -> Owner | None:
        """Who holds the lock now (None when nobody does)."""
        if self.held_here:
            return self.backend.read_owner()
        if self.backend.held_elsewhere():
            return self.backend.read_owner() or Owner(0, "another process", None, "?")
        return None

    # -- claims ----------------------------------------------------------------------------------
    def claim(self, role: str, detail: str | None = None, *, timeout: float = 0.0) -> None:
        """Take (or re-enter) the lock for this process; `WriterBusy` if another holds it."""
        deadline = time.monotonic() + timeout
        while True:
            with _REGISTRY_LOCK:
                held = _REGISTRY.get(self._key)
                if held is not None:
                    held.claims += 1
                    if detail:
                        held.owner = _owner(role, detail)
                        self.backend.record(held.fd, held.owner)
                    return
                handle = self.backend.try_lock()
                if handle is not None:
                    mine = _owner(role, detail)
                    _REGISTRY[self._key] = _Held(handle, 1, self._threads, self.backend, mine)
                    self.backend.record(handle, mine)
                    return
            if time.monotonic() >= deadline:
                owner = self.backend.read_owner()
                who = owner.describe() if owner else "another process"
                raise WriterBusy(
                    f"{self.backend.where} is being written by {who}. "
                    "Wait for it to finish, or send documents to the running server with "
                    "POST /documents."
                )
            time.sleep(_POLL_S)

    def ensure_held(self) -> None:
        """Check that this process still has the lock it claimed; take it again if it was
        lost and is free, else `WriterLockLost` (the claims are dropped: they hold nothing)."""
        with _REGISTRY_LOCK:
            held = _REGISTRY.get(self._key)
            if held is None or held.backend.still_held(held.fd):
                return
            with contextlib.suppress(Exception):  # the handle is dead: just let go of it
                held.backend.unlock(held.fd)
            handle = held.backend.try_lock()
            if handle is not None:
                held.fd = handle
                held.backend.record(handle, held.owner)
                log.warning("the writer lock of %s was lost and taken again", self.backend.where)
                return
            del _REGISTRY[self._key]
        owner = self.backend.read_owner()
        who = owner.describe() if owner else "another process"
        raise WriterLockLost(
            f"the writer lock of {self.backend.where} was lost (its database connection ended) "
            f"and {who} holds it now. The write stopped there; retry it, or send documents to "
            "the process that holds the lock."
        )

    def release(self) -> None:
        """Drop one claim; the lock is freed when the last claim of the process goes."""
        with _REGISTRY_LOCK:
            held = _REGISTRY.get(self._key)
            if held is None:
                return
            held.claims -= 1
            if held.claims > 0:
                return
            del _REGISTRY[self._key]
            held.backend.unlock(held.fd)

    @contextlib.contextmanager
    def hold(self, role: str, *, timeout: float = 0.0) -> Iterator[None]:
        """Write section: one writer thread in this process, and the process owns the lock."""
        if not self._threads.acquire(timeout=timeout if timeout > 0 else -1):
            raise WriterBusy("another writer in this process did not finish in time")
        try:
            self.claim(role, timeout=timeout)
            try:
                self.ensure_held()
                yield
            finally:
                self.release()
        finally:
            self._threads.release()


def _owner(role: str, detail: str | None) -> Owner:
    since = datetime.now(UTC).isoformat(timespec="seconds")
    return Owner(os.getpid(), role, detail, since)


def named_lock(settings: Settings, name: str) -> LockBackend:
    """Another one-holder-at-a-time lock (`poller`: who polls the feeds) of the deployment: a
    file in the data directory, or an advisory lock in the shared database."""
    from assistant.database.opening import shared_url

    if shared_url(settings) is None:
        return FileLock(settings.data_dir, f"{name}.lock")
    from assistant.database.advisory import AdvisoryLock

    return AdvisoryLock(settings, name)
