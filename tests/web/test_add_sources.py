"""The "Add sources" panel in a real browser, against a real server that may fetch only from a
fixture web site on 127.0.0.1: add an article by link and a PDF by the file picker, then ask
about each and see the answer cite it (the PDF by page); a refused link says why; dropped files
each get an outcome; a followed feed is listed with its last run and can be unfollowed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from tests.conftest import make_settings
from tests.fixture_site import FixtureSite, fixture_site
from tests.sample_files import make_docx, make_pdf, make_scanned_pdf
from tests.servers import serving_corpus
from tests.web.conftest import PageProbe, open_page, screenshot
from tests.web.test_chat_page import ask

pytestmark = pytest.mark.browser

ARTICLE_TITLE = "Port of Valdoria reopens after crane operators end strike"
ARTICLE = f"""<!doctype html><html><head><title>{ARTICLE_TITLE} | Valdoria Herald</title>
<meta property="og:site_name" content="Valdoria Herald">
<meta property="article:published_time" content="2026-11-30T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie-banner">We use cookies. Accept all cookies</div>
<article><h1>{ARTICLE_TITLE}</h1>
<p>The Port of Valdoria reopened on Monday after a nine-day strike by crane operators ended
with a seven percent pay rise, the harbour authority said.</p>
<p>Harbour master Ilse Marren said 42 container ships were waiting off the breakwater to dock
and that the backlog would take about two weeks to clear.</p>
<p>Exporters of timber and frozen fish had rerouted cargo through the northern port of Kessa
during the strike.</p>
</article>
<footer>Copyright 2026 Valdoria Herald. Subscribe to our newsletter.</footer>
</body></html>"""


MINUTES: list[str | tuple[str, str]] = [
    ("Title", "Kessa port board minutes"),
    "The board approved a second ferry berth at Kessa, to open in April 2027.",
]
FERRY_TITLE = "Kessa ferry operator adds a night crossing"
FERRY = ARTICLE.replace(ARTICLE_TITLE, FERRY_TITLE)
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kessa Harbour Gazette</title><link>{base}/</link>
<description>Port news</description>
<item><title>{title}</title><link>{base}/news/kessa-ferry</link>
<guid>{base}/news/kessa-ferry</guid><pubDate>Tue, 01 Dec 2026 07:00:00 GMT</pubDate></item>
</channel></rss>"""

PDF_NAME = "ostland-fact-sheet.pdf"
FACT_SHEET = make_pdf(
    [
        ["Ministry of Trade of Ostland. Fact sheet: mineral exports, November 2026."],
        ["Ostland sets its lithium export quota at 3,200 tonnes for the coming year.",
         "The quota replaces the temporary ban on lithium exports announced in August."],
    ],
    title="Ostland fact sheet: mineral exports",
)  # fmt: skip


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    with fixture_site() as s:
        yield s


