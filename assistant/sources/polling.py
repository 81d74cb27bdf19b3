"""One poll of a followed feed: conditional GET, new entries added as pages, "what changed".

* The feed comes through the intake's fetcher (SSRF policy, robots.txt, per-host pace) with the
  ETag/Last-Modified of the last complete run, so an unchanged feed costs one 304.
* `feedparser` reads it from bytes (never a URL or a path: it would fetch or open those itself).
  A body that is no feed is an error recorded on the feed; a feed that is not well-formed but
  still yields entries is read as far as it goes and the run says so.
* An entry is known by its id (guid), else its link. A new entry's link is added as `briefing
  add` would (origin feed:<id>); it counts as seen only once its page is in, so a failed one is
  tried again next poll, and given up on after `MAX_FAILURES` (at once when the fetch policy
  refuses it: a feed pointing into a private network gets no second chance).
* After a run that added documents, a whole-corpus briefing is built and saved with "what
  changed" against the feed's own previous briefing (the first run makes the baseline).
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax import SAXParseException

import feedparser

from assistant.errors import BriefingError, DocumentError, NotFound
from assistant.sources.adding import AddResult
from assistant.sources.feeds import (
    EntryProblem,
    Feed,
    FeedStore,
    PollResult,
    RunStatus,
    now_iso,
)
from assistant.sources.netguard import check_url
from assistant.sources.origins import Origin

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.sources.adding import Intake

log = logging.getLogger(__name__)

MAX_NEW_PER_POLL = 20  # a first poll of a long feed takes the newest; later polls the rest
MAX_FAILURES = 3
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml", "application/x-rss+xml"}  # fmt: skip
_GENERIC = {"text/plain", "text/html", "application/octet-stream", "binary/octet-stream", ""}

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class FeedEntry:
    key: str  # id/guid, else the link
    link: str | None
    title: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]  # in the feed's order (usually newest first)
    problem: str | None = None  # not well-formed XML, though entries could be read


@dataclass(frozen=True)
class Followed:
    feed: Feed
    created: bool
    result: PollResult | None  # the first poll's outcome; None for a feed already followed


def feed_like(media_type: str, head: bytes) -> bool:
    """A feed's type, or a generic one (text/plain, octet-stream, none: feeds are often served
    so; the parser decides). Web pages too, so the error can say the URL is a page, not a feed.
    Anything else (images, PDFs…) is refused before its body is read."""
    return media_type in _FEED_TYPES or media_type.endswith("+xml") or media_type in _GENERIC


def parse_feed(body: bytes, url: str, media_type: str) -> ParsedFeed:
    """The feed's title and entries; DocumentError when the body is no RSS/Atom feed."""
    parsed: Any = feedparser.parse(
        io.BytesIO(body),  # a file object: feedparser reads it and fetches nothing
        response_headers={"content-location": url, "content-type": media_type or "text/xml"},
    )
    problem = _xml_error(parsed.get("bozo_exception"))
    if not parsed.get("version"):
        if media_type in ("text/html", "application/xhtml+xml"):
            raise DocumentError(f"{url} is a web page, not an RSS or Atom feed")
        why = "; ".join(filter(None, (media_type or "no content type", problem)))
        raise DocumentError(f"{url} is not an RSS or Atom feed ({why})")
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip() or None
        key = (entry.get("id") or "").strip()[:1000] or link
        if key:  # an entry with neither (the torn end of a truncated feed) cannot be tracked
            entries.append(FeedEntry(key, link, (entry.get("title") or "").strip() or None))
    if problem and not entries:
        raise DocumentError(f"{url}: the feed is not well-formed XML ({problem})")
    if problem:
        problem = f"the feed is not well-formed XML ({problem}); read {len(entries)} entries"
    title = (parsed.feed.get("title") or "").strip()[:300] or None
    return ParsedFeed(title, tuple(entries), problem)


def _xml_error(exc: object) -> str | None:
    if isinstance(exc, SAXParseException):
        return f"line {exc.getLineNumber()}: {exc.getMessage()}"
    return None


