"""Follow-up rewriting and the SQLite session store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.conversation import RetrievalQuery, SessionStore, rewrite_follow_up
from assistant.errors import UnknownSession
from assistant.language.words import content_terms, stem
from assistant.types import Turn

PREVIOUS = Turn(
    question="What tariff rate does Japan face?",
    answer="Japan currently faces 24% levies ... [1]",
    retrieval_query="What tariff rate does Japan face?",
)


# -- rewrite_follow_up --------------------------------------------------------------------------


def test_no_history_passes_through() -> None:
    assert rewrite_follow_up("What about cars?", []) == RetrievalQuery("What about cars?", [])


@pytest.mark.parametrize(
    "question",
    [
        "How did the STOXX 600 react to the Liberation Day tariffs?",
        "What did Ishiba say about countermeasures to tariffs?",
        "Which minister did Japan send to Washington for talks?",
    ],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    assert rewrite_follow_up(question, [PREVIOUS]) == RetrievalQuery(question, [])


@pytest.mark.parametrize(
    ("message", "own"),
    [("What about cars?", "cars?"), ("And for cars?", "for cars?"), ("how about cars", "cars")],
)
def test_thin_follow_ups_inherit_the_previous_query(message: str, own: str) -> None:
    rewritten = rewrite_follow_up(message, [PREVIOUS])
    assert rewritten.text == f"{PREVIOUS.retrieval_query} {own}"
    assert rewritten.focus == [stem("cars")] == content_terms(message)


def test_follow_up_uses_the_latest_turns_retrieval_query() -> None:
    older = Turn("Who is Kurt Tong?", "…", "Who is Kurt Tong?")
    latest = Turn("What about cars?", "…", "What tariff rate does Japan face? cars?")
    rewritten = rewrite_follow_up("And trucks?", [older, latest])
    assert rewritten.text == "What tariff rate does Japan face? cars? trucks?"
    assert rewritten.focus == [stem("trucks")]


def test_pronoun_follow_up_is_rewritten_with_its_terms_as_focus() -> None:
    message = "When does that pause end for them?"
    rewritten = rewrite_follow_up(message, [PREVIOUS])
    assert rewritten.text == f"{PREVIOUS.retrieval_query} {message}"
    assert rewritten.focus == content_terms(message)
    assert stem("pause") in rewritten.focus


# -- SessionStore -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    s = SessionStore(tmp_path / "sessions.sqlite3")
    yield s
    s.close()


def test_create_issues_distinct_well_formed_ids(store: SessionStore) -> None:
    ids = {store.create() for _ in range(20)}
    assert len(ids) == 20
    assert all(store.exists(i) and len(i) == 32 and i.isalnum() for i in ids)
    assert all(store.history(i) == [] for i in ids)


def test_append_and_history_round_trip(store: SessionStore) -> None:
    session = store.create()
    other = store.create()
    turns = [Turn(f"q{i}", f"a{i}", f"rq{i}") for i in range(3)]
    for turn in turns:
        store.append(session, turn)
    store.append(other, Turn("other", "x", "y"))
    assert store.history(session) == turns
    assert store.history(other) == [Turn("other", "x", "y")]
    assert store.history(session, limit=2) == turns[1:], "limit keeps the most recent, in order"


def test_sessions_persist_across_store_instances(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "sessions.sqlite3"
    first = SessionStore(path)
    session = first.create()
    first.append(session, Turn("Who is Kurt Tong?", "He is … [1]", "Who is Kurt Tong?"))
    first.close()

    second = SessionStore(path)
    try:
        assert second.exists(session)
        assert second.history(session) == [
            Turn("Who is Kurt Tong?", "He is … [1]", "Who is Kurt Tong?")
        ]
        second.append(session, Turn("And cars?", "…", "Who is Kurt Tong? cars?"))
        assert [t.question for t in second.history(session)] == ["Who is Kurt Tong?", "And cars?"]
    finally:
        second.close()


@pytest.mark.parametrize(
    "bad_id",
    ["", "../../etc/passwd", "a b", "x" * 65, "id;DROP TABLE sessions", "ünïcode", "0" * 32],
)
def test_malformed_or_unissued_ids_are_rejected(store: SessionStore, bad_id: str) -> None:
    store.create()
    assert not store.exists(bad_id)
    with pytest.raises(UnknownSession) as info:
        store.history(bad_id)
    assert len(str(info.value)) < 200, "the message never echoes an unbounded id"


def test_concurrent_appends_keep_every_turn(store: SessionStore) -> None:
    session = store.create()

    def worker(n: int) -> None:
        for i in range(10):
            store.append(session, Turn(f"{n}-{i}", "a", "q"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    history = store.history(session, limit=100)
    assert len(history) == 40
    assert len({t.question for t in history}) == 40
