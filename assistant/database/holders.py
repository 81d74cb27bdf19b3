"""Who holds a lock, and where a lock lives: what the file lock (`locking`) and the shared
database's advisory lock (`advisory`) have in common, so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Owner:
    """Who holds (or last held) the writer lock, as recorded in the lock file."""

    pid: int
    role: str  # "briefing serve", "briefing ingest", …
    detail: str | None  # e.g. the URL a server listens on
    since: str
    host: str | None = None  # another host's name (a shared database's lock)

    def describe(self) -> str:
        where = f", {self.detail}" if self.detail else ""
        host = f" on {self.host}" if self.host else ""
        return f"{self.role} (pid {self.pid}{host}{where}, since {self.since})"


class LockBackend(Protocol):
    """Where a writer lock lives: a file on this host, or a shared database."""

    key: str  # one per lock, process-wide
    where: str  # for messages: what the lock protects

    def try_lock(self) -> Any | None: ...  # a handle while held, None when another holds it
    def unlock(self, handle: Any) -> None: ...
    def still_held(self, handle: Any) -> bool: ...  # False once the lock was lost
    def record(self, handle: Any, owner: Owner) -> None: ...
    def held_elsewhere(self) -> bool: ...
    def read_owner(self) -> Owner | None: ...