def _feed_lock(feed_id: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(feed_id, threading.Lock())


def poll(
    feed: Feed, intake: Intake, store: FeedStore, *, stop: Callable[[], bool] | None = None
) -> PollResult:
    """Poll `feed` once. Never raises for the feed's or an entry's trouble: every outcome is
    recorded on the feed and returned. `stop()` true ends the run between entries."""
    with _feed_lock(feed.id):
        feed = store.get(feed.id)  # fresh: another thread may have just polled it
        try:
            return _poll(feed, intake, store, stop or (lambda: False))
        except BriefingError as exc:
            result = PollResult(feed.id, "error", now_iso(), error=str(exc))
            store.record_run(feed, result)
            return result


def follow(url: str, intake: Intake, store: FeedStore, interval: float | None = None) -> Followed:
    """Follow a feed and poll it at once. A URL already followed is returned as it is (with
    `interval` applied). When the first poll cannot read the feed (refused, unreachable, not a
    feed), the error is raised and the feed is not kept."""
    check_url(url, intake.fetcher.policy)  # a form never fetched (scheme, port…) is refused now
    feed, created = store.add(url, interval or intake.settings.feed_interval)
    if not created:
        if interval and interval != feed.interval:
            feed = store.set_interval(feed.id, interval)
        return Followed(feed, False, None)
    with _feed_lock(feed.id):
        try:
            result = _poll(feed, intake, store, lambda: False)
        except BriefingError:
            store.remove(feed.id)
            raise
    return Followed(store.get(feed.id), True, result)


def _poll(feed: Feed, intake: Intake, store: FeedStore, stop: Callable[[], bool]) -> PollResult:
    ran_at = now_iso()
    fetched = intake.fetcher.get(
        feed.url, accept=feed_like, etag=feed.etag, last_modified=feed.last_modified
    )
    if fetched.not_modified:
        result = PollResult(feed.id, "not_modified", ran_at)
        store.record_run(feed, result)
        return result
    parsed = parse_feed(fetched.body, fetched.final_url, fetched.media_type)
    known = store.entries(feed.id)
    new = [e for e in parsed.entries if known.get(e.key, ("failed", 0))[0] == "failed"]
    added: list[str] = []
    unchanged: list[str] = []
    problems: list[EntryProblem] = []
    retry = tried = 0
    for entry in reversed(new[:MAX_NEW_PER_POLL]):  # oldest first
        if stop():
            break
        tried += 1
        failures = known.get(entry.key, ("failed", 0))[1] + 1
        if entry.link is None:
            store.mark_entry(feed.id, entry.key, None, "gave_up", reason="no link")
            problems.append(EntryProblem(entry.title or entry.key, "the entry has no link", True))
            continue
        outcome = _add(intake, entry.link, feed.id)
        if outcome.ok and outcome.doc_id:
            store.mark_entry(feed.id, entry.key, entry.link, "done", doc_id=outcome.doc_id)
            (unchanged if outcome.status == "unchanged" else added).append(outcome.doc_id)
            continue
        gave_up = outcome.status == "refused" or failures >= MAX_FAILURES
        reason = outcome.reason or outcome.status
        store.mark_entry(feed.id, entry.key, entry.link, "gave_up" if gave_up else "failed",
                         failures=failures, reason=reason)  # fmt: skip
        retry += not gave_up
        problems.append(EntryProblem(entry.link, reason, gave_up))
    pending = retry + len(new) - tried
    error = parsed.problem
    briefing_id = None
    if added and not stop():
        try:
            briefing_id = _brief(intake.assistant, feed.last_briefing_id)
        except BriefingError as exc:
            log.warning("feed briefing failed", extra={"feed": feed.id, "error": str(exc)})
            error = f"the what-changed briefing could not be built: {exc}"
    status: RunStatus = "partial" if problems or error else "ok"
    result = PollResult(feed.id, status, ran_at, len(parsed.entries), tuple(added),
                        tuple(unchanged), pending, tuple(problems), error, briefing_id)  # fmt: skip
    # Validators only after a complete run: one that left entries behind must see them again.
    complete = pending == 0 and parsed.problem is None
    validators = (fetched.etag, fetched.last_modified) if complete else None
    store.record_run(feed, result, title=parsed.title, validators=validators)
    return result


def _add(intake: Intake, link: str, feed_id: str) -> AddResult:
    """`add_url`, with an unexpected failure on one page kept to that entry."""
    try:
        return intake.add_url(link, origin=Origin("feed", feed_id))
    except BriefingError:
        raise  # the store or a provider failed: the whole run stops and says why
    except Exception as exc:  # a parser bug on one odd page must not stall the feed
        log.exception("adding a feed entry failed", extra={"feed": feed_id, "url": link})
        return AddResult(link, "failed", reason=f"internal error ({type(exc).__name__})")


def _brief(assistant: Assistant, previous: str | None) -> str:
    """A saved briefing with what changed since `previous` (none: a baseline); its id."""
    if previous:
        try:
            return assistant.brief(None, since=previous).id
        except NotFound:  # the earlier briefing is gone: start again from a baseline
            pass
    return assistant.brief(None).id
