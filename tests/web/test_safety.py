"""Safe rendering: hostile document text is shown as text and never runs, the CSP is sent and
enforced, and the page fits a phone-width screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import (
    IMG_PAYLOAD,
    SCRIPT_PAYLOAD,
    XSS_DOC_ID,
    PageProbe,
    open_page,
    screenshot,
)
from tests.web.test_chat_page import ask

pytestmark = pytest.mark.browser

PHONE = 390


def assert_not_pwned(page: Page, probe: PageProbe) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.scripts.length") == 1  # our own module script only
    assert not probe.dialogs and not probe.errors


def test_hostile_document_is_shown_as_text_and_never_runs(
    browser: Browser, live_server: str
) -> None:
    # bypass_csp: prove the rendering itself is safe, not only that the CSP catches it.
    page, probe = open_page(browser, live_server, bypass_csp=True)
    try:
        page.goto("/#sources")
        card = page.locator(f'.source[data-doc="{XSS_DOC_ID}"]')
        expect(card.get_by_role("button")).to_contain_text(SCRIPT_PAYLOAD)
        expect(card.get_by_role("button")).to_contain_text(IMG_PAYLOAD)
        expect(card).to_contain_text("<b>Hostile</b> wire")
        expect(card.locator("a")).to_have_count(0)  # javascript: URL is not made a link
        card.get_by_role("button").click()
        expect(page.locator("#doc-text")).to_contain_text(f"the {SCRIPT_PAYLOAD} shipping")
        expect(page.locator("#doc-text")).to_contain_text(IMG_PAYLOAD)
        screenshot(page, "hostile-document")
        page.get_by_role("button", name="Close source").click()

        page.get_by_role("link", name="Chat").click()
        body = ask(page, "What happened to soybean shipping volumes in Osaka?")
        cited = next(c for c in body["citations"] if c["doc_id"] == XSS_DOC_ID)
        assert SCRIPT_PAYLOAD in cited["quote"]
        answer = page.locator(".turn").last.locator(".answer-text")
        expect(answer).to_contain_text(SCRIPT_PAYLOAD)
        answer.locator(f'button.chip[data-marker="{cited["marker"]}"]').click()
        expect(page.locator("#docview mark")).to_have_text(cited["quote"])
        screenshot(page, "hostile-chat")

        page.get_by_role("link", name="Briefing").click()
        page.get_by_role("button", name="Generate").click()
        expect(page.locator("#briefing-out .brief-section").first).to_be_visible()
        assert_not_pwned(page, probe)
    finally:
        page.context.close()


def test_csp_header_is_sent_and_enforced(page_probe: tuple[Page, PageProbe]) -> None:
    page, _ = page_probe
    response = page.goto("/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    # Even markup injected behind the app's back cannot run an inline handler.
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__csp=1\">')"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__csp") == "undefined"


def test_page_fits_a_phone_width_screen(browser: Browser, live_server: str) -> None:
    page, probe = open_page(browser, live_server, width=PHONE, height=844, is_mobile=True)

    def no_horizontal_overflow() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE

    try:
        page.goto("/")
        body = ask(page, "What tariff rate does Japan face?")
        no_horizontal_overflow()
        screenshot(page, "phone-chat")
        page.locator(".answer-text button.chip").first.click()
        expect(page.locator("#docview mark")).to_be_in_viewport()
        expect(page.locator("#doc-close")).to_be_in_viewport()
        assert body["citations"][0]["quote"] in (page.locator("#doc-text").text_content() or "")
        no_horizontal_overflow()
        screenshot(page, "phone-source")
        page.get_by_role("button", name="Close source").click()

        page.get_by_role("link", name="Briefing").click()
        page.get_by_role("button", name="Generate").click()
        expect(page.locator("#briefing-out .headline")).to_be_visible()
        no_horizontal_overflow()
        screenshot(page, "phone-briefing")

        page.get_by_role("link", name="Sources").click()
        expect(page.locator("#sources-list .source")).to_have_count(2)
        no_horizontal_overflow()
        screenshot(page, "phone-sources")
        assert not probe.errors and not probe.console_errors
    finally:
        page.context.close()
