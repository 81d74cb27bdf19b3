"""Polling followed feeds in the background while `briefing serve` runs.

* One poller per data directory (per deployment with a shared database): the one holding an
  flock on `DATA_DIR/poller.lock` or the database's `poller` advisory lock (taken
  without waiting; the kernel drops it when the process dies). Every worker process of a server
  runs a `Poller`, the others stand by and try the lock again at each tick, so one takes over
  when the holder exits. A database lock goes with its connection, so the poller checks at
  each tick that it still has it, and stands by again when another took it meanwhile.
* The thread sleeps until the next feed is due, at most `TICK_S` (a feed that `briefing follow`
  registers from another terminal is noticed within a tick), then polls the due feeds one at a
  time through the app's intake: writes go through the assistant, under the writer lock the
  server already holds, like uploads.
* `stop()` ends it between two entries of a poll; a poll that fails is logged and recorded on
  its feed, and never ends the thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assistant.database.holders import LockBackend, Owner
from assistant.database.locking import named_lock
from assistant.sources.feeds import Feed, FeedStore, PollResult, now_iso
from assistant.sources.polling import poll

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.sources.adding import Intake

log = logging.getLogger(__name__)

TICK_S = 5.0
_MIN_WAIT_S = 0.5  # between rounds, whatever the clock says: no busy loop on a broken feed


def poller_lock(settings: Settings) -> LockBackend:
    """Who polls: `DATA_DIR/poller.lock`, or an advisory lock in a shared database."""
    return named_lock(settings, "poller")


def _claim(backend: LockBackend, role: str) -> Any | None:
    handle = backend.try_lock()
    if handle is not None:
        backend.record(handle, Owner(os.getpid(), role, None, now_iso()))
    return handle


def take_poller_lock(settings: Settings, role: str) -> Callable[[], None] | None:
    """Become the poller: a function giving the role up, or None while another has it."""
    backend = poller_lock(settings)
    handle = _claim(backend, role)
    return None if handle is None else (lambda: backend.unlock(handle))


class Poller:
    """A daemon thread polling due feeds; `active` while it is the data directory's poller."""

    def __init__(
        self, intake: Intake, store: FeedStore, *, tick: float = TICK_S,
        lock: LockBackend | None = None,
    ) -> None:  # fmt: skip
        self._intake, self._store, self._tick = intake, store, tick
        self._lock = lock or poller_lock(intake.settings)
        self._stop = threading.Event()
        self._handle: Any | None = None  # the lock's, while this is the poller
        self._thread: threading.Thread | None = None
        self.rounds = 0  # rounds run as the poller (tests wait on it)

    @property
    def active(self) -> bool:
        return self._handle is not None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="briefing-feeds", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end and wait up to `timeout` s (a fetch in flight may outlast it:
        the thread is a daemon, and stops after that entry)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("feed poller still finishing a fetch at shutdown")
                return
        self._let_go()
        close = getattr(self._lock, "close", None)
        if close is not None:
            close()

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._tick
            try:
                if self._handle is not None and not self._lock.still_held(self._handle):
                    log.warning("the feed poller's lock was lost; taking it again if free")
                    self._let_go()
                if self._handle is None:
                    self._handle = _claim(self._lock, "feed poller")
                if self._handle is not None:
                    wait = self._round()
            except Exception:  # a broken data dir must not kill the thread: try again later
                log.exception("feed poller round failed")
            self._stop.wait(max(wait, _MIN_WAIT_S))

    def _let_go(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(Exception):  # a lost lock's handle may be dead
                self._lock.unlock(self._handle)
            self._handle = None

    def _round(self) -> float:
        """Poll every due feed; seconds until the next one is due (at most a tick)."""
        for feed in self._store.due():
            if self._stop.is_set():
                return 0.0
            self._poll(feed)
        self.rounds += 1
        upcoming = self._store.next_due()
        if upcoming is None:
            return self._tick
        return min(self._tick, (upcoming - datetime.now(UTC)).total_seconds())

    def _poll(self, feed: Feed) -> None:
        try:
            result = poll(feed, self._intake, self._store, stop=self._stop.is_set)
        except Exception as exc:  # NotFound when unfollowed meanwhile, or a bug
            log.exception("feed poll failed", extra={"feed": feed.id})
            why = f"internal error ({type(exc).__name__}); see the server log"
            failed = PollResult(feed.id, "error", now_iso(), error=why)
            with contextlib.suppress(Exception):
                self._store.record_run(feed, failed)  # so it is not due again at once
            return
        log.info(
            "feed polled",
            extra={"feed": feed.id, "status": result.status, "added": len(result.added),
                   "error": result.error},
        )  # fmt: skip
