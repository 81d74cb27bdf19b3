"""One writer per data directory: an advisory file lock on `DATA_DIR/writer.lock`.

The embedded Chroma store is not process-safe (a second process's writes stay invisible to a
running reader, and two writers can corrupt it), so everything that writes the store — ingest,
`POST /documents`, recovery — holds this lock, and a server holds it for its whole life. A
`briefing ingest` started while a server runs is refused with a message naming the server's pid.

* `flock` is released by the kernel when the process dies, even on `kill -9`: no stale locks.
* The lock file records who holds it (pid, role, where it serves), for that message.
* Within one process the lock is re-entrant: the server's lifetime claim and the writes it
  makes itself share it. `hold()` also serialises writer *threads* of the process.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import IngestError

LOCK_NAME = "writer.lock"
_POLL_S = 0.05


class WriterBusy(IngestError):
    """Another process owns the store for writing (its pid and role are in the message)."""


@dataclass(frozen=True)
class Owner:
    """Who holds (or last held) the writer lock, as recorded in the lock file."""

    pid: int
    role: str  # "briefing serve", "briefing ingest", …
    detail: str | None  # e.g. the URL a server listens on
    since: str

    def describe(self) -> str:
        where = f", {self.detail}" if self.detail else ""
        return f"{self.role} (pid {self.pid}{where}, since {self.since})"


@dataclass
class _Held:
    fd: int
    claims: int
    writers: threading.RLock


_REGISTRY: dict[str, _Held] = {}
_REGISTRY_LOCK = threading.Lock()
_THREAD_LOCKS: dict[str, threading.RLock] = {}


def _read_owner(path: Path) -> Owner | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        return Owner(int(data["pid"]), str(data["role"]), data.get("detail"), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class WriterLock:
    """The writer lock of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._key = str(self.path.resolve())
        with _REGISTRY_LOCK:
            self._threads = _THREAD_LOCKS.setdefault(self._key, threading.RLock())

    # -- inspection ----------------------------------------------------------------------------
    @property
    def held_here(self) -> bool:
        """True while this process holds the lock."""
        with _REGISTRY_LOCK:
            return self._key in _REGISTRY

    def owner(self) -> Owner | None:
        """Who holds the lock now (None when nobody does)."""
        if self.held_here:
            return _read_owner(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_owner(self.path) or Owner(0, "another process", None, "?")
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

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
                        self._record(held.fd, role, detail)
                    return
                fd = self._try_lock()
                if fd is not None:
                    _REGISTRY[self._key] = _Held(fd, 1, self._threads)
                    self._record(fd, role, detail)
                    return
            if time.monotonic() >= deadline:
                owner = _read_owner(self.path)
                who = owner.describe() if owner else "another process"
                raise WriterBusy(
                    f"the store in {self.path.parent} is being written by {who}. "
                    "Wait for it to finish, or send documents to the running server with "
                    "POST /documents."
                )
            time.sleep(_POLL_S)

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
            with contextlib.suppress(OSError):
                fcntl.flock(held.fd, fcntl.LOCK_UN)
            os.close(held.fd)

    @contextlib.contextmanager
    def hold(self, role: str, *, timeout: float = 0.0) -> Iterator[None]:
        """Write section: one writer thread in this process, and the process owns the lock."""
        if not self._threads.acquire(timeout=timeout if timeout > 0 else -1):
            raise WriterBusy("another writer in this process did not finish in time")
        try:
            self.claim(role, timeout=timeout)
            try:
                yield
            finally:
                self.release()
        finally:
            self._threads.release()

    # -- internals -------------------------------------------------------------------------------
    def _try_lock(self) -> int | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    @staticmethod
    def _record(fd: int, role: str, detail: str | None) -> None:
        since = datetime.now(UTC).isoformat(timespec="seconds")
        payload = {"pid": os.getpid(), "role": role, "detail": detail, "since": since}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(payload).encode("utf-8"), 0)
