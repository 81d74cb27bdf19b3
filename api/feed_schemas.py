"""Request/response models for followed feeds (`/feeds`), converted from `assistant.sources.feeds`
at the edge."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.sources.feeds import EntryProblem, Feed, PollResult, RecentEntry

RunStatusOut = Literal["ok", "not_modified", "partial", "error"]


class FeedIn(BaseModel):
    """A feed to follow."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        ...,
        min_length=1,
        max_length=2000,
        description="The RSS or Atom feed's http(s) URL. Other schemes, ports outside the "
        "allow-list and internal addresses are refused (403, SSRF) unless the server allows them.",
        examples=["https://news.example/trade/rss.xml"],
    )
    every: float | None = Field(
        None,
        ge=10,
        le=7 * 86_400,
        description="Seconds between polls (default: the server's BRIEFING_FEED_INTERVAL).",
    )


class EntryProblemOut(BaseModel):
    link: str = Field(..., description="The entry's link (its title or id when it has none).")
    reason: str
    gave_up: bool = Field(..., description="True: the entry will not be tried again.")


class PollOut(BaseModel):
    """What one poll did."""

    status: RunStatusOut = Field(
        ...,
        description="ok; not_modified (the site answered 304); partial (some entries failed, or "
        "the feed is not well-formed); error (the feed could not be read: see `error`).",
    )
    ran_at: str
    entries: int = Field(..., description="Entries in the feed as read.")
    added: list[str] = Field(..., description="Ids of the documents added or updated.")
    unchanged: list[str] = Field(..., description="New entries already in the corpus.")
    pending: int = Field(..., description="New entries left for the next poll.")
    problems: list[EntryProblemOut]
    error: str | None = None
    briefing_id: str | None = Field(
        None, description='The "what changed" briefing saved after this run (GET /briefing/{id}).'
    )


class RecentEntryOut(BaseModel):
    id: str = Field(..., description="The document's id.")
    link: str | None = None
    at: str = Field(..., description="When the poll that brought it ran.")


class FeedOut(BaseModel):
    id: str
    url: str
    title: str | None = Field(None, description="As the feed names itself (once read).")
    interval: float = Field(..., description="Seconds between polls.")
    created_at: str
    last_run_at: str | None = None
    next_run_at: str = Field(..., description="When `briefing serve` polls it next.")
    last_status: RunStatusOut | None = None
    last_error: str | None = Field(
        None, description="Why the last run failed, or which of its entries did and why."
    )
    last_added: list[str] = Field(..., description="Documents the last run added or updated.")
    last_problems: list[EntryProblemOut]
    last_briefing_id: str | None = Field(
        None, description='The feed\'s latest "what changed" briefing (GET /briefing/{id}).'
    )
    run: PollOut | None = Field(
        None, description="Only in the answer to POST /feeds: what the first poll did."
    )
    recent: list[RecentEntryOut] | None = Field(
        None,
        description="Only in GET /feeds/{id}: the latest 20 entries the feed brought into the "
        "corpus, newest first (later runs that found nothing new leave `last_added` empty).",
    )


def _problems(problems: tuple[EntryProblem, ...]) -> list[EntryProblemOut]:
    return [EntryProblemOut(link=p.link, reason=p.reason, gave_up=p.gave_up) for p in problems]


def feed_out(
    feed: Feed, run: PollResult | None = None, recent: tuple[RecentEntry, ...] | None = None
) -> FeedOut:
    return FeedOut(
        id=feed.id, url=feed.url, title=feed.title, interval=feed.interval,
        created_at=feed.created_at, last_run_at=feed.last_run_at, next_run_at=feed.next_run_at,
        last_status=feed.last_status, last_error=feed.last_error,
        last_added=list(feed.last_added), last_problems=_problems(feed.last_problems),
        last_briefing_id=feed.last_briefing_id, run=None if run is None else PollOut(
            status=run.status, ran_at=run.ran_at, entries=run.entries, added=list(run.added),
            unchanged=list(run.unchanged), pending=run.pending, problems=_problems(run.problems),
            error=run.error, briefing_id=run.briefing_id,
        ),
        recent=None if recent is None else [
            RecentEntryOut(id=r.doc_id, link=r.link, at=r.at) for r in recent
        ],
    )  # fmt: skip
