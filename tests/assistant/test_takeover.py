"""Journal takeover: a server process finishes the writes a dead writer left in the journal —
but only while nobody holds the writer lock (a live writer's journal is its own business)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.index.manifest import content_hash
from assistant.takeover import Takeover
from tests.conftest import SEED_DOC_ID
from tests.lock_holder import holding

EDIT = "\n\nLate addition: negotiators agreed to meet again in Tokyo on steel quotas."


@pytest.fixture
def assistant(fast_assistant: Assistant) -> Assistant:
    """The seed corpus ingested, hashing embedder, SQLite files and the embedded store."""
    return fast_assistant


def crash_mid_put(assistant: Assistant) -> str:
    """Journal an edit of the seed document as a writer does before its store writes, then
    stop, as that writer would when killed: the row stays, nothing is committed."""
    entry = assistant.manifest.get(SEED_DOC_ID)
    assert entry is not None
    edited = replace(entry.document, text=entry.document.text + EDIT)
    writer = assistant._ingestor.writer
    put = writer.plan(edited, content_hash(edited, writer.chunking_key), entry)
    assistant.manifest.begin_puts([put.planned])
    assert assistant.manifest.pending_count() == 1
    assert assistant.document(SEED_DOC_ID).text == entry.document.text, "not committed"
    return edited.text


@pytest.fixture
def held_elsewhere(settings: Settings) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the data directory's writer lock (a writer at work)."""
    with holding(str(settings.data_dir)) as child:
        yield child


def test_nothing_to_do_without_a_journal(assistant: Assistant) -> None:
    takeover = Takeover(assistant)
    assert takeover.check() == 0 and takeover.replayed == 0


def test_an_abandoned_journal_is_replayed(assistant: Assistant) -> None:
    text = crash_mid_put(assistant)
    takeover = Takeover(assistant)
    assert takeover.check() == 1
    assert takeover.replayed == 1
    assert assistant.manifest.pending_count() == 0
    assert assistant.document(SEED_DOC_ID).text == text, "the put was finished, not dropped"
    assert not assistant.writer_lock.held_here, "the lock went back"
    assert takeover.check() == 0, "once"


def test_a_journal_is_left_to_the_writer_holding_the_lock(
    assistant: Assistant, held_elsewhere: subprocess.Popen[str]
) -> None:
    text = crash_mid_put(assistant)
    takeover = Takeover(assistant)
    assert takeover.check() == 0
    assert assistant.manifest.pending_count() == 1, "the row is the writer's"
    held_elsewhere.kill()  # the writer dies: now the journal is abandoned
    held_elsewhere.wait()
    assert takeover.check() == 1
    assert assistant.manifest.pending_count() == 0
    assert assistant.document(SEED_DOC_ID).text == text


def test_the_thread_takes_over_in_the_background(assistant: Assistant) -> None:
    crash_mid_put(assistant)
    takeover = Takeover(assistant, interval=0.05)
    takeover.start()
    try:
        deadline = time.monotonic() + 10
        while assistant.manifest.pending_count() and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        takeover.stop()
    assert assistant.manifest.pending_count() == 0 and takeover.replayed == 1


def test_the_thread_survives_a_failing_check(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash_mid_put(assistant)
    calls = {"n": 0}
    original = assistant.manifest.pending_count

    def flaky() -> int:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise OSError("the database is away")
        return original()

    monkeypatch.setattr(assistant.manifest, "pending_count", flaky)
    takeover = Takeover(assistant, interval=0.05)
    takeover.start()
    try:
        deadline = time.monotonic() + 10
        while takeover.replayed == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        takeover.stop()
    assert calls["n"] >= 3 and takeover.replayed == 1
