"""Followed RSS/Atom feeds: follow (first poll at once), list, inspect, unfollow.

`briefing serve` polls them in the background (`assistant.sources.poller`); after a poll that
added documents it saves a "what changed" briefing, named by the feed's `last_briefing_id`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response

from api.deps import FeedsDep, IntakeDep, json_only
from api.feed_schemas import FeedIn, FeedOut, feed_out
from assistant.sources.polling import follow

router = APIRouter(tags=["feeds"], dependencies=[Depends(json_only)])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.post(
    "/feeds",
    status_code=201,
    response_model=FeedOut,
    responses={
        200: {"model": FeedOut, "description": "Already followed: the feed as it is."},
        403: {**_PROBLEM, "description": "The URL is refused (internal address, port, robots)."},
        422: {**_PROBLEM, "description": "Not fetched, or not an RSS/Atom feed."},
    },
)
def follow_feed(body: FeedIn, response: Response, intake: IntakeDep, feeds: FeedsDep) -> FeedOut:
    """Follow a feed: it is polled at once (each new entry's page is added, as by
    `POST /documents {"urls"}`), then every `every` seconds by the server. The answer is the
    feed with the first poll's outcome in `run`. A feed that cannot be read is not followed."""
    followed = follow(body.url, intake, feeds, body.every)
    if not followed.created:
        response.status_code = 200
    return feed_out(followed.feed, followed.result)


@router.get("/feeds", response_model=list[FeedOut])
def list_feeds(feeds: FeedsDep) -> list[FeedOut]:
    """Followed feeds with their last run, in the order they were followed."""
    return [feed_out(feed) for feed in feeds.all()]


@router.get("/feeds/{feed_id}", response_model=FeedOut, responses={404: _PROBLEM})
def get_feed(feed_id: str, feeds: FeedsDep) -> FeedOut:
    """One feed: when it last ran, what it added, any error, its latest "what changed"
    briefing, when it runs next, and the latest entries it brought (`recent`)."""
    feed = feeds.get(feed_id)  # unknown id: NotFound → 404
    return feed_out(feed, recent=feeds.recent(feed.id))


@router.delete("/feeds/{feed_id}", response_model=FeedOut, responses={404: _PROBLEM})
def unfollow_feed(feed_id: str, feeds: FeedsDep) -> FeedOut:
    """Stop following a feed (the answer is the feed as it was). The documents it brought
    stay; remove them with DELETE /documents/{id}."""
    return feed_out(feeds.remove(feed_id))
