"""`/feeds` over HTTP with a real fixture site: follow, list, inspect, unfollow, SSRF refusals,
and the background poller of a server under uvicorn."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from assistant.intake.identity import document_id_for_url
from assistant.sources.adding import Intake
from assistant.sources.feeds import FeedStore
from assistant.sources.polling import follow
from tests.conftest import make_settings
from tests.feed_fixtures import STORIES, rss, trade_wire, trusting
from tests.fixture_site import FixtureSite
from tests.servers import running

PROBLEM = "application/problem+json"
RSS = "application/rss+xml"


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with trade_wire() as s:
        yield s


@pytest.fixture
def assistant(tmp_path: Path, site: FixtureSite) -> Iterator[Assistant]:
    a = Assistant(make_settings(tmp_path, **trusting(site)))
    yield a
    a.close()


@pytest.fixture
def client(assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(assistant.settings, assistant)) as c:
        yield c


def doc_id(site: FixtureSite, slug: str) -> str:
    return document_id_for_url(site.url("/news/" + slug))


def test_follow_list_get_and_unfollow(client: TestClient, site: FixtureSite) -> None:
    created = client.post("/feeds", json={"url": site.url("/feed.xml"), "every": 600})
    assert created.status_code == 201, created.text
    feed = created.json()
    first = [doc_id(site, "steel-tariff"), doc_id(site, "grain-exports")]
    assert feed["run"]["status"] == "ok" and sorted(feed["run"]["added"]) == sorted(first)
    assert (feed["title"], feed["interval"], feed["last_status"]) == ("Trade Wire", 600, "ok")
    assert sorted(feed["last_added"]) == sorted(first) and feed["last_error"] is None
    assert feed["last_briefing_id"] == feed["run"]["briefing_id"]
    assert client.get(f"/briefing/{feed['last_briefing_id']}").status_code == 200

    again = client.post("/feeds", json={"url": site.url("/feed.xml")})
    assert again.status_code == 200 and again.json()["id"] == feed["id"]
    assert again.json()["run"] is None and site.hits("/feed.xml") == 1

    listed = client.get("/feeds").json()
    assert [f["id"] for f in listed] == [feed["id"]]
    shown = client.get(f"/feeds/{feed['id']}").json()
    assert set(shown) >= {"url", "title", "interval", "last_run_at", "last_status", "last_error",
                          "last_added", "last_briefing_id", "next_run_at"}  # fmt: skip
    assert shown["next_run_at"] > shown["last_run_at"]

    origins = {d["id"]: d["origin"] for d in client.get("/documents").json()}
    assert origins[first[0]] == {**origins[first[0]], "kind": "feed", "detail": feed["id"]}
    removed = client.delete(f"/feeds/{feed['id']}")
    assert removed.status_code == 200 and removed.json()["id"] == feed["id"]
    assert client.get("/feeds").json() == []
    assert client.get(f"/documents/{first[0]}").status_code == 200  # the documents stay


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_unknown_feed_is_a_404_problem(client: TestClient, method: str) -> None:
    response = client.request(method, "/feeds/0123456789ab")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "no followed feed" in response.json()["detail"]


def test_bad_feed_urls_are_problems(client: TestClient, site: FixtureSite) -> None:
    site.page("/page", "<html><body><p>Just a page.</p></body></html>")
    page = client.post("/feeds", json={"url": site.url("/page")})
    assert page.status_code == 422 and page.headers["content-type"] == PROBLEM
    assert "web page, not an RSS or Atom feed" in page.json()["detail"]
    for body in ({"url": site.url("/x"), "every": 1}, {"url": ""}, {}):
        response = client.post("/feeds", json=body)
        assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    local = client.post("/feeds", json={"url": "file:///etc/passwd"})
    assert local.status_code == 403 and "only http and https" in local.json()["detail"]
    assert client.get("/feeds").json() == []


@pytest.mark.parametrize(
    ("allow_port", "why"),
    [(False, "port"), (True, "Briefing does not fetch from internal networks")],
)
def test_ssrf_feed_urls_are_refused_with_403(
    tmp_path: Path, site: FixtureSite, allow_port: bool, why: str
) -> None:
    """Default settings: the fixture server on 127.0.0.1 is refused (its port, and with the
    port allowed, its loopback address), and never asked for the feed."""
    port = site.server_address[1]
    settings = make_settings(tmp_path, **({"fetch_ports": (port,)} if allow_port else {}))
    assistant = Assistant(settings)
    try:
        with TestClient(create_app(settings, assistant)) as client:
            response = client.post("/feeds", json={"url": f"http://127.0.0.1:{port}/feed.xml"})
            assert response.status_code == 403, response.text
            assert response.headers["content-type"] == PROBLEM
            assert response.json()["title"] == "Fetch refused" and why in response.json()["detail"]
            assert client.get("/feeds").json() == []
    finally:
        assistant.close()
    assert site.hits("/feed.xml") == 0


@pytest.mark.integration
def test_a_served_app_polls_due_feeds_in_the_background(
    assistant: Assistant, site: FixtureSite
) -> None:
    intake, store = Intake(assistant), FeedStore(assistant.settings.intake_path)
    try:
        followed = follow(site.url("/feed.xml"), intake, store)  # e.g. by an earlier server
        site.route("/feed.xml", rss(site, STORIES[:3]), RSS, etag='"v2"')
        store.mark_due(followed.feed.id)  # as if its interval had passed
    finally:
        intake.close()
        store.close()
    new = doc_id(site, "ostrava-levy")
    with running(create_app(assistant.settings, assistant)) as url:
        deadline = time.monotonic() + 30
        while (feed := httpx.get(f"{url}/feeds/{followed.feed.id}").json())["last_added"] != [new]:
            assert time.monotonic() < deadline, feed
            time.sleep(0.1)
        briefing = httpx.get(f"{url}/briefing/{feed['last_briefing_id']}").json()
        assert briefing["changes"]["since_id"] == followed.feed.last_briefing_id
        assert briefing["changes"]["documents_added"] == [new]
        assert httpx.get(f"{url}/documents/{new}").status_code == 200
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 5  # the poller does not hold up shutdown


def test_recent_entries_outlive_runs_that_find_nothing_new(
    client: TestClient, assistant: Assistant, site: FixtureSite
) -> None:
    """The next morning the last run is usually a 304 that added nothing: `recent` still says
    what the feed brought in, newest first."""
    from assistant.sources.polling import poll

    feed = client.post("/feeds", json={"url": site.url("/feed.xml")}).json()
    site.route("/feed.xml", rss(site, STORIES[:3]), RSS, etag='"v2"')
    store = FeedStore(assistant.settings.intake_path)
    intake = Intake(assistant)
    try:
        assert poll(store.get(feed["id"]), intake, store).added == (doc_id(site, "ostrava-levy"),)
        assert poll(store.get(feed["id"]), intake, store).status == "not_modified"
    finally:
        intake.close()
        store.close()
    shown = client.get(f"/feeds/{feed['id']}").json()
    assert shown["last_status"] == "not_modified" and shown["last_added"] == []
    recent = [entry["id"] for entry in shown["recent"]]
    assert sorted(recent) == sorted(doc_id(site, s.slug) for s in STORIES[:3])
    assert recent[0] == doc_id(site, "ostrava-levy")
    assert all(f.get("recent") is None for f in client.get("/feeds").json())
