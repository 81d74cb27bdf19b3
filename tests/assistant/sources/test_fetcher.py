"""The fetcher against a real HTTP server on 127.0.0.1 (trusted by address and port only)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import FetchFailed, FetchRefused
from assistant.sources.fetcher import USER_AGENT, Fetcher
from tests.conftest import make_settings
from tests.fixture_site import FixtureSite, fixture_site

HTML = "<html><head><title>T</title></head><body><p>Hello.</p></body></html>"


def html_only(media_type: str, head: bytes) -> bool:
    return media_type == "text/html"


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with fixture_site() as s:
        yield s


def trusting(tmp_path: Path, site: FixtureSite, **overrides: object) -> Settings:
    """Settings that let the fetcher reach this one fixture server, and nothing else private."""
    port = site.server_address[1]
    values: dict[str, object] = {
        "fetch_ports": (port,), "fetch_trusted_addresses": (f"127.0.0.1:{port}",),
        "fetch_host_interval": 0.0, "fetch_timeout": 2.0,
    }  # fmt: skip
    values.update(overrides)
    return make_settings(tmp_path, **values)


def test_a_page_is_fetched_with_an_honest_user_agent(tmp_path: Path, site: FixtureSite) -> None:
    site.page("/a", HTML)
    with Fetcher(trusting(tmp_path, site)) as fetcher:
        got = fetcher.get(site.url("/a"), accept=html_only)
    assert (got.status, got.media_type, got.charset) == (200, "text/html", "utf-8")
    assert got.body == HTML.encode()
    page_request = next(r for r in site.requests if r.path == "/a")
    assert page_request.headers["User-Agent"] == USER_AGENT
    assert site.hits("/robots.txt") == 1  # asked before the page


def test_redirects_are_followed_and_limited(tmp_path: Path, site: FixtureSite) -> None:
    site.page("/final", HTML)
    site.redirect("/r1", "/r2", 301)
    site.redirect("/r2", site.url("/final"), 307)
    with Fetcher(trusting(tmp_path, site)) as fetcher:
        assert fetcher.get(site.url("/r1")).final_url == site.url("/final")
    site.redirect("/loop", "/loop")
    with (
        Fetcher(trusting(tmp_path, site, fetch_max_redirects=3)) as fetcher,
        pytest.raises(FetchFailed, match="more than 3 redirects"),
    ):
        fetcher.get(site.url("/loop"))


def test_huge_responses_are_refused_or_cut_off(tmp_path: Path, site: FixtureSite) -> None:
    site.route("/declared", content_type="text/html", stream_bytes=50_000_000)
    site.route("/undeclared", content_type="text/html", stream_bytes=50_000_000,
               declare_length=False)  # fmt: skip
    with Fetcher(trusting(tmp_path, site, fetch_max_bytes=1_000_000)) as fetcher:
        with pytest.raises(FetchFailed, match="50,000,000 bytes is over"):
            fetcher.get(site.url("/declared"))
        started = time.monotonic()
        with pytest.raises(FetchFailed, match="more than 1,000,000 bytes"):
            fetcher.get(site.url("/undeclared"))
    assert time.monotonic() - started < 10  # it stopped reading; it did not take 50 MB


def test_a_slow_site_times_out(tmp_path: Path, site: FixtureSite) -> None:
    site.page("/slow", HTML, delay=3.0)
    with (
        Fetcher(trusting(tmp_path, site, fetch_timeout=0.5)) as fetcher,
        pytest.raises(FetchFailed, match=r"no answer within 0\.5 s"),
    ):
        fetcher.get(site.url("/slow"))


def test_a_wrong_content_type_is_refused_before_the_body(tmp_path: Path, site: FixtureSite) -> None:
    site.route("/img", b"\x89PNG\r\n" + b"0" * 2000, "image/png")
    with (
        Fetcher(trusting(tmp_path, site)) as fetcher,
        pytest.raises(FetchFailed, match="image/png is not a type Briefing reads"),
    ):
        fetcher.get(site.url("/img"), accept=html_only)


def test_http_errors_say_what_the_site_answered(tmp_path: Path, site: FixtureSite) -> None:
    with Fetcher(trusting(tmp_path, site)) as fetcher, pytest.raises(FetchFailed, match="HTTP 404"):
        fetcher.get(site.url("/missing"))


def test_conditional_get(tmp_path: Path, site: FixtureSite) -> None:
    site.route("/feed", "<rss/>", "application/rss+xml", etag='"v1"',
               last_modified="Wed, 02 Dec 2026 08:00:00 GMT")  # fmt: skip
    with Fetcher(trusting(tmp_path, site)) as fetcher:
        first = fetcher.get(site.url("/feed"))
        again = fetcher.get(site.url("/feed"), etag=first.etag)
        by_date = fetcher.get(site.url("/feed"), last_modified=first.last_modified)
    assert (first.status, first.etag) == (200, '"v1"')
    assert again.not_modified and by_date.not_modified and again.body == b""


def test_robots_txt_is_obeyed(tmp_path: Path, site: FixtureSite) -> None:
    site.route("/robots.txt", "User-agent: Briefing\nDisallow: /private/\n", "text/plain")
    site.page("/private/a", HTML)
    site.page("/public/a", HTML)
    with Fetcher(trusting(tmp_path, site)) as fetcher:
        assert fetcher.get(site.url("/public/a")).status == 200
        with pytest.raises(FetchRefused, match=r"robots\.txt"):
            fetcher.get(site.url("/private/a"))
    assert site.hits("/private/a") == 0
    with Fetcher(trusting(tmp_path, site, fetch_robots=False)) as fetcher:
        assert fetcher.get(site.url("/private/a")).status == 200


def test_a_failing_robots_txt_closes_the_site(tmp_path: Path, site: FixtureSite) -> None:
    site.route("/robots.txt", "oops", "text/plain", status=503)
    site.page("/a", HTML)
    with (
        Fetcher(trusting(tmp_path, site)) as fetcher,
        pytest.raises(FetchRefused, match="could not be read"),
    ):
        fetcher.get(site.url("/a"))
    assert site.hits("/a") == 0


def test_requests_to_one_host_are_paced(tmp_path: Path, site: FixtureSite) -> None:
    site.page("/a", HTML)
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)

    settings = trusting(tmp_path, site, fetch_host_interval=2.0, fetch_robots=False)
    with Fetcher(settings, clock=lambda: now[0], sleep=sleep) as fetcher:
        fetcher.get(site.url("/a"))
        fetcher.get(site.url("/a"))
        fetcher.get(site.url("/a"))
    assert [round(w) for w in waits] == [2, 4]  # the clock stood still: slots 2 s apart


# -- SSRF ---------------------------------------------------------------------------------------
INTERNAL = ["127.0.0.1", "::1", "10.0.0.5", "172.16.3.4", "192.168.0.10", "169.254.169.254"]


@pytest.mark.parametrize("address", INTERNAL)
def test_names_resolving_to_internal_addresses_are_refused(tmp_path: Path, address: str) -> None:
    settings = make_settings(tmp_path, fetch_host_interval=0.0, fetch_robots=False)
    resolver = {"inside.example": [address]}
    with (
        Fetcher(settings, resolve=lambda h, p: resolver[h]) as fetcher,
        pytest.raises(FetchRefused, match="internal networks"),
    ):
        fetcher.get("http://inside.example/latest/meta-data/")


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_address_literals_are_refused(tmp_path: Path, address: str) -> None:
    settings = make_settings(tmp_path, fetch_host_interval=0.0)
    host = f"[{address}]" if ":" in address else address
    with Fetcher(settings) as fetcher, pytest.raises(FetchRefused, match="internal networks"):
        fetcher.get(f"http://{host}/")


def test_the_fixture_server_itself_is_refused_by_default(tmp_path: Path, site: FixtureSite) -> None:
    site.page("/a", HTML)
    port = site.server_address[1]
    settings = make_settings(tmp_path, fetch_ports=(port,), fetch_host_interval=0.0)
    with Fetcher(settings) as fetcher, pytest.raises(FetchRefused, match="loopback"):
        fetcher.get(site.url("/a"))
    assert site.requests == []


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:{port}/", "http://localhost:{other}/",
     "http://127.0.0.1:{other}/", "file:///etc/passwd"],
)  # fmt: skip
def test_a_redirect_into_a_private_network_is_refused(
    tmp_path: Path, site: FixtureSite, target: str
) -> None:
    port = site.server_address[1]
    with fixture_site() as other:
        other.page("/", HTML)
        location = target.format(port=port, other=other.server_address[1])
        site.redirect("/go", location)
        settings = trusting(tmp_path, site, fetch_ports=(80, port, other.server_address[1]))
        with Fetcher(settings) as fetcher, pytest.raises(FetchRefused):
            fetcher.get(site.url("/go"))
        assert other.requests == []


def test_a_dns_answer_that_changes_cannot_slip_through(tmp_path: Path, site: FixtureSite) -> None:
    """Rebinding: the first answer is public, later ones point at the fixture server. The
    fetcher resolves once per connection and dials what it checked, so it never reaches the
    fixture server (it fails to reach the public address: this machine is offline)."""
    site.page("/", HTML)
    port = site.server_address[1]
    answers = [["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]]
    calls: list[str] = []

    def rebinding(host: str, _: int) -> list[str]:
        calls.append(host)
        return answers[min(len(calls) - 1, 2)]

    settings = make_settings(tmp_path, fetch_ports=(port,), fetch_host_interval=0.0,
                             fetch_robots=False, fetch_timeout=0.5)  # fmt: skip
    with Fetcher(settings, resolve=rebinding) as fetcher, pytest.raises(FetchFailed):
        fetcher.get(f"http://rebind.example:{port}/")
    assert calls == ["rebind.example"]
    assert site.requests == []
