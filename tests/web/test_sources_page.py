"""The sources view in a real browser: documents with metadata and chunk counts, opening one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SEED_DOC_ID
from tests.web.conftest import XSS_DOC_ID, PageProbe, screenshot

pytestmark = pytest.mark.browser


def test_sources_list_documents_and_open_one(page_probe: tuple[Page, PageProbe]) -> None:
    page, probe = page_probe
    page.goto("/")
    page.get_by_role("link", name="Sources").click()
    expect(page.locator("#sources-heading")).to_be_focused()
    cards = page.locator("#sources-list .source")
    expect(cards).to_have_count(2)
    seed = page.locator(f'.source[data-doc="{SEED_DOC_ID}"]')
    expect(seed).to_contain_text("Trump Joins Japan Trade Talks")
    expect(seed).to_contain_text("16 Apr 2025")
    expect(seed).to_contain_text("8 chunks")
    expect(page.locator(f'.source[data-doc="{XSS_DOC_ID}"]')).to_contain_text("chunk")
    # Corpus files say so; adding sources is the Add sources panel (tests/web/test_add_sources.py).
    expect(seed.locator(".origin")).to_contain_text("Corpus file")
    expect(page.get_by_role("region", name="Add sources")).to_be_visible()
    screenshot(page, "sources")

    seed.get_by_role("button").click()
    expect(page.locator("#doc-title")).to_have_text(
        "Trump Joins Japan Trade Talks as Tariff Negotiations Begin"
    )
    expect(page.locator("#doc-text")).to_contain_text("Japan currently faces 24% levies")
    expect(page.locator("#docview mark")).to_have_count(0)  # no citation: nothing highlighted
    screenshot(page, "document")
    page.get_by_role("button", name="Close source").click()
    expect(seed.get_by_role("button")).to_be_focused()
    assert not probe.errors and not probe.console_errors


def test_unknown_document_shows_the_problem_detail(page_probe: tuple[Page, PageProbe]) -> None:
    page, _ = page_probe
    page.goto("/#sources")
    expect(page.locator("#sources-list .source")).to_have_count(2)
    # Simulate a document removed after the list was loaded.
    page.route(
        "**/documents/*",
        lambda route: route.fulfill(
            status=404,
            content_type="application/problem+json",
            body='{"title": "Not found", "status": 404, "detail": "no document \'gone\'"}',
        ),
    )
    page.locator("#sources-list .source button").first.click()
    expect(page.locator("#doc-status .error")).to_contain_text("no document 'gone'")
