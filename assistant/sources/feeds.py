"""Followed RSS/Atom feeds and what each run of them did (`DATA_DIR/intake.sqlite3`, or the
shared database).

Two tables next to `origins`: `feeds` (one row per followed feed: its URL, validators for
conditional GETs, when it runs next and what its last run did) and `feed_entries` (the entries
each feed has brought, so an entry is fetched once: only an entry whose page was added, or that
was given up on, is never tried again). The database keeps it all across restarts and lets a
`briefing follow` in one terminal register a feed that a running server then polls.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa

from assistant.database.engine import Database
from assistant.database.opening import as_database
from assistant.database.schema import feed_entries, feeds
from assistant.errors import NotFound
from assistant.intake.identity import normalise_url

RunStatus = Literal["ok", "not_modified", "partial", "error"]
EntryStatus = Literal["done", "failed", "gave_up"]

_COLUMNS = (
    feeds.c.id, feeds.c.url, feeds.c.title, feeds.c.interval, feeds.c.created_at, feeds.c.etag,
    feeds.c.last_modified, feeds.c.last_run_at, feeds.c.next_run_at, feeds.c.last_status,
    feeds.c.last_error, feeds.c.last_added, feeds.c.last_problems, feeds.c.last_briefing_id,
)  # fmt: skip
_SELECT = sa.select(*_COLUMNS)
_NEXT_SEQ = sa.select(sa.func.coalesce(sa.func.max(feed_entries.c.seq), 0) + 1)


def now_iso(moment: datetime | None = None) -> str:
    """UTC, to the second, one fixed format: these strings compare in time order."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def feed_id_for(url: str) -> str:
    """12 hex digits of the normalised URL's hash: the same feed, however it is spelled."""
    return hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class EntryProblem:
    """An entry whose page could not be added; `gave_up`: it will not be tried again."""

    link: str
    reason: str
    gave_up: bool = False


@dataclass(frozen=True)
class Feed:
    id: str
    url: str  # normalised
    title: str | None  # as the feed names itself (None until it has been read)
    interval: float  # seconds between polls
    created_at: str
    next_run_at: str
    etag: str | None = None
    last_modified: str | None = None
    last_run_at: str | None = None
    last_status: RunStatus | None = None
    last_error: str | None = None  # the feed's own failure, or a summary of its entries'
    last_added: tuple[str, ...] = ()  # document ids the last run added or updated
    last_problems: tuple[EntryProblem, ...] = ()
    last_briefing_id: str | None = None  # the feed's latest "what changed" briefing


@dataclass(frozen=True)
class RecentEntry:
    """An entry of the feed whose page is in the corpus."""

    doc_id: str
    link: str | None
    at: str  # when the poll that brought it ran


@dataclass(frozen=True)
class PollResult:
    """What one poll of one feed did."""

    feed_id: str
    status: RunStatus
    ran_at: str
    entries: int = 0  # in the feed as read
    added: tuple[str, ...] = ()  # document ids added or updated
    unchanged: tuple[str, ...] = ()  # new entries whose page was already in the corpus
    pending: int = 0  # new entries left for a later poll (failed, or over the per-poll cap)
    problems: tuple[EntryProblem, ...] = ()
    error: str | None = None  # why the feed itself could not be read
    briefing_id: str | None = None  # the "what changed" briefing made after this run


