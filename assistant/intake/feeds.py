"""Followed RSS/Atom feeds and what each run of them did (`DATA_DIR/intake.sqlite3`).

Two tables next to `origins`: `feeds` (one row per followed feed: its URL, validators for
conditional GETs, when it runs next and what its last run did) and `feed_entries` (the entries
each feed has brought, so an entry is fetched once: only an entry whose page was added, or that
was given up on, is never tried again). SQLite keeps it all across restarts and lets a
`briefing follow` in one terminal register a feed that a running server then polls.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from assistant.errors import NotFound
from assistant.intake.identity import normalise_url
from assistant.sqlite import open_db

RunStatus = Literal["ok", "not_modified", "partial", "error"]
EntryStatus = Literal["done", "failed", "gave_up"]

_FEEDS = (
    "CREATE TABLE IF NOT EXISTS feeds (id TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT,"
    " interval REAL NOT NULL, created_at TEXT NOT NULL, etag TEXT, last_modified TEXT,"
    " last_run_at TEXT, next_run_at TEXT NOT NULL, last_status TEXT, last_error TEXT,"
    " last_added TEXT NOT NULL DEFAULT '[]', last_problems TEXT NOT NULL DEFAULT '[]',"
    " last_briefing_id TEXT)"
)
_ENTRIES = (
    "CREATE TABLE IF NOT EXISTS feed_entries (feed_id TEXT NOT NULL, key TEXT NOT NULL,"
    " link TEXT, status TEXT NOT NULL, doc_id TEXT, failures INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (feed_id, key))"
)
_COLUMNS = (
    "id, url, title, interval, created_at, etag, last_modified, last_run_at, next_run_at, "
    "last_status, last_error, last_added, last_problems, last_briefing_id"
)


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
    """The feeds table and their seen entries; thread-safe, shared by processes via SQLite."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_db(path)
        self._db.execute(_FEEDS)
        self._db.execute(_ENTRIES)

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
        with self._lock:
            inserted = self._db.execute(
                "INSERT OR IGNORE INTO feeds (id, url, interval, created_at, next_run_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (feed_id, normal, interval, now_iso(created), first),
            ).rowcount
        return self.get(feed_id), bool(inserted)

    def get(self, feed_id: str) -> Feed:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM feeds WHERE id = ?", (feed_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no followed feed with id {feed_id[:40]!r}")
        return _feed(row)

    def find(self, url: str) -> Feed | None:
        try:
            return self.get(feed_id_for(url))
        except NotFound:
            return None

    def all(self) -> list[Feed]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM feeds ORDER BY created_at, id")
            return [_feed(row) for row in rows.fetchall()]

    def due(self, moment: datetime | None = None) -> list[Feed]:
        """Feeds whose next run is now or past, the longest-waiting first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM feeds WHERE next_run_at <= ? ORDER BY next_run_at, id",
                (now_iso(moment),),
            ).fetchall()
        return [_feed(row) for row in rows]

    def next_due(self) -> datetime | None:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_run_at) FROM feeds").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def set_interval(self, feed_id: str, interval: float) -> Feed:
        feed = self.get(feed_id)
        start = datetime.fromisoformat(feed.last_run_at or feed.created_at)
        with self._lock:
            self._db.execute(
                "UPDATE feeds SET interval = ?, next_run_at = ? WHERE id = ?",
                (interval, now_iso(start + timedelta(seconds=interval)), feed_id),
            )
        return self.get(feed_id)

    def mark_due(self, feed_id: str) -> None:
        """Poll this feed at the poller's next look (a feed followed again while served)."""
        with self._lock:
            self._db.execute("UPDATE feeds SET next_run_at = ? WHERE id = ?", (now_iso(), feed_id))

    def remove(self, feed_id: str) -> Feed:
        """Stop following; the documents it brought stay. NotFound for an unknown id."""
        feed = self.get(feed_id)
        with self._lock:
            self._db.execute("DELETE FROM feed_entries WHERE feed_id = ?", (feed_id,))
            self._db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
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
        with self._lock:
            self._db.execute(
                "UPDATE feeds SET title = COALESCE(?, title), etag = ?, last_modified = ?, "
                "last_run_at = ?, next_run_at = ?, last_status = ?, last_error = ?, "
                "last_added = ?, last_problems = ?, "
                "last_briefing_id = COALESCE(?, last_briefing_id) WHERE id = ?",
                (title, etag, modified, result.ran_at,
                 now_iso(ran + timedelta(seconds=feed.interval)), result.status, error,
                 json.dumps(list(result.added)), json.dumps(problems), result.briefing_id,
                 feed.id),
            )  # fmt: skip

    # -- entries --------------------------------------------------------------------------------
    def entries(self, feed_id: str) -> dict[str, tuple[EntryStatus, int]]:
        """key → (status, failures so far) of every entry this feed has brought."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, status, failures FROM feed_entries WHERE feed_id = ?", (feed_id,)
            ).fetchall()
        return {key: (status, failures) for key, status, failures in rows}

    def recent(self, feed_id: str, limit: int = 20) -> tuple[RecentEntry, ...]:
        """The latest entries this feed brought into the corpus, newest first: what a user
        checking the next morning wants, after later runs found nothing new (304s)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, link, updated_at FROM feed_entries WHERE feed_id = ? AND "
                "status = 'done' AND doc_id IS NOT NULL ORDER BY updated_at DESC, rowid DESC "
                "LIMIT ?",
                (feed_id, limit),
            ).fetchall()
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
        with self._lock:  # not for a feed unfollowed while it was being polled
            self._db.execute(
                "INSERT OR REPLACE INTO feed_entries SELECT ?, ?, ?, ?, ?, ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?)",
                (feed_id, key, link, status, doc_id, failures, reason, now_iso(), feed_id),
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
