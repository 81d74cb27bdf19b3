"""`briefing follow --once`, `briefing feeds` and `briefing unfollow` against a fixture site
(driven in-process with Typer's CliRunner; hashing embeddings, temp dirs)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from click.testing import Result

from assistant.cli.feeds import parse_every, show_every
from assistant.intake.identity import document_id_for_url
from assistant.sources.feeds import FeedStore
from tests.assistant.cli.test_commands import Run, dirs, run, squash  # noqa: F401  (fixtures)
from tests.conftest import ROOT
from tests.feed_fixtures import STORIES, rss, trade_wire
from tests.fixture_site import FixtureSite

RSS = "application/rss+xml"
HOLD_AS_SERVER = (
    "import sys; from pathlib import Path; from assistant.database.locking import WriterLock; "
    "WriterLock(Path(sys.argv[1])).claim('briefing serve', 'http://127.0.0.1:8000'); "
    "print('holding', flush=True); sys.stdin.read()"
)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch, dirs: tuple[Path, Path]) -> Iterator[FixtureSite]:  # noqa: F811
    """The fixture outlet, and the CLI's settings trusting only its address and port."""
    with trade_wire() as s:
        port = s.server_address[1]
        monkeypatch.setenv("BRIEFING_FETCH_PORTS", str(port))
        monkeypatch.setenv("BRIEFING_FETCH_TRUSTED_ADDRESSES", f"127.0.0.1:{port}")
        monkeypatch.setenv("BRIEFING_FETCH_HOST_INTERVAL", "0")
        yield s


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_follow_once_then_list_show_and_unfollow(run: Run, site: FixtureSite) -> None:  # noqa: F811
    first = ok(run("follow", site.url("/feed.xml"), "--once", "--every", "30m"))
    assert "Following http://127.0.0.1" in first.output and "(every 30m)" in first.output
    assert "Trade Wire: added 2, unchanged 0, errors 0 · what changed: briefing" in first.output
    feed_id = first.output.split("as feed ")[1].split()[0]

    site.route("/feed.xml", rss(site, STORIES[:3]), RSS, etag='"v2"')
    second = ok(run("follow", site.url("/feed.xml"), "--once"))
    assert "Already following" in second.output
    assert "added 1, unchanged 2, errors 0" in second.output
    third = ok(run("follow", site.url("/feed.xml"), "--once"))
    assert "unchanged (not modified since the last poll)" in third.output

    listed = ok(run("feeds"))
    assert feed_id in listed.output and "Trade Wire" in listed.output and "30m" in listed.output
    shown = ok(run("feeds", feed_id))
    new = document_id_for_url(site.url("/news/ostrava-levy"))
    assert "What changed since" in shown.output and f"Documentsadded:{new}" in squash(shown.output)

    gone = ok(run("unfollow", feed_id))
    assert "Unfollowed Trade Wire" in gone.output and "documents stay" in gone.output
    assert "No followed feeds" in ok(run("feeds")).output
    assert new in ok(run("documents")).output


def test_a_feed_that_cannot_be_read_is_not_followed(run: Run, site: FixtureSite) -> None:  # noqa: F811
    site.page("/page", "<html><body><p>Not a feed.</p></body></html>")
    result = run("follow", site.url("/page"), "--once")
    assert result.exit_code == 1 and "webpage,notanRSSorAtomfeed" in squash(result.output)
    refused = run("follow", f"http://10.1.2.3:{site.server_address[1]}/feed.xml", "--once")
    assert refused.exit_code == 1 and "internal networks" in refused.output
    assert "No followed feeds" in ok(run("feeds")).output
    assert run("unfollow", "0123456789ab").exit_code == 1


def test_every_accepts_units() -> None:
    assert [parse_every(t) for t in ("30s", "15m", "2h", "1d", "90")] == [
        30, 900, 7200, 86400, 90,
    ]  # fmt: skip
    assert [show_every(s) for s in (30, 900, 7200, 86400, 90)] == ["30s", "15m", "2h", "1d", "90s"]
    for bad in ("soon", "5s", "8d", "-1m"):
        with pytest.raises(typer.BadParameter):
            parse_every(bad)


@pytest.mark.integration
def test_while_a_server_owns_the_store_follow_hands_the_feed_to_it(
    run: Run,  # noqa: F811
    site: FixtureSite,
    tmp_path: Path,
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AS_SERVER, str(tmp_path / "data")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        result = ok(run("follow", site.url("/feed.xml")))
        assert "briefingserve(pid" in squash(result.output)
        assert "pollsitwithinseconds" in squash(result.output)
    finally:
        holder.terminate()
        holder.wait(timeout=10)
    store = FeedStore(tmp_path / "data" / "intake.sqlite3")
    try:
        (feed,) = store.all()
        assert store.due() == [feed] and feed.last_run_at is None  # the server's poller takes it
    finally:
        store.close()
    assert site.hits("/feed.xml") == 0