class FeedStore:
    """The feeds table and their seen entries; thread-safe, shared by processes (and, in a
    shared database, by hosts) through the database."""

    def __init__(self, source: Path | Database) -> None:
        self._db = as_database(source, "intake")

    def close(self) -> None:
        self._db.close()

    # -- feeds ----------------------------------------------------------------------------------
    def add(self, url: str, interval: float) -> tuple[Feed, bool]:
        """(the feed, True) for a new one; (the existing feed, False) for a followed URL.

        A new feed is due one interval from now: its first poll is the caller's (`follow`
        polls at once; `mark_due` hands it to a running poller), never a race between both."""
        normal = normalise_url(url)
        feed_id = feed_id_for(normal)
        created = datetime.now(UTC)
        first = now_iso(created + timedelta(seconds=interval))
        statement = self._db.insert(feeds).values(
            id=feed_id, url=normal, interval=interval, created_at=now_iso(created),
            next_run_at=first,
        )  # fmt: skip
        # RETURNING, not rowcount: SQLAlchemy does not keep an INSERT's rowcount for psycopg
        with self._db.write() as conn:
            inserted = conn.execute(statement.on_conflict_do_nothing().returning(feeds.c.id))
            is_new = inserted.first() is not None
        return self.get(feed_id), is_new

    def get(self, feed_id: str) -> Feed:
        with self._db.read() as conn:
            row = conn.execute(_SELECT.where(feeds.c.id == feed_id)).first()
        if row is None:
            raise NotFound(f"no followed feed with id {feed_id[:40]!r}")
        return _feed(row)

    def find(self, url: str) -> Feed | None:
        try:
            return self.get(feed_id_for(url))
        except NotFound:
            return None

    def all(self) -> list[Feed]:
        with self._db.read() as conn:
            rows = conn.execute(_SELECT.order_by(feeds.c.created_at, feeds.c.id)).all()
        return [_feed(row) for row in rows]

    def due(self, moment: datetime | None = None) -> list[Feed]:
        """Feeds whose next run is now or past, the longest-waiting first."""
        with self._db.read() as conn:
            rows = conn.execute(
                _SELECT.where(feeds.c.next_run_at <= now_iso(moment))
                .order_by(feeds.c.next_run_at, feeds.c.id)
            ).all()  # fmt: skip
        return [_feed(row) for row in rows]

    def next_due(self) -> datetime | None:
        with self._db.read() as conn:
            first = conn.execute(sa.select(sa.func.min(feeds.c.next_run_at))).scalar()
        return datetime.fromisoformat(first) if first else None

    def set_interval(self, feed_id: str, interval: float) -> Feed:
        feed = self.get(feed_id)
        start = datetime.fromisoformat(feed.last_run_at or feed.created_at)
        with self._db.write() as conn:
            conn.execute(
                feeds.update().where(feeds.c.id == feed_id).values(
                    interval=interval, next_run_at=now_iso(start + timedelta(seconds=interval))
                )
            )  # fmt: skip
        return self.get(feed_id)

    def mark_due(self, feed_id: str) -> None:
        """Poll this feed at the poller's next look (a feed followed again while served)."""
        with self._db.write() as conn:
            conn.execute(feeds.update().where(feeds.c.id == feed_id).values(next_run_at=now_iso()))

    def remove(self, feed_id: str) -> Feed:
        """Stop following; the documents it brought stay. NotFound for an unknown id."""
        feed = self.get(feed_id)
        with self._db.write() as conn:
            # The feed first: a `mark_entry` holding it (FOR SHARE) commits before this goes on,
            # and the entries' delete then sees what it wrote.
            conn.execute(feeds.delete().where(feeds.c.id == feed_id))
            conn.execute(feed_entries.delete().where(feed_entries.c.feed_id == feed_id))
        return feed

    def record_run(
        self,
        feed: Feed,
        result: PollResult,
        *,
        title: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Save a run's outcome; `validators` (etag, last_modified) replace the stored ones
        only when given (a run that left entries to retry must see the feed again)."""
        if result.error:
            error: str | None = result.error
        elif result.problems:
            error = "; ".join(f"{p.link}: {p.reason}" for p in result.problems)[:2000]
        else:
            error = None
        ran = datetime.fromisoformat(result.ran_at)
        etag, modified = validators or (feed.etag, feed.last_modified)
        problems = [{"link": p.link, "reason": p.reason, "gave_up": p.gave_up}
                    for p in result.problems]  # fmt: skip
        values: dict[str, Any] = {
            "etag": etag, "last_modified": modified, "last_run_at": result.ran_at,
            "next_run_at": now_iso(ran + timedelta(seconds=feed.interval)),
            "last_status": result.status, "last_error": error,
            "last_added": json.dumps(list(result.added)), "last_problems": json.dumps(problems),
        }  # fmt: skip
        if title is not None:  # a run that could not read the feed keeps the name it had
            values["title"] = title
        if result.briefing_id is not None:
            values["last_briefing_id"] = result.briefing_id
        with self._db.write() as conn:
            conn.execute(feeds.update().where(feeds.c.id == feed.id).values(**values))

    # -- entries --------------------------------------------------------------------------------
    def entries(self, feed_id: str) -> dict[str, tuple[EntryStatus, int]]:
        """key → (status, failures so far) of every entry this feed has brought."""
        with self._db.read() as conn:
            rows = conn.execute(
                sa.select(feed_entries.c.key, feed_entries.c.status, feed_entries.c.failures)
                .where(feed_entries.c.feed_id == feed_id)
            ).all()  # fmt: skip
        return {key: (status, failures) for key, status, failures in rows}

    def recent(self, feed_id: str, limit: int = 20) -> tuple[RecentEntry, ...]:
        """The latest entries this feed brought into the corpus, newest first: what a user
        checking the next morning wants, after later runs found nothing new (304s)."""
        with self._db.read() as conn:
            rows = conn.execute(
                sa.select(feed_entries.c.doc_id, feed_entries.c.link, feed_entries.c.updated_at)
                .where(feed_entries.c.feed_id == feed_id, feed_entries.c.status == "done",
                       feed_entries.c.doc_id.is_not(None))
                .order_by(feed_entries.c.updated_at.desc(),
                          feed_entries.c.seq.desc().nulls_last())
                .limit(limit)
            ).all()  # fmt: skip
        return tuple(RecentEntry(doc_id, link, at) for doc_id, link, at in rows)

    def mark_entry(
        self,
        feed_id: str,
        key: str,
        link: str | None,
        status: EntryStatus,
        *,
        doc_id: str | None = None,
        failures: int = 0,
        reason: str | None = None,
    ) -> None:
        row = {"feed_id": feed_id, "key": key, "link": link, "status": status, "doc_id": doc_id,
               "failures": failures, "reason": reason, "updated_at": now_iso()}  # fmt: skip
        with self._db.write() as conn:
            # Not for a feed unfollowed while it was being polled; FOR SHARE (PostgreSQL) holds
            # the feed's row until this commits, so a concurrent `remove` waits for it.
            held = sa.select(feeds.c.id).where(feeds.c.id == feed_id).with_for_update(read=True)
            if conn.execute(held).first() is None:
                return
            row["seq"] = conn.execute(_NEXT_SEQ).scalar_one()
            statement = self._db.insert(feed_entries).values(**row)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["feed_id", "key"],
                    set_={k: v for k, v in row.items() if k not in ("feed_id", "key")},
                )
            )


def _feed(row: Any) -> Feed:
    (feed_id, url, title, interval, created, etag, modified, last_run, next_run, status, error,
     added, problems, briefing) = row  # fmt: skip
    return Feed(
        id=feed_id, url=url, title=title, interval=float(interval), created_at=created,
        next_run_at=next_run, etag=etag, last_modified=modified, last_run_at=last_run,
        last_status=status, last_error=error, last_added=tuple(json.loads(added)),
        last_problems=tuple(EntryProblem(**p) for p in json.loads(problems)),
        last_briefing_id=briefing,
    )  # fmt: skip
