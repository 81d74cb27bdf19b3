"""A small news site for feed tests: dated articles about one story, and RSS/Atom feeds that
list them; `STORIES` grow between polls like a real outlet's feed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape

from tests.fixture_site import FixtureSite, fixture_site


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    published: str  # YYYY-MM-DD
    paragraphs: tuple[str, ...]


STORIES = (
    Story("steel-tariff", "Velland raises steel tariff to 18%", "2026-11-16", (
        "Velland raised its tariff on imported steel to 18% on Monday, trade minister Oren Falk "
        "said in the capital.",
        "The previous rate of 11% had stood since 2019, according to the trade ministry.",
        "Falk said the measure would protect about 40,000 jobs in the country's mills.",
    )),
    Story("grain-exports", "Port of Marrow halts grain exports", "2026-11-17", (
        "The Port of Marrow suspended grain exports on Tuesday after a strike by 2,300 dock "
        "workers, the port authority said.",
        "Union leader Mira Sand said the strike would last until wages rise by 9%.",
    )),
    Story("ostrava-levy", "Ostrava answers with a 12% levy on Velland cars", "2026-11-19", (
        "Ostrava imposed a 12% levy on cars made in Velland on Thursday, in answer to the steel "
        "tariff, economy minister Anton Reyes said.",
        "The levy covers about 65,000 vehicles a year, worth 1.4 billion dollars.",
    )),
    Story("talks-date", "Velland and Ostrava agree to talks on December 2", "2026-11-20", (
        "Velland and Ostrava agreed on Friday to hold trade talks in Geneva on December 2, both "
        "governments said.",
        "Negotiators will discuss the 18% steel tariff and the 12% car levy, Oren Falk said.",
    )),
)  # fmt: skip


def article(story: Story) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(story.title)} | Trade Wire</title>"
        "<meta property='og:site_name' content='Trade Wire'>"
        f"<meta property='article:published_time' content='{story.published}T08:00:00Z'>"
        "</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(story.title)}</h1>{body}</article>"
        "<footer>© 2026 Trade Wire</footer></body></html>"
    )


def rss(site: FixtureSite, stories: tuple[Story, ...] | list[Story]) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{site.url('/news/' + s.slug)}</link>"
        f"<guid isPermaLink='false'>trade-wire-{s.slug}</guid>"
        f"<pubDate>{s.published}</pubDate></item>"
        for s in reversed(stories)  # newest first, as feeds list them
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Trade Wire</title><link>{site.url('/')}</link>"
        f"<description>Trade news</description>{items}</channel></rss>"
    )


def atom(site: FixtureSite, stories: tuple[Story, ...] | list[Story]) -> str:
    entries = "".join(
        f"<entry><title>{escape(s.title)}</title><id>urn:trade-wire:{s.slug}</id>"
        f"<link rel='alternate' href='/news/{s.slug}'/><updated>{s.published}T08:00:00Z</updated>"
        "</entry>"
        for s in reversed(stories)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Trade Wire (Atom)</title><id>urn:trade-wire</id>"
        f"<updated>2026-11-20T08:00:00Z</updated>{entries}</feed>"
    )


def publish(site: FixtureSite, stories: tuple[Story, ...] | list[Story]) -> None:
    """Serve each story's page under /news/<slug>."""
    for story in stories:
        site.page("/news/" + story.slug, article(story))


def trusting(site: FixtureSite) -> dict[str, object]:
    """Settings overrides that let the fetcher reach this one fixture server, and nothing else
    private (as tests/assistant/sources/test_fetcher.py does)."""
    port = site.server_address[1]
    return {
        "fetch_ports": (port,), "fetch_trusted_addresses": (f"127.0.0.1:{port}",),
        "fetch_host_interval": 0.0, "fetch_timeout": 5.0,
    }  # fmt: skip


@contextmanager
def trade_wire() -> Iterator[FixtureSite]:
    """The site with every story published and `/feed.xml` (RSS, ETag "v1") listing the first
    two, as an outlet's feed looks before its next stories come out."""
    with fixture_site() as site:
        publish(site, STORIES)
        site.route("/feed.xml", rss(site, STORIES[:2]), "application/rss+xml", etag='"v1"')
        yield site