@pytest.fixture(scope="module")
def intake_server(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app (seed corpus, hashing embedder) allowed to fetch from the fixture site only."""
    port = site.server_address[1]
    settings = make_settings(
        tmp_path_factory.mktemp("add-sources"),
        fetch_ports=(port,),
        fetch_trusted_addresses=(f"127.0.0.1:{port}",),
        fetch_host_interval=0.0,
        fetch_timeout=5.0,
    )
    with serving_corpus(settings) as (url, _):
        yield url


@pytest.fixture
def page_probe(browser: Browser, intake_server: str) -> Iterator[tuple[Page, PageProbe]]:
    page, probe = open_page(browser, intake_server)
    yield page, probe
    page.context.close()


def documents(page: Page) -> dict[str, dict[str, Any]]:
    """GET /documents by id, as the page's server sees it."""
    return {d["id"]: d for d in page.request.get("documents").json()}


def outcome(page: Page, name: str) -> Any:
    return page.locator("#add-results .outcome").filter(has_text=name)


def assert_no_script_errors(probe: PageProbe) -> None:
    """No exception, and no console error but Chromium's note on each expected 4xx answer."""
    assert not probe.errors
    assert all(m.startswith("Failed to load resource") for m in probe.console_errors), probe


def test_add_a_link_and_a_pdf_then_ask_about_each(
    page_probe: tuple[Page, PageProbe], site: FixtureSite
) -> None:
    page, probe = page_probe
    site.page("/news/valdoria-port", ARTICLE, delay=1.0)  # slow: the row shows it is pending
    article_url = site.url("/news/valdoria-port")
    internal_url = f"http://10.0.0.1:{site.server_address[1]}/admin"
    page.goto("/#sources")
    page.get_by_label("Article links").fill(f"{article_url}\n{internal_url}\n")
    page.get_by_role("button", name="Add links").click()

    added = outcome(page, article_url)
    expect(added).to_have_attribute("data-status", "pending")
    expect(added).to_contain_text("Adding…")
    expect(added).to_have_attribute("data-status", "added", timeout=20_000)
    expect(added.locator(".badge")).to_have_text("Added")
    expect(added).to_contain_text(ARTICLE_TITLE)
    expect(added).to_contain_text("web page")
    refused = outcome(page, internal_url)
    expect(refused).to_have_attribute("data-status", "refused")
    expect(refused.locator(".badge")).to_have_text("Refused")
    expect(refused.locator(".outcome-detail")).to_contain_text("internal networks")
    assert "{" not in (page.locator("#add-results").text_content() or "")  # words, not JSON
    assert not any("10.0.0.1" in r.path for r in site.requests)  # never requested

    # The file picker: a text PDF, read page by page.
    page.get_by_label("Files").set_input_files(
        files=[FilePayload(name=PDF_NAME, mimeType="application/pdf", buffer=FACT_SHEET)]
    )
    pdf_row = outcome(page, PDF_NAME)
    expect(pdf_row).to_have_attribute("data-status", "added", timeout=20_000)
    expect(pdf_row).to_contain_text("PDF")
    screenshot(page, "add-sources")

    docs = documents(page)
    article_id = next(i for i, d in docs.items() if (d["origin"] or {}).get("kind") == "url")
    pdf_id = next(i for i, d in docs.items() if (d["origin"] or {}).get("detail") == PDF_NAME)
    # The Sources list shows where each came from; the page's link opens safely in a new tab.
    article_card = page.locator(f'.source[data-doc="{article_id}"]')
    expect(article_card).to_contain_text(ARTICLE_TITLE)
    expect(article_card.locator(".origin")).to_contain_text("Added from")
    link = article_card.locator(".origin a")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    expect(page.locator(f'.source[data-doc="{pdf_id}"] .origin')).to_contain_text(
        f"Uploaded as {PDF_NAME}"
    )
    corpus_card = page.locator('.source[data-doc="trump-japan-trade-talks"] .origin')
    expect(corpus_card).to_contain_text("Corpus file")

    page.get_by_role("link", name="Chat").click()
    body = ask(page, "How many container ships were waiting to dock at the Port of Valdoria?")
    cited = [c for c in body["citations"] if c["doc_id"] == article_id]
    assert cited and not body["abstained"], body
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer.locator(".answer-text")).to_contain_text("42 container ships")
    expect(answer.locator(".cites")).to_contain_text(ARTICLE_TITLE)

    body = ask(page, "What is Ostland's lithium export quota?")
    cited = [c for c in body["citations"] if c["doc_id"] == pdf_id]
    assert cited and not body["abstained"], body
    assert cited[0].get("page") == 2, cited
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer.locator(".answer-text")).to_contain_text("3,200 tonnes")
    cite = answer.locator(f'.cite[data-marker="{cited[0]["marker"]}"]')
    expect(cite.locator(".cite-page")).to_have_text("p. 2")
    screenshot(page, "add-sources-answer")
    cite.click()
    expect(page.locator("#doc-kicker")).to_contain_text("p. 2")
    expect(page.locator("#docview mark")).to_contain_text("3,200 tonnes")
    assert_no_script_errors(probe)


DROP = """(zone, files) => {
  const data = new DataTransfer();
  for (const f of files) {
    data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
  }
  for (const name of ["dragenter", "dragover", "drop"]) {
    const init = { bubbles: true, cancelable: true, dataTransfer: data };
    zone.dispatchEvent(new DragEvent(name, init));
  }
}"""


