"""Followed feeds against a real fixture site on 127.0.0.1: polls, conditional GETs, entry
retries, malformed feeds, "what changed" briefings, persistence and the background poller."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import DocumentError, FetchRefused
from assistant.intake.identity import document_id_for_url
from assistant.sources import polling
from assistant.sources.adding import Intake
from assistant.sources.feeds import FeedStore
from assistant.sources.fetcher import Fetcher
from assistant.sources.poller import Poller
from assistant.sources.polling import feed_like, follow, parse_feed, poll
from assistant.types import Briefing
from tests.conftest import make_settings
from tests.feed_fixtures import STORIES, Story, atom, publish, rss, trusting
from tests.fixture_site import FixtureSite, fixture_site

RSS = "application/rss+xml"


@dataclass
class Env:
    site: FixtureSite
    settings: Settings
    assistant: Assistant
    intake: Intake
    store: FeedStore

    def reopen(self) -> None:
        """A new assistant, intake and store on the same data dir (a restart)."""
        self.close()
        self.assistant = Assistant(self.settings)
        self.intake, self.store = Intake(self.assistant), FeedStore(self.settings.intake_path)

    def close(self) -> None:
        self.store.close()
        self.intake.close()
        self.assistant.close()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with fixture_site() as site:
        publish(site, STORIES)
        settings = make_settings(tmp_path, **trusting(site))
        assistant = Assistant(settings)
        e = Env(site, settings, assistant, Intake(assistant), FeedStore(settings.intake_path))
        yield e
        e.close()


def doc_ids(env: Env, slugs: list[str]) -> list[str]:
    """The document ids the fixture stories get when added (from their URLs)."""
    return [document_id_for_url(env.site.url("/news/" + slug)) for slug in slugs]


def cited_docs(briefing: Briefing, section: str, key: str) -> set[str]:
    item = next(i for s in briefing.sections if s.key == section for i in s.items if i.key == key)
    return {c.doc_id for c in item.citations}


def test_a_feed_polled_twice_adds_only_new_entries_and_briefs_what_changed(env: Env) -> None:
    env.site.route("/feed.xml", rss(env.site, STORIES[:2]), RSS, etag='"v1"')
    first = follow(env.site.url("/feed.xml"), env.intake, env.store)
    assert first.created and first.result is not None
    old = doc_ids(env, ["steel-tariff", "grain-exports"])
    assert first.result.status == "ok" and sorted(first.result.added) == sorted(old)
    assert first.feed.title == "Trade Wire" and first.feed.last_added == first.result.added
    baseline = env.assistant.saved_briefing(first.feed.last_briefing_id or "")
    assert baseline.changes is None  # the first run's briefing is the baseline
    assert env.intake.origins.get(old[0]).kind == "feed"  # type: ignore[union-attr]

    env.reopen()  # state survives a restart: validators, seen entries, the last briefing
    env.site.route("/feed.xml", rss(env.site, STORIES), RSS, etag='"v2"')
    result = poll(env.store.get(first.feed.id), env.intake, env.store)
    new = doc_ids(env, ["ostrava-levy", "talks-date"])
    assert result.status == "ok" and sorted(result.added) == sorted(new)
    assert (result.entries, result.pending, result.problems) == (4, 0, ())
    assert env.site.hits("/news/steel-tariff") == 1  # seen entries are not fetched again
    feed_requests = [r for r in env.site.requests if r.path == "/feed.xml"]
    assert feed_requests[-1].headers.get("If-None-Match") == '"v1"'

    changed = env.assistant.saved_briefing(result.briefing_id or "")
    assert env.store.get(first.feed.id).last_briefing_id == changed.id
    changes = changed.changes
    assert changes is not None and changes.since_id == baseline.id
    assert changes.documents_added == tuple(sorted(new))  # exactly the new entries
    assert changes.documents_changed == changes.documents_removed == ()
    assert changes.new and not changes.no_longer_supported
    for item in changes.new:  # every new bullet rests on a new entry
        assert cited_docs(changed, item.section, item.key) & set(new), item


def test_atom_entries_with_relative_links(env: Env) -> None:
    env.site.route("/atom", atom(env.site, STORIES[:1]), "application/atom+xml")
    first = follow(env.site.url("/atom"), env.intake, env.store)
    assert first.result is not None and first.result.added == tuple(doc_ids(env, ["steel-tariff"]))
    env.site.route("/atom", atom(env.site, STORIES[:3]), "application/atom+xml")
    result = poll(first.feed, env.intake, env.store)
    assert sorted(result.added) == sorted(doc_ids(env, ["grain-exports", "ostrava-levy"]))
    assert env.store.get(first.feed.id).title == "Trade Wire (Atom)"


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_an_unchanged_feed_is_one_304(env: Env, validator: str) -> None:
    value = '"v1"' if validator == "etag" else "Wed, 02 Dec 2026 08:00:00 GMT"
    env.site.route("/feed.xml", rss(env.site, STORIES[:2]), RSS, **{validator: value})
    first = follow(env.site.url("/feed.xml"), env.intake, env.store)
    pages = len(env.site.requests)
    result = poll(first.feed, env.intake, env.store)
    assert (result.status, result.added, result.briefing_id) == ("not_modified", (), None)
    header = "If-None-Match" if validator == "etag" else "If-Modified-Since"
    assert env.site.requests[-1].headers.get(header) == value
    assert len(env.site.requests) == pages + 1  # the feed only: no entry fetched again
    feed = env.store.get(first.feed.id)
    assert (
        feed.last_status == "not_modified" and feed.last_briefing_id == first.feed.last_briefing_id
    )


def test_a_malformed_feed_is_recorded_and_nothing_is_lost(env: Env) -> None:
    env.site.route("/feed.xml", rss(env.site, STORIES[:1]), RSS)
    feed = follow(env.site.url("/feed.xml"), env.intake, env.store).feed
    env.site.route("/feed.xml", "Service temporarily unavailable", "text/plain")
    result = poll(feed, env.intake, env.store)
    assert result.status == "error" and "not an RSS or Atom feed" in (result.error or "")
    env.site.route("/feed.xml", "<rss><channel><item><title>Oops", RSS)
    result = poll(feed, env.intake, env.store)
    assert result.status == "error" and "not well-formed XML (line 2: no element found)" in (
        result.error or ""
    )
    kept = env.store.get(feed.id)
    assert kept.last_status == "error" and kept.last_error == result.error
    assert kept.last_briefing_id == feed.last_briefing_id  # the feed and its history stay

    # Torn off mid-entry: what can be read is read, and the run says the feed is broken.
    whole = rss(env.site, STORIES[:2])
    env.site.route("/feed.xml", whole[: whole.index("</item>") + 40], RSS)
    torn = poll(feed, env.intake, env.store)
    assert torn.status == "partial" and "not well-formed" in (torn.error or "")
    assert torn.added == tuple(doc_ids(env, ["grain-exports"]))
    assert env.site.hits("/news/steel-tariff") == 1  # seen before the breakage: not refetched


def test_a_failing_entry_is_retried_then_given_up(env: Env) -> None:
    missing = Story("missing", "Gone", "2026-11-21", ("x",))
    env.site.route("/feed.xml", rss(env.site, [STORIES[0], missing]), RSS, etag='"v1"')
    feed = follow(env.site.url("/feed.xml"), env.intake, env.store).feed
    assert feed.last_status == "partial" and "/news/missing" in (feed.last_error or "")
    assert [p.gave_up for p in feed.last_problems] == [False]
    for attempt in (2, 3):  # the etag is not kept while an entry waits: the feed is re-read
        result = poll(feed, env.intake, env.store)
        assert env.site.hits("/news/missing") == attempt
    assert [p.gave_up for p in result.problems] == [True] and result.pending == 0
    assert poll(feed, env.intake, env.store).status == "not_modified"  # now the etag is kept
    assert env.site.hits("/news/missing") == 3


def test_an_entry_that_fails_once_is_added_on_the_next_poll(env: Env) -> None:
    late = Story("late", "Late story", "2026-11-21", ("It came late, by 3 days.",))
    env.site.route("/feed.xml", rss(env.site, [late]), RSS)
    feed = follow(env.site.url("/feed.xml"), env.intake, env.store).feed
    assert feed.last_added == () and feed.last_briefing_id is None  # nothing added: no briefing
    publish(env.site, [late])
    result = poll(feed, env.intake, env.store)
    assert result.status == "ok" and len(result.added) == 1 and result.briefing_id


def test_an_entry_pointing_into_a_private_network_is_given_up_at_once(env: Env) -> None:
    feed_xml = rss(env.site, STORIES[:1]).replace(
        env.site.url("/news/steel-tariff"), f"http://10.0.0.7:{env.site.server_address[1]}/admin"
    )
    env.site.route("/feed.xml", feed_xml, RSS)
    result = follow(env.site.url("/feed.xml"), env.intake, env.store).result
    assert result is not None and result.status == "partial"
    assert result.problems[0].gave_up and "internal networks" in result.problems[0].reason


def test_a_long_feed_is_taken_in_batches(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "MAX_NEW_PER_POLL", 2)
    env.site.route("/feed.xml", rss(env.site, STORIES), RSS, etag='"v1"')
    first = follow(env.site.url("/feed.xml"), env.intake, env.store)
    assert first.result is not None and first.result.pending == 2
    assert sorted(first.result.added) == sorted(doc_ids(env, ["ostrava-levy", "talks-date"]))
    rest = poll(first.feed, env.intake, env.store)  # same etag, but entries were left: re-read
    assert sorted(rest.added) == sorted(doc_ids(env, ["steel-tariff", "grain-exports"]))
    assert poll(first.feed, env.intake, env.store).status == "not_modified"


def test_following_fails_cleanly_for_refused_or_unreadable_urls(env: Env, tmp_path: Path) -> None:
    env.site.page("/page", "<html><body><p>Not a feed.</p></body></html>")
    with pytest.raises(DocumentError, match="is a web page, not an RSS or Atom feed"):
        follow(env.site.url("/page"), env.intake, env.store)
    # The default policy (no private addresses, usual ports) refuses the fixture server.
    strict = Intake(env.assistant, fetcher=Fetcher(make_settings(tmp_path / "strict")))
    with pytest.raises(FetchRefused, match="port"):
        follow(env.site.url("/feed.xml"), strict, env.store)
    strict.close()
    assert env.site.hits("/feed.xml") == 0
    assert env.store.all() == []  # neither is followed


def test_following_a_followed_url_returns_it(env: Env) -> None:
    env.site.route("/feed.xml", rss(env.site, STORIES[:1]), RSS)
    first = follow(env.site.url("/feed.xml"), env.intake, env.store)
    again = follow(env.site.url("/feed.xml#x"), env.intake, env.store, interval=60)
    assert (again.created, again.result, again.feed.id) == (False, None, first.feed.id)
    assert again.feed.interval == 60 and env.site.hits("/feed.xml") == 1


def test_feed_types_and_bodies() -> None:
    assert feed_like("application/rss+xml", b"") and feed_like("application/feed+xml", b"")
    assert feed_like("text/plain", b"<?xml version='1.0'?><rss>") and feed_like("", b"")
    assert not feed_like("image/png", b"<?xml") and not feed_like("application/pdf", b"")
    with pytest.raises(DocumentError, match=r"is not an RSS or Atom feed \(text/plain"):
        parse_feed(b"/etc/hostname", "http://x.example/feed", "text/plain")  # not opened
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b'<rss version="2.0"><channel><title>T &x;</title><item><title>A &x;</title>'
        b"<link>http://x.example/a</link></item></channel></rss>"
    )
    parsed = parse_feed(xxe, "http://x.example/feed", RSS)  # external entities stay unread
    assert (parsed.title, parsed.entries[0].title) == ("T", "A")


def test_the_poller_polls_due_feeds_and_only_one_per_data_dir(env: Env) -> None:
    env.site.route("/feed.xml", rss(env.site, STORIES[:1]), RSS)
    feed = follow(env.site.url("/feed.xml"), env.intake, env.store).feed
    env.site.route("/feed.xml", rss(env.site, STORIES[:2]), RSS)
    env.store.mark_due(feed.id)
    first = Poller(env.intake, env.store, tick=0.05)
    second = Poller(env.intake, env.store, tick=0.05)
    try:
        first.start()
        deadline = time.monotonic() + 20
        while env.store.get(feed.id).last_added != tuple(doc_ids(env, ["grain-exports"])):
            assert time.monotonic() < deadline, env.store.get(feed.id)
            time.sleep(0.05)
        assert env.assistant.manifest.get(doc_ids(env, ["grain-exports"])[0]) is not None
        second.start()
        time.sleep(0.2)
        assert first.active and not second.active
        started = time.monotonic()
        first.stop()
        assert time.monotonic() - started < 2  # stops promptly
        deadline = time.monotonic() + 10
        while not second.active:  # the stand-by takes over
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        first.stop()
        second.stop()


class SharedLock:
    """A one-holder lock pollers share, as hosts share a database's advisory lock; `cut()` is
    the holder's connection ending (the holder is not told) and another host taking the lock
    at once."""

    key, where = "poller", "the test's feeds"

    def __init__(self) -> None:
        self.holder: object | None = None

    def try_lock(self) -> object | None:
        if self.holder is not None:
            return None
        self.holder = object()
        return self.holder

    def still_held(self, handle: object) -> bool:
        return handle is self.holder

    def unlock(self, handle: object) -> None:
        if handle is self.holder:
            self.holder = None

    def cut(self) -> object:
        self.holder = object()
        return self.holder

    def record(self, handle: object, owner: object) -> None:
        pass

    def held_elsewhere(self) -> bool:
        return self.holder is not None

    def read_owner(self) -> None:
        return None


def test_a_poller_that_lost_its_lock_to_another_stands_by(env: Env) -> None:
    lock = SharedLock()
    first = Poller(env.intake, env.store, tick=0.05, lock=lock)
    second = Poller(env.intake, env.store, tick=0.05, lock=lock)
    try:
        first.start()
        wait_for(lambda: first.active)
        second.start()
        time.sleep(0.2)
        assert first.active and not second.active
        other_host = lock.cut()
        wait_for(lambda: not first.active)  # noticed at its next tick
        assert not second.active
        lock.unlock(other_host)  # that host exits: one stand-by takes over
        wait_for(lambda: first.active or second.active)
        time.sleep(0.2)
        assert first.active != second.active, "never two pollers at once"
    finally:
        first.stop()
        second.stop()


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)
