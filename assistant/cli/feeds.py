"""`briefing follow FEED_URL`, `briefing feeds`, `briefing unfollow ID`: news feeds in the terminal.

`follow` polls in the foreground (or `--once`); `briefing serve` polls every followed feed in the
background. Feed state lives in the database (`DATA_DIR/intake.sqlite3`, or the shared one
`BRIEFING_DATABASE_URL` names), so all three see the same feeds.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli import output as out
from assistant.errors import BriefingError

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.database.locking import WriterLock
    from assistant.sources.adding import Intake
    from assistant.sources.feeds import Feed, FeedStore, PollResult, RecentEntry

_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_STYLE = {"ok": "green", "not_modified": "dim", "partial": "yellow", "error": "red"}


def parse_every(text: str) -> float:
    """ "30s", "15m", "2h", "1d" (or plain seconds) → seconds, between 10 s and 7 days."""
    match = _EVERY.match(text)
    if not match:
        raise typer.BadParameter(f"{text!r}: use a number and a unit, like 30s, 15m, 2h or 1d")
    seconds = float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
    if not 10 <= seconds <= 7 * 86_400:
        raise typer.BadParameter(f"{text!r}: between 10s and 7d, please")
    return seconds


def show_every(seconds: float) -> str:
    """The inverse of `parse_every`, in the largest whole unit: 900 → "15m"."""
    for unit in ("d", "h", "m"):
        if seconds >= _UNITS[unit] and seconds % _UNITS[unit] == 0:
            return f"{seconds / _UNITS[unit]:g}{unit}"
    return f"{seconds:g}s"


def run_line(feed: Feed, result: PollResult) -> str:
    """One line per run: when, which feed, added / unchanged / errors, the briefing made."""
    name = feed.title or feed.url
    head = f"{result.ran_at[11:19]}  {name}: "
    if result.status == "error":
        return head + f"[red]error[/]: {result.error}"
    if result.status == "not_modified":
        return head + "[dim]unchanged (not modified since the last poll)[/]"
    errors = len(result.problems)
    later = result.pending - sum(not p.gave_up for p in result.problems)
    unchanged = result.entries - len(result.added) - errors - later
    line = f"added {len(result.added)}, unchanged {unchanged}, errors {errors}"
    if later:
        line += f", {later} left for the next poll"
    if result.briefing_id:
        line += f" · what changed: briefing {result.briefing_id}"
    for problem in result.problems:
        line += f"\n          [yellow]{problem.link}[/]: {problem.reason}"
    if result.error:
        line += f"\n          [yellow]{result.error}[/]"
    return head + line


def follow(
    url: Annotated[str, typer.Argument(help="The RSS or Atom feed's http(s) URL.",
                                       metavar="FEED_URL", show_default=False)],
    every: Annotated[str | None, typer.Option(
        "--every", help="Poll this often: 30s, 15m, 2h, 1d (default BRIEFING_FEED_INTERVAL, 15m)."
    )] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once, then exit.")] = False,
) -> None:  # fmt: skip
    """Follow a news feed (RSS or Atom). Each new entry's page is added like `briefing add`
    (origin: the feed); after a poll that added documents, a "what changed" briefing is saved
    (read it with `briefing feeds ID`). Polls at once, then every `--every` in the foreground,
    one line per run, until Ctrl-C; the feed stays followed, and `briefing serve` polls every
    followed feed in the background. Exits 1 when the feed cannot be read.

    Example: `briefing follow https://news.example/trade/rss.xml --every 30m`
    """
    from assistant.cli.common import load_settings, open_assistant
    from assistant.database.locking import WriterLock
    from assistant.database.opening import open_database
    from assistant.sources.adding import Intake
    from assistant.sources.feeds import FeedStore
    from assistant.sources.polling import follow as follow_feed
    from assistant.sources.polling import poll

    settings = load_settings()
    interval = parse_every(every) if every else None
    lock = WriterLock.for_settings(settings)
    if not _claim(lock, settings, url, interval):
        return
    store = FeedStore(open_database(settings, "intake"))
    intake = Intake(open_assistant(settings))
    try:
        followed = follow_feed(url, intake, store, interval)
        feed, result = followed.feed, followed.result
        if result is None:
            result = poll(feed, intake, store)
            feed = store.get(feed.id)
        verb = "Following" if followed.created else "Already following"
        every_text = show_every(feed.interval)
        out.errors.print(f"{verb} {feed.url} as feed [bold]{feed.id}[/] (every {every_text})")
        out.console.print(run_line(feed, result))
        if not once:
            _keep_polling(feed, intake, store, settings)
        elif result.status == "error":
            raise typer.Exit(1)
    except BriefingError as exc:
        out.errors.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        intake.close()
        intake.assistant.close()
        store.close()
        lock.release()


def _claim(lock: WriterLock, settings: Settings, url: str, interval: float | None) -> bool:
    """Take the writer lock; while a server owns the store, register the feed for it instead."""
    from assistant.database.locking import WriterBusy
    from assistant.database.opening import open_database
    from assistant.sources.feeds import FeedStore
    from assistant.sources.netguard import FetchPolicy, check_url

    try:
        lock.claim("briefing follow", url)
        return True
    except WriterBusy:
        owner = lock.owner()
        if owner is None or not owner.role.startswith("briefing serve"):
            raise
    check_url(url, FetchPolicy.from_settings(settings))  # refused now, not by the server later
    store = FeedStore(open_database(settings, "intake"))
    try:
        feed, _ = store.add(url, interval or settings.feed_interval)
        store.mark_due(feed.id)
    finally:
        store.close()
    out.errors.print(
        f"Following {feed.url} as feed [bold]{feed.id}[/]. The store belongs to "
        f"{owner.describe()}, which polls it within seconds: see `briefing feeds {feed.id}`."
    )
    return False


def _keep_polling(feed: Feed, intake: Intake, store: FeedStore, settings: Settings) -> None:
    """Poll `feed` each time it is due until Ctrl-C (or until it is unfollowed)."""
    from assistant.sources.poller import take_poller_lock
    from assistant.sources.polling import poll

    if take_poller_lock(settings, "briefing follow") is None:  # held until this process exits
        out.errors.print("Another poller (a `briefing serve`) polls followed feeds here: it "
                         "polls this one too.")  # fmt: skip
        return
    out.errors.print("[dim]Polling in the foreground; Ctrl-C stops (the feed stays followed).[/]")
    try:
        while True:
            due = datetime.fromisoformat(feed.next_run_at)
            time.sleep(max((due - datetime.now(UTC)).total_seconds(), 0.0))
            result = poll(store.get(feed.id), intake, store)  # NotFound once unfollowed
            feed = store.get(feed.id)
            out.console.print(run_line(feed, result))
    except KeyboardInterrupt:
        out.errors.print(f"Stopped. Still followed: `briefing unfollow {feed.id}` to stop.")


def feeds(
    feed_id: Annotated[str | None, typer.Argument(
        help="Show this feed and its latest \"what changed\" briefing.", metavar="ID",
        show_default=False,
    )] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:  # fmt: skip
    """List followed feeds with their last run; with an ID, that feed's details and its latest
    "what changed" briefing."""
    from assistant.cli.common import load_settings
    from assistant.database.opening import open_database
    from assistant.sources.feeds import FeedStore

    settings = load_settings()
    store = FeedStore(open_database(settings, "intake"))
    try:
        if feed_id is not None:
            feed = store.get(feed_id)
            _show(feed, settings, as_json, store.recent(feed.id))
            return
        listed = store.all()
    finally:
        store.close()
    if as_json:
        out.print_json([asdict(f) for f in listed])
        return
    if not listed:
        out.errors.print("No followed feeds. Follow one: briefing follow FEED_URL")
        return
    from rich.table import Table

    table = Table("id", "feed", "every", "last run", "status", "added", "next run")
    for f in listed:
        status = f.last_status or "not yet"
        table.add_row(f.id, f.title or f.url, show_every(f.interval), f.last_run_at or "—",
                      f"[{_STYLE.get(status, 'dim')}]{status}[/]", str(len(f.last_added)),
                      f.next_run_at)  # fmt: skip
    out.console.print(table)


def _show(
    feed: Feed, settings: Settings, as_json: bool, recent: tuple[RecentEntry, ...] = ()
) -> None:
    from assistant.briefs.history import BriefingStore
    from assistant.database.opening import open_database
    from assistant.serialize import briefing_to_markdown

    if as_json:
        out.print_json({**asdict(feed), "recent": [asdict(r) for r in recent]})
        return
    rows = [("id", feed.id), ("url", feed.url), ("title", feed.title or "—"),
            ("every", show_every(feed.interval)), ("last run", feed.last_run_at or "not yet"),
            ("status", feed.last_status or "—"), ("error", feed.last_error or "—"),
            ("added", ", ".join(feed.last_added) or "—"), ("next run", feed.next_run_at),
            ("briefing", feed.last_briefing_id or "—")]  # fmt: skip
    for label, value in rows:
        out.console.print(f"[bold]{label:>9}[/]  {value}", highlight=False)
    if recent:
        out.console.print(f"[bold]{'recent':>9}[/]  (latest entries brought in, newest first)")
        for entry in recent:
            out.console.print(f"           {entry.at}  {entry.doc_id}", highlight=False)
    if feed.last_briefing_id:
        briefings = BriefingStore(open_database(settings, "briefings"))
        try:
            text = briefing_to_markdown(briefings.get(feed.last_briefing_id))
        finally:
            briefings.close()
        out.console.print()
        out.print_markdown(text)


def unfollow(
    feed_id: Annotated[str, typer.Argument(help="The feed's id (or its URL).", metavar="ID")],
) -> None:
    """Stop following a feed. The documents it brought stay (`briefing documents`)."""
    from assistant.cli.common import load_settings
    from assistant.database.opening import open_database
    from assistant.sources.feeds import FeedStore

    store = FeedStore(open_database(load_settings(), "intake"))
    try:
        found = store.find(feed_id) if "://" in feed_id else None
        feed = store.remove(found.id if found else feed_id)
    except BriefingError as exc:
        out.errors.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        store.close()
    out.console.print(f"Unfollowed {feed.title or feed.url} ({feed.id}); its documents stay.")
