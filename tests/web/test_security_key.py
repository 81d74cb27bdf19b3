"""The page against a server started with an API key: it asks for the key once, trades it for an
HttpOnly session cookie, and works; a wrong key leaves it showing the server's 401 message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from assistant.config import Settings
from tests.conftest import make_settings
from tests.servers import serving_corpus

pytestmark = pytest.mark.browser
KEY = "page-key-0123456789abcdef"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = make_settings(tmp_path_factory.mktemp("keyed"))
    settings = Settings(**{**base.model_dump(), "_env_file": None, "api_key": KEY})
    with serving_corpus(settings) as (url, _):
        yield url


def _page(browser: Browser, url: str, answer: str, prompts: list[str]) -> Any:
    """A page whose prompts are answered with `answer` (and recorded)."""
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: (prompts.append(dialog.message), dialog.accept(answer)))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def test_the_page_asks_for_the_key_once_and_then_works(browser: Browser, keyed_server: str) -> None:
    prompts: list[str] = []
    page, errors = _page(browser, keyed_server, KEY, prompts)
    try:
        page.goto("/")
        page.get_by_role("link", name="Sources").click()
        expect(page.locator("#sources-list .source")).to_have_count(1)
        page.get_by_role("link", name="Chat").click()
        page.get_by_label("Question").fill("What tariff rate does Japan face?")
        page.get_by_label("Question").press("Enter")
        answer = page.locator(".turn").last.locator(".answer:not(.provisional)")
        expect(answer).to_contain_text("24%")
        assert len([p for p in prompts if "API key" in p]) == 1
        cookies = page.context.cookies()
        session = next(c for c in cookies if c["name"] == "briefing_session")
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        assert KEY not in session["value"]
        assert KEY not in page.evaluate("JSON.stringify({...localStorage, ...sessionStorage})")
    finally:
        page.context.close()
    assert not errors


def test_a_wrong_key_shows_the_servers_message(browser: Browser, keyed_server: str) -> None:
    page, _ = _page(browser, keyed_server, "wrong", [])
    try:
        page.goto("/")
        page.get_by_role("link", name="Sources").click()
        expect(page.locator("body")).to_contain_text("needs an API key")
        assert not any(c["name"] == "briefing_session" for c in page.context.cookies())
    finally:
        page.context.close()
