"""Conversation sessions (persisted in SQLite) and the offline follow-up rewrite.

A follow-up such as "What about cars?" is too thin to retrieve on. Without an LLM, we carry the
previous turn's retrieval query forward and mark the new message's own terms as the *focus*
that the chosen sentences must cover.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import UnknownSession
from assistant.sqlite import open_db
from assistant.text import content_terms, names_in
from assistant.types import Turn

_FOLLOW_UP_OPENERS = re.compile(
    r"^\s*(and|also|but|so|then|what about|how about|what of|and what about|and for|"
    r"same for|what if|why|how come)\b[\s,]*",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(
    r"\b(it|its|they|them|their|that|those|this|these|he|him|his|she|her|there)\b", re.IGNORECASE
)
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class RetrievalQuery:
    text: str  # what retrieval embeds
    focus: list[str]  # terms the answer must cover (empty: no constraint)


def rewrite_follow_up(message: str, history: list[Turn]) -> RetrievalQuery:
    """Standalone questions pass through; thin follow-ups inherit the previous query."""
    if not history:
        return RetrievalQuery(message, [])
    terms = content_terms(message)
    opener = _FOLLOW_UP_OPENERS.match(message)
    pronoun = _PRONOUNS.search(message) and not names_in(message)
    if not (opener or pronoun or len(terms) <= 2):
        return RetrievalQuery(message, [])
    previous = history[-1].retrieval_query
    own = _FOLLOW_UP_OPENERS.sub("", message).strip()
    return RetrievalQuery(f"{previous} {own}".strip(), terms)


class SessionStore:
    """Sessions and their turns; ids are random and must have been issued here."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_db(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS turns (session_id TEXT NOT NULL, n INTEGER NOT NULL, "
            "question TEXT NOT NULL, answer TEXT NOT NULL, retrieval_query TEXT NOT NULL, "
            "PRIMARY KEY (session_id, n))"
        )

    def close(self) -> None:
        self._db.close()

    def create(self) -> str:
        session_id = uuid.uuid4().hex
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions VALUES (?, ?)",
                (session_id, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        return session_id

    def exists(self, session_id: str) -> bool:
        if not _SESSION_ID.match(session_id):
            return False
        with self._lock:
            row = self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return row is not None

    def history(self, session_id: str, limit: int = 20) -> list[Turn]:
        if not self.exists(session_id):
            raise UnknownSession(f"unknown session id {session_id[:64]!r}; omit it to start one")
        with self._lock:
            rows = self._db.execute(
                "SELECT question, answer, retrieval_query FROM turns WHERE session_id = ? "
                "ORDER BY n DESC LIMIT ?",
                (session_id, limit),
            ).fetchall()
        return [Turn(*row) for row in reversed(rows)]

    def append(self, session_id: str, turn: Turn) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO turns VALUES (?, (SELECT COALESCE(MAX(n), 0) + 1 FROM turns "
                "WHERE session_id = ?), ?, ?, ?)",
                (session_id, session_id, turn.question, turn.answer, turn.retrieval_query),
            )
