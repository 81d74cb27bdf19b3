"""The briefing view in a real browser: sections with chips, the shared source panel, and the
Markdown / HTML downloads of the saved briefing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PageProbe, screenshot

pytestmark = pytest.mark.browser


def test_briefing_renders_sections_with_chips_and_downloads(
    page_probe: tuple[Page, PageProbe], tmp_path: Path
) -> None:
    page, probe = page_probe
    page.goto("/#briefing")
    expect(page.locator("#briefing-heading")).to_be_visible()
    with page.expect_response("**/briefing") as response:
        page.get_by_role("button", name="Generate").click()
    body = response.value.json()

    out = page.locator("#briefing-out")
    expect(out.locator(".headline")).to_have_text(body["headline"])
    expect(out.locator(".headline")).to_be_focused()
    sections = out.locator(".brief-section")
    expect(sections).to_have_count(len(body["sections"]) + 1)  # + Sources
    for section in body["sections"]:
        rendered = out.locator(f'.brief-section[data-key="{section["key"]}"]')
        expect(rendered.locator("h4")).to_have_text(section["heading"])
        expect(rendered.locator("li")).to_have_count(len(section["items"]))
    expected_chips = sum(len(i["citations"]) for s in body["sections"] for i in s["items"])
    assert expected_chips > 0
    expect(out.locator("button.chip")).to_have_count(expected_chips)
    screenshot(page, "briefing")

    # A chip opens the same highlighted source view as in chat.
    first = body["sections"][0]["items"][0]["citations"][0]
    out.locator(".brief-section").first.locator("button.chip").first.click()
    expect(page.locator("#docview mark")).to_have_text(first["quote"])
    expect(page.locator("#docview mark")).to_be_in_viewport()
    screenshot(page, "briefing-source")
    page.get_by_role("button", name="Close source").click()

    # Downloads are the server's exports of the saved briefing.
    with page.expect_download() as markdown:
        page.get_by_role("link", name="Download Markdown").click()
    assert markdown.value.suggested_filename == f"briefing-corpus-{body['id']}.md"
    md_path = tmp_path / "briefing.md"
    markdown.value.save_as(md_path)
    md = md_path.read_text(encoding="utf-8")
    escaped = first["quote"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert md.startswith("# ") and "[^1]" in md and escaped in md  # HTML in sources is escaped

    with page.expect_download() as html_download:
        page.get_by_role("link", name="Download HTML").click()
    html_path = tmp_path / "briefing.html"
    html_download.value.save_as(html_path)
    html = html_path.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>")
    assert "<script" not in html.lower()  # any hostile text it cites is escaped

    # Opened from the server, the export is styled under its script-free CSP and runs nothing.
    page.goto(f"/briefing/{body['id']}.html")
    expect(page.locator("h1")).to_have_text(body["headline"])
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not probe.errors and not probe.dialogs and not probe.console_errors


def test_topic_briefing_and_loading_state(page_probe: tuple[Page, PageProbe]) -> None:
    page, _ = page_probe
    page.goto("/#briefing")
    page.get_by_label("Topic").fill("car tariffs")
    # Hold the response back to see the loading state, then let it through.
    held: list[object] = []
    page.route("**/briefing", lambda route: held.append(route))
    page.get_by_label("Topic").press("Enter")
    expect(page.locator("#briefing-status .loading")).to_contain_text("car tariffs")
    expect(page.get_by_role("button", name="Generate")).to_be_disabled()
    held[0].continue_()  # type: ignore[attr-defined]
    expect(page.locator("#briefing-out .meta").first).to_contain_text("Topic: car tariffs")
    expect(page.locator("#briefing-status")).to_be_empty()
