"""Conversation sessions (persisted in the database) and the offline follow-up rewrite.

A follow-up such as "What about cars?" is too thin to retrieve on. Without an LLM, we carry the
previous turn's retrieval query forward and mark the new message's own terms as the *focus*
that the chosen sentences must cover.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from assistant.database.engine import Database
from assistant.database.opening import as_database
from assistant.database.schema import sessions, turns
from assistant.errors import StoreError, UnknownSession
from assistant.language.words import content_terms, names_in
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
_APPEND_TRIES = 5  # two workers appending to one session at once: the loser numbers again


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

    def __init__(self, source: Path | Database) -> None:
        self._db = as_database(source, "sessions")

    def close(self) -> None:
        self._db.close()

    def create(self) -> str:
        session_id = uuid.uuid4().hex
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db.write() as conn:
            conn.execute(sessions.insert().values(id=session_id, created_at=created))
        return session_id

    def exists(self, session_id: str) -> bool:
        if not _SESSION_ID.match(session_id):
            return False
        with self._db.read() as conn:
            row = conn.execute(sa.select(sa.literal(1)).where(sessions.c.id == session_id)).first()
        return row is not None

    def history(self, session_id: str, limit: int = 20) -> list[Turn]:
        if not self.exists(session_id):
            raise UnknownSession(f"unknown session id {session_id[:64]!r}; omit it to start one")
        with self._db.read() as conn:
            rows = conn.execute(
                sa.select(turns.c.question, turns.c.answer, turns.c.retrieval_query)
                .where(turns.c.session_id == session_id)
                .order_by(turns.c.n.desc())
                .limit(limit)
            ).all()
        return [Turn(*row) for row in reversed(rows)]

    def append(self, session_id: str, turn: Turn) -> None:
        """Number the turn one past the session's last, in one write transaction. In a shared
        database the session's row is locked first, so appends to one session take turns; should
        two still pick the same number, the loser's insert breaks the primary key and it
        numbers again."""
        held = sa.select(sessions.c.id).where(sessions.c.id == session_id).with_for_update()
        following = (
            sa.select(sa.func.coalesce(sa.func.max(turns.c.n), 0) + 1)
            .where(turns.c.session_id == session_id)
            .scalar_subquery()
        )
        statement = turns.insert().values(
            session_id=session_id, n=following, question=turn.question, answer=turn.answer,
            retrieval_query=turn.retrieval_query,
        )  # fmt: skip
        for attempt in range(_APPEND_TRIES):
            try:
                with self._db.write() as conn:
                    conn.execute(held)
                    conn.execute(statement)
                return
            except sa.exc.IntegrityError as exc:
                if attempt == _APPEND_TRIES - 1:
                    raise StoreError(
                        f"could not number a new turn of session {session_id[:64]!r}: "
                        f"another append took its number {_APPEND_TRIES} times in a row"
                    ) from exc
