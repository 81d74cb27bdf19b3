"""Finishing what a dead writer left, while a server runs on a shared store.

With a Chroma server (and a shared database) no server owns the store for its whole life: each
write takes the writer lock for as long as it lasts. If the writer dies mid-ingest — `kill -9`,
or its whole host — the lock is freed with it, and the journal still lists the writes it had
begun. Every server process watches for that state (journal rows while nobody holds the lock)
and replays the journal under the lock, so the ingest is finished or rolled back without
waiting for the next upload.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.assistant import Assistant

log = logging.getLogger(__name__)

INTERVAL_S = 2.0


class Takeover:
    """A daemon thread: every `interval` s, replay a journal its writer abandoned."""

    def __init__(self, assistant: Assistant, *, interval: float = INTERVAL_S) -> None:
        self._assistant = assistant
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.replayed = 0  # journal rows this process replayed (tests and logs)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="briefing-takeover", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def check(self) -> int:
        """One look: journal rows replayed now (0 when none, or when a writer is at work)."""
        assistant = self._assistant
        if not assistant.manifest.pending_count() or assistant.writer_lock.owner() is not None:
            return 0
        report = assistant.recover()  # None: a writer took the lock meanwhile (its job now)
        if report is None or not report.replayed:
            return 0
        log.warning("finished %d writes an earlier writer left in the journal", report.replayed)
        self.replayed += report.replayed
        return report.replayed

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.check()
            except Exception:  # the database or store may be away for a while: look again
                log.exception("journal takeover check failed")
