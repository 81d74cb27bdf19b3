"""The page says where else a cited story was published: under a chat citation and in a
briefing's sources list (one entry per story)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from api.app import create_app
from assistant.assistant import Assistant
from tests.conftest import make_settings
from tests.servers import running
from tests.syndicated import COPIES, collection
from tests.web.conftest import open_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def syndicated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assistant = Assistant(make_settings(tmp_path_factory.mktemp("syndicated")))
    for doc in collection():
        assistant.add_document(doc)
    try:
        with running(create_app(assistant.settings, assistant)) as url:
            yield url
    finally:
        assistant.close()


@pytest.fixture
def page(browser: Browser, syndicated_server: str) -> Iterator[Page]:
    page, probe = open_page(browser, syndicated_server)
    yield page
    assert not probe.errors and not probe.console_errors
    page.context.close()


def test_a_citation_names_the_other_outlets(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Question").fill("How much will the new Velmora ferry terminal cost?")
    page.get_by_label("Question").press("Enter")
    note = page.locator(".cites .also-published").first
    expect(note).to_be_visible()
    outlets = [outlet for _, outlet, _ in COPIES]
    text = note.inner_text()
    assert text.strip().startswith("also published by")
    assert sum(outlet in text for outlet in outlets) == len(COPIES) - 1


def test_briefing_sources_show_the_story_once(page: Page) -> None:
    page.goto("/#briefing")
    with page.expect_response("**/briefing"):
        page.get_by_role("button", name="Generate").click()
    sources = page.locator(".brief-sources li")
    expect(sources.filter(has_text="also published by")).to_have_count(1)
    expect(sources.filter(has_text="Velmora approves new ferry terminal")).to_have_count(1)
