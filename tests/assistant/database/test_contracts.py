"""The stores' promises, kept the same by both back ends: a SQLite file per group (one process's
state, as without `BRIEFING_DATABASE_URL`) and a shared PostgreSQL database (every worker on
every host). Each test runs once against each.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.answering.conversation import SessionStore
from assistant.briefs.history import BriefingStore
from assistant.database import migrate
from assistant.database.engine import Database
from assistant.database.opening import open_sqlite
from assistant.database.schema import Group, turns
from assistant.errors import NotFound, UnknownSession
from assistant.index.manifest import Manifest, PlannedPut
from assistant.sources.feeds import EntryProblem, FeedStore, PollResult, feed_id_for, now_iso
from assistant.sources.origins import Origin, OriginStore
from assistant.types import (
    Briefing,
    BriefingItem,
    BriefingSection,
    Citation,
    Document,
    SourceRef,
    Turn,
)

Connect = Callable[[Group], Database]


@pytest.fixture(params=["sqlite", "postgresql"])
def connect(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Connect]:
    """Opens the test's database for a group; every call is another connection to the same
    state (another worker's, with PostgreSQL another engine)."""
    opened: list[Database] = []
    url: str | None = None
    if request.param == "postgresql":
        url = str(request.getfixturevalue("pg_url"))
        first = Database(sa.create_engine(url))
        migrate.upgrade(first)
        opened.append(first)

    def connect(group: Group) -> Database:
        if url is None:
            db = open_sqlite(tmp_path / f"{group}.sqlite3", group)
        else:
            db = Database(sa.create_engine(url))
        opened.append(db)
        return db

    yield connect
    for db in opened:
        db.engine.dispose()


@pytest.fixture
def database(connect: Connect) -> Database:
    """The `intake` group's database (any group would do for PostgreSQL)."""
    return connect("intake")


# -- SessionStore -------------------------------------------------------------------------------


@pytest.fixture
def sessions(connect: Connect) -> SessionStore:
    return SessionStore(connect("sessions"))


def test_sessions_are_created_and_known(sessions: SessionStore) -> None:
    ids = {sessions.create() for _ in range(5)}
    assert len(ids) == 5 and all(sessions.exists(i) and len(i) == 32 for i in ids)
    assert all(sessions.history(i) == [] for i in ids)
    assert not sessions.exists("0" * 32), "well formed, never issued"
    assert not sessions.exists("../etc") and not sessions.exists("x" * 65)


def test_history_is_in_order_and_limited_to_the_latest(sessions: SessionStore) -> None:
    one, other = sessions.create(), sessions.create()
    said = [Turn(f"q{i}", f"a{i}", f"rq{i}") for i in range(4)]
    for turn in said:
        sessions.append(one, turn)
    sessions.append(other, Turn("elsewhere", "x", "y"))
    assert sessions.history(one) == said
    assert sessions.history(one, limit=2) == said[2:], "the most recent, oldest first"
    assert sessions.history(other) == [Turn("elsewhere", "x", "y")]


def test_appends_are_numbered_per_session(connect: Connect) -> None:
    db = connect("sessions")
    store = SessionStore(db)
    one, other = store.create(), store.create()
    for i in range(3):
        store.append(one, Turn(f"q{i}", "a", "rq"))
    store.append(other, Turn("q", "a", "rq"))
    with db.read() as conn:
        rows = conn.execute(
            sa.select(turns.c.session_id, turns.c.n).order_by(turns.c.session_id, turns.c.n)
        ).all()
    assert sorted((s, n) for s, n in rows) == sorted([(one, 1), (one, 2), (one, 3), (other, 1)])


def test_concurrent_appends_to_one_session_all_land(connect: Connect) -> None:
    # two workers (two connections) appending to the same session at once
    workers = [SessionStore(connect("sessions")) for _ in range(2)]
    session = workers[0].create()
    errors: list[BaseException] = []

    def run(store: SessionStore, name: str) -> None:
        try:
            for i in range(15):
                store.append(session, Turn(f"{name}{i}", "a", "rq"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w, f"w{k}-")) for k, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = workers[1].history(session, limit=100)
    assert len(history) == 30
    for name in ("w0-", "w1-"):  # each worker's own turns keep their order
        mine = [t.question for t in history if t.question.startswith(name)]
        assert mine == [f"{name}{i}" for i in range(15)]


def test_an_unknown_session_has_no_history(sessions: SessionStore) -> None:
    with pytest.raises(UnknownSession):
        sessions.history("0" * 32)
    with pytest.raises(UnknownSession):
        sessions.history("not a session id")


def test_sessions_are_shared_between_workers(connect: Connect) -> None:
    one, other = SessionStore(connect("sessions")), SessionStore(connect("sessions"))
    session = one.create()
    one.append(session, Turn("q", "a", "rq"))
    assert other.exists(session) and other.history(session) == [Turn("q", "a", "rq")]


# -- BriefingStore ------------------------------------------------------------------------------


@pytest.fixture
def briefings(connect: Connect) -> BriefingStore:
    return BriefingStore(connect("briefings"))


def briefing(briefing_id: str, topic: str | None, at: str, headline: str = "Headline") -> Briefing:
    citation = Citation(1, "doc", "Title", "Duties rose 2%.", 0, 15, 0.9)
    item = BriefingItem("Duties rose 2%. [1]", (citation,), key="figure:duties")
    return Briefing(
        headline, topic, (BriefingSection("summary", "Situation", (item,)),),
        (SourceRef("doc", "Title", "Wire", None, None),), generated_at=at, id=briefing_id,
        corpus_state=(("doc", "hash-1"),),
    )  # fmt: skip


def test_a_saved_briefing_comes_back(briefings: BriefingStore) -> None:
    saved = briefing("abc123", "cars", "2025-01-01T10:00:00+00:00")
    briefings.save(saved)
    assert briefings.get("abc123") == saved


def test_latest_is_per_topic_including_the_whole_corpus(briefings: BriefingStore) -> None:
    briefings.save(briefing("aaa111", None, "2025-01-01T10:00:00+00:00", "corpus old"))
    briefings.save(briefing("bbb222", "cars", "2025-01-02T10:00:00+00:00", "cars"))
    briefings.save(briefing("ccc333", None, "2025-01-03T10:00:00+00:00", "corpus new"))
    briefings.save(briefing("ddd444", "steel", "2025-01-04T10:00:00+00:00", "steel"))
    assert briefings.latest(None).id == "ccc333"
    assert briefings.latest("cars").id == "bbb222"
    assert briefings.latest("steel").id == "ddd444"


def test_a_same_second_tie_goes_to_the_later_save(briefings: BriefingStore) -> None:
    at = "2025-01-01T10:00:00+00:00"
    for briefing_id in ("fff000", "aaa000", "ccc000"):  # neither id order nor insertion by id
        briefings.save(briefing(briefing_id, "cars", at))
    assert briefings.latest("cars").id == "ccc000"
    briefings.save(briefing("aaa000", "cars", at, "saved again"))
    latest = briefings.latest("cars")
    assert latest.id == "aaa000" and latest.headline == "saved again"


def test_unknown_briefings_are_not_found(briefings: BriefingStore) -> None:
    with pytest.raises(NotFound):
        briefings.get("abcdef")
    with pytest.raises(NotFound):
        briefings.get("not-an-id")
    with pytest.raises(NotFound):
        briefings.latest(None)
    briefings.save(briefing("abc123", "cars", "2025-01-01T10:00:00+00:00"))
    with pytest.raises(NotFound):
        briefings.latest(None)  # a topic's briefing is not the whole corpus's
    with pytest.raises(NotFound):
        briefings.latest("steel")


# -- FeedStore ----------------------------------------------------------------------------------

URL = "https://news.example/trade/rss.xml"
OTHER = "https://wire.example/feed.atom"


@pytest.fixture
def feeds(database: Database) -> FeedStore:
    return FeedStore(database)


def test_adding_a_feed_twice_keeps_the_first(feeds: FeedStore) -> None:
    feed, created = feeds.add(URL, 600)
    again, created_again = feeds.add(URL, 60)
    assert created and not created_again
    assert again == feed and again.interval == 600 and feed.id == feed_id_for(URL)
    assert feed.title is None and feed.last_added == () and feed.last_problems == ()


def test_feeds_are_found_listed_and_removed(feeds: FeedStore) -> None:
    first, _ = feeds.add(URL, 600)
    second, _ = feeds.add(OTHER, 600)
    assert feeds.get(first.id) == first and feeds.find(URL) == first
    assert feeds.find("https://nowhere.example/rss") is None
    assert {f.id for f in feeds.all()} == {first.id, second.id}
    assert feeds.remove(first.id) == first
    assert [f.id for f in feeds.all()] == [second.id]
    with pytest.raises(NotFound):
        feeds.get(first.id)
    with pytest.raises(NotFound):
        feeds.remove(first.id)


def test_due_next_due_interval_and_mark_due(feeds: FeedStore) -> None:
    assert feeds.next_due() is None and feeds.due() == []
    soon, _ = feeds.add(URL, 60)
    later, _ = feeds.add(OTHER, 3600)
    assert feeds.next_due() == datetime.fromisoformat(soon.next_run_at)
    assert feeds.due() == []
    in_two_hours = datetime.now(UTC) + timedelta(hours=2)
    assert [f.id for f in feeds.due(in_two_hours)] == [soon.id, later.id]  # longest waiting first
    changed = feeds.set_interval(later.id, 30)
    start = datetime.fromisoformat(later.created_at)
    assert changed.interval == 30 and changed.next_run_at == now_iso(start + timedelta(seconds=30))
    feeds.mark_due(soon.id)
    assert [f.id for f in feeds.due()] == [soon.id]


def test_a_run_is_recorded(feeds: FeedStore) -> None:
    feed, _ = feeds.add(URL, 600)
    ran = "2025-01-01T10:00:00+00:00"
    problem = EntryProblem("https://news.example/a", "404", gave_up=True)
    result = PollResult(feed.id, "partial", ran, entries=3, added=("doc-1",),
                        problems=(problem,), briefing_id="abc123")  # fmt: skip
    feeds.record_run(feed, result, title="Trade news", validators=('"etag"', "yesterday"))
    after = feeds.get(feed.id)
    assert after.title == "Trade news" and after.last_status == "partial"
    assert after.etag == '"etag"' and after.last_modified == "yesterday"
    assert after.last_run_at == ran and after.next_run_at == "2025-01-01T10:10:00+00:00"
    assert after.last_added == ("doc-1",) and after.last_problems == (problem,)
    assert after.last_error == "https://news.example/a: 404"
    assert after.last_briefing_id == "abc123"
    # a later run without a title, validators or briefing keeps what the feed had
    feeds.record_run(after, PollResult(feed.id, "error", ran, error="timed out"))
    kept = feeds.get(feed.id)
    assert kept.title == "Trade news" and kept.last_briefing_id == "abc123"
    assert kept.etag == '"etag"' and kept.last_status == "error"
    assert kept.last_error == "timed out" and kept.last_added == () and kept.last_problems == ()


def test_entries_are_marked_and_listed(feeds: FeedStore) -> None:
    feed, _ = feeds.add(URL, 600)
    other, _ = feeds.add(OTHER, 600)
    feeds.mark_entry(feed.id, "k1", "https://news.example/1", "failed", failures=1, reason="x")
    feeds.mark_entry(feed.id, "k2", "https://news.example/2", "done", doc_id="d2")
    feeds.mark_entry(other.id, "k9", None, "gave_up", failures=3)
    assert feeds.entries(feed.id) == {"k1": ("failed", 1), "k2": ("done", 0)}
    feeds.mark_entry(feed.id, "k1", "https://news.example/1", "done", doc_id="d1")
    assert feeds.entries(feed.id) == {"k1": ("done", 0), "k2": ("done", 0)}
    assert feeds.entries(other.id) == {"k9": ("gave_up", 3)}


def test_recent_is_newest_first_a_same_second_tie_to_the_later_write(feeds: FeedStore) -> None:
    feed, _ = feeds.add(URL, 600)
    for key in ("c", "a", "b"):  # one poll: the same second, most likely
        feeds.mark_entry(feed.id, key, f"https://news.example/{key}", "done", doc_id=f"doc-{key}")
    feeds.mark_entry(feed.id, "f", "https://news.example/f", "failed", failures=1)
    feeds.mark_entry(feed.id, "g", "https://news.example/g", "gave_up")
    recent = feeds.recent(feed.id)
    assert [r.doc_id for r in recent] == ["doc-b", "doc-a", "doc-c"]
    assert recent[0].link == "https://news.example/b"
    assert [r.doc_id for r in feeds.recent(feed.id, limit=2)] == ["doc-b", "doc-a"]
    feeds.mark_entry(feed.id, "c", "https://news.example/c", "done", doc_id="doc-c")  # again
    assert feeds.recent(feed.id)[0].doc_id == "doc-c"


def test_marking_an_entry_of_a_removed_feed_writes_nothing(feeds: FeedStore) -> None:
    feed, _ = feeds.add(URL, 600)
    feeds.mark_entry(feed.id, "k1", None, "done", doc_id="d1")
    feeds.remove(feed.id)
    assert feeds.entries(feed.id) == {}
    feeds.mark_entry(feed.id, "k2", None, "done", doc_id="d2")  # a poll still running
    assert feeds.entries(feed.id) == {} and feeds.recent(feed.id) == ()
    again, created = feeds.add(URL, 600)
    assert created and feeds.entries(again.id) == {}


def test_feeds_are_shared_between_workers(connect: Connect) -> None:
    one, other = FeedStore(connect("intake")), FeedStore(connect("intake"))
    feed, _ = one.add(URL, 600)
    assert other.get(feed.id) == feed
    assert not other.add(URL, 60)[1]
    other.mark_entry(feed.id, "k", None, "done", doc_id="d")
    assert one.entries(feed.id) == {"k": ("done", 0)}


# -- OriginStore --------------------------------------------------------------------------------


def test_origins_are_recorded_replaced_and_forgotten(database: Database) -> None:
    origins = OriginStore(database)
    assert origins.get("a") is None and origins.all() == {}
    origins.record("a", Origin("feed", "feed-1", "2025-01-01T10:00:00+00:00"))
    origins.record("b", Origin("upload", "b.pdf"))
    assert origins.get("a") == Origin("feed", "feed-1", "2025-01-01T10:00:00+00:00")
    stamped = origins.get("b")
    assert stamped is not None and stamped.kind == "upload" and stamped.added_at
    origins.record("a", Origin("url", "https://news.example/a", "2025-01-02T10:00:00+00:00"))
    assert origins.all() == {
        "a": Origin("url", "https://news.example/a", "2025-01-02T10:00:00+00:00"),
        "b": stamped,
    }
    origins.forget("a")
    origins.forget("never-there")
    assert origins.get("a") is None and set(origins.all()) == {"b"}


def test_feeds_and_origins_share_their_group(connect: Connect) -> None:
    feeds, origins = FeedStore(connect("intake")), OriginStore(connect("intake"))
    feed, _ = feeds.add(URL, 600)
    origins.record("d", Origin("feed", feed.id))
    assert feeds.get(feed.id) == feed and origins.get("d") == Origin(
        "feed", feed.id, origins.all()["d"].added_at
    )


# -- Manifest -----------------------------------------------------------------------------------


def planned(doc_id: str, text: str = "Some text.", chunks: int = 1) -> PlannedPut:
    document = Document(id=doc_id, title=doc_id.title(), text=text, source="Wire")
    return PlannedPut(document, f"hash-{text}", tuple(f"{doc_id}:{i}" for i in range(chunks)))


def test_the_journal_round_trip(connect: Connect) -> None:
    manifest = Manifest(connect("manifest"))
    first = planned("a", chunks=2)
    assert manifest.begin_puts([first]) == {"a": ()}
    (op,) = manifest.pending()
    assert (op.doc_id, op.op, op.phase) == ("a", "put", "writing")
    assert op.document == first.document and op.chunk_ids == ("a:0", "a:1")
    assert manifest.get("a") is None, "journaled, not committed"
    manifest.commit_puts([first])
    assert manifest.pending()[0].phase == "cleanup" and manifest.pending_count() == 1
    manifest.finish(["a"])
    assert manifest.pending() == [] and manifest.pending_count() == 0
    entry = manifest.get("a")
    assert entry is not None and entry.document == first.document
    assert entry.content_hash == first.content_hash and entry.chunk_ids == ("a:0", "a:1")

    smaller = planned("a", "Edited.", chunks=1)
    assert manifest.begin_puts([smaller]) == {"a": ("a:1",)}, "what the new version drops"
    manifest.commit_puts([smaller])
    manifest.finish(["a"])
    assert [e.document.text for e in manifest.entries()] == ["Edited."]
    assert [(i.id, i.chunk_count) for i in manifest.infos()] == [("a", 1)]

    assert manifest.begin_delete("a") == ("a:0",)
    (gone,) = manifest.pending()
    assert (gone.op, gone.phase, gone.document, gone.stale_ids) == ("delete", "cleanup", None,
                                                                   ("a:0",))  # fmt: skip
    assert manifest.get("a") is None and manifest.entries() == []
    manifest.finish(["a"])
    assert manifest.pending() == []


def test_two_workers_see_each_others_commits(connect: Connect) -> None:
    one, other = Manifest(connect("manifest")), Manifest(connect("manifest"))
    assert other.entries() == []
    seen = other.generation
    put = planned("a")
    one.begin_puts([put])
    assert other.get("a") is None and other.generation == seen, "the journal is not a commit"
    assert [p.doc_id for p in other.pending()] == ["a"], "the journal is shared"
    one.commit_puts([put])
    one.finish(["a"])
    entry = other.get("a")
    assert entry is not None and entry.document == put.document
    assert other.generation != seen
    seen = other.generation
    edited = planned("a", "Edited text.")
    one.begin_puts([edited])
    one.commit_puts([edited])
    one.finish(["a"])
    assert [e.document.text for e in other.entries()] == ["Edited text."]
    assert other.generation != seen
    seen = other.generation
    other.begin_delete("a")
    other.finish(["a"])
    assert one.get("a") is None and one.entries() == [] and other.generation != seen


def test_a_worker_behind_reads_only_what_changed(connect: Connect) -> None:
    """Catching up reads the documents written and removed since the worker's generation, never
    every document's text again; removed-then-added, and added-then-removed, come out right."""
    one, other = Manifest(connect("manifest")), Manifest(connect("manifest"))
    for doc_id in ("a", "b", "c"):
        one.begin_puts([planned(doc_id)])
        one.commit_puts([planned(doc_id)])
    assert {e.document.id for e in other.entries()} == {"a", "b", "c"}  # the first, full load
    statements: list[str] = []
    sa.event.listen(other.database.engine, "before_cursor_execute",
                    lambda *args: statements.append(str(args[2])))  # fmt: skip
    one.begin_delete("a")
    one.commit_puts([planned("a", "Back again.")])  # removed, then added again
    one.commit_puts([planned("d")])
    one.begin_delete("d")  # added, then removed
    one.commit_puts([planned("b", "Edited.")])
    texts = {e.document.id: e.document.text for e in other.entries()}
    assert texts == {"a": "Back again.", "b": "Edited.", "c": "Some text."}
    reads = [s for s in statements if "FROM documents" in s]
    assert reads and all("changed_in >" in s for s in reads), reads