def test_dropped_files_and_keyboard_links_each_get_an_outcome(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, probe = page_probe
    page.goto("/#sources")
    notes = b"# Kessa harbour notes\n\nThe northern port of Kessa handled 18 diverted ships.\n"
    files = [
        {"name": "kessa-notes.md", "type": "text/markdown", "bytes": list(notes)},
        {"name": "scanned.pdf", "type": "application/pdf", "bytes": list(make_scanned_pdf(1))},
        {"name": "minutes.docx", "type": "", "bytes": list(make_docx(MINUTES))},
    ]
    page.locator("#add-sources").evaluate(DROP, files)
    expect(outcome(page, "kessa-notes.md")).to_have_attribute("data-status", "added")
    expect(outcome(page, "kessa-notes.md")).to_contain_text("text")
    failed = outcome(page, "scanned.pdf")
    expect(failed).to_have_attribute("data-status", "failed")
    expect(failed.locator(".outcome-detail")).to_contain_text("text layer")
    expect(outcome(page, "minutes.docx")).to_have_attribute("data-status", "added")
    expect(outcome(page, "minutes.docx")).to_contain_text("Word document")
    rows = page.locator("#add-results .outcome .outcome-name")
    expect(rows).to_have_text(["kessa-notes.md", "scanned.pdf", "minutes.docx"])  # as dropped
    expect(page.locator("#add-sources")).not_to_have_class("add-sources dragging")

    # Keyboard only: type a link, Ctrl+Enter adds it.
    box = page.get_by_label("Article links")
    box.focus()
    page.keyboard.type("ftp://files.example.com/report.txt")
    page.keyboard.press("Control+Enter")
    refused = outcome(page, "ftp://files.example.com/report.txt")
    expect(refused).to_have_attribute("data-status", "refused")
    expect(refused).to_contain_text("only http and https")
    # Adding the same notes again: unchanged, said in words.
    page.get_by_label("Files").set_input_files(
        files=[FilePayload(name="kessa-notes.md", mimeType="text/markdown", buffer=notes)]
    )
    expect(page.locator("#add-results .outcome").first).to_have_attribute(
        "data-status", "unchanged"
    )
    expect(page.locator("#add-results .outcome").first).to_contain_text("nothing new")
    screenshot(page, "add-sources-outcomes")
    assert_no_script_errors(probe)


def test_follow_a_feed_see_its_last_run_and_unfollow(
    page_probe: tuple[Page, PageProbe], site: FixtureSite
) -> None:
    page, probe = page_probe
    site.page("/news/kessa-ferry", FERRY)
    site.route("/feeds/harbour.xml", RSS.format(base=site.base, title=FERRY_TITLE),
               "application/rss+xml")  # fmt: skip
    feed_url = site.url("/feeds/harbour.xml")
    page.goto("/#sources")
    expect(page.locator("#feeds-status")).to_contain_text("No feeds followed yet")
    page.get_by_label("Follow a feed").fill(feed_url)
    page.get_by_label("Follow a feed").press("Enter")
    row = outcome(page, feed_url)
    expect(row).to_have_attribute("data-status", "following", timeout=20_000)
    expect(row).to_contain_text("Kessa Harbour Gazette")
    expect(row).to_contain_text("1 article added")

    feed = page.locator("#feeds-list .feed")
    expect(feed).to_have_count(1)
    expect(feed.locator("h4")).to_have_text("Kessa Harbour Gazette")
    expect(feed.locator(".feed-run")).to_contain_text("Last run")
    expect(feed.locator(".feed-run")).to_contain_text(": ok, 1 new article")
    expect(feed.locator(".feed-error")).to_have_count(0)
    ferry = page.locator(".source").filter(has_text=FERRY_TITLE)
    expect(ferry.locator(".origin")).to_contain_text("From the feed Kessa Harbour Gazette")
    screenshot(page, "add-sources-feed")

    # Following it again says so; a page that is not a feed is not followed, in words.
    page.get_by_label("Follow a feed").fill(feed_url)
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.locator("#add-results .outcome").first).to_have_attribute("data-status", "followed")
    page.get_by_label("Follow a feed").fill(site.url("/news/kessa-ferry"))
    page.get_by_role("button", name="Follow", exact=True).click()
    not_feed = page.locator("#add-results .outcome").first
    expect(not_feed).to_have_attribute("data-status", "failed")
    expect(not_feed.locator(".outcome-detail")).not_to_be_empty()
    expect(feed).to_have_count(1)

    page.get_by_role("button", name="Unfollow Kessa Harbour Gazette").click()
    expect(feed).to_have_count(0)
    expect(page.locator("#feeds-status")).to_contain_text("Unfollowed Kessa Harbour Gazette")
    expect(page.locator("#feeds-heading")).to_be_focused()
    assert page.request.get("feeds").json() == []
    expect(ferry).to_be_visible()  # its articles stay
    assert_no_script_errors(probe)
