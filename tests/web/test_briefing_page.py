"""The briefing view in a real browser: sections with chips, the shared source panel, and the
Markdown / HTML downloads of the saved briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
        rows = "tbody tr" if section["key"] == "figures" else "li"  # figures are a table
        expect(rendered.locator(rows)).to_have_count(len(section["items"]))
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


def generate(page: Page) -> dict[str, Any]:
    """Press Generate; returns the briefing JSON the page rendered (the last 200 answer)."""
    with page.expect_response(lambda r: r.url.endswith("/briefing") and r.ok) as response:
        page.get_by_role("button", name="Generate").click()
    body: dict[str, Any] = response.value.json()
    expect(page.locator("#briefing-out .headline")).to_have_text(body["headline"])
    return body


def test_figures_table_and_position_labels(page_probe: tuple[Page, PageProbe]) -> None:
    page, probe = page_probe
    page.goto("/#briefing")
    body = generate(page)
    figures = next(s for s in body["sections"] if s["key"] == "figures")
    table = page.locator('.brief-section[data-key="figures"] table')
    expect(table.locator("thead th")).to_have_text(
        ["Figure", "What it measures", "Status", "Sources"]
    )
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(figures["items"]))
    row = rows.filter(has=page.locator("td:first-child", has_text="24%"))
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("24%")
    item = next(i for i in figures["items"] if i["figure"]["value"] == "24%")
    expect(row.locator("td")).to_have_text(
        [
            "24%",
            item["figure"]["measure"],
            item["figure"]["status"] or "—",
            "".join(str(c["marker"]) for c in item["citations"]),
        ]
    )
    row.locator("button.chip").first.click()  # the source chip opens the quoted passage
    expect(page.locator("#docview mark")).to_have_text(item["citations"][0]["quote"])
    page.get_by_role("button", name="Close source").click()

    # Each position says how the sources give it: a quote, reported speech, or only a party.
    people = next(s for s in body["sections"] if s["key"] == "people")
    labels = page.locator('.brief-section[data-key="people"] li .kind')
    expect(labels).to_have_text([i["statement"]["kind"] for i in people["items"]])
    assert {"quote", "reported", "party"} <= {i["statement"]["kind"] for i in people["items"]}
    # Only elements under the briefing (no stray "null" or "undefined" text between them).
    assert page.evaluate(
        "[...document.getElementById('briefing-out').childNodes]"
        ".every((node) => node.nodeType === Node.ELEMENT_NODE)"
    )
    screenshot(page, "briefing-figures")
    assert not probe.errors and not probe.console_errors


def test_compare_with_last_briefing_shows_what_changed(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, probe = page_probe
    page.goto("/#briefing")
    page.get_by_label("Topic").fill("Japan trade talks")  # a topic no other test briefs
    page.get_by_label("Compare with last briefing").check()
    # The first time there is nothing to compare with: the server's 404 is a friendly note and
    # the briefing is still generated.
    with page.expect_response(lambda r: r.url.endswith("/briefing") and r.status == 404):
        first = generate(page)
    status = page.locator("#briefing-status")
    expect(status).to_contain_text("no earlier briefing")
    expect(status.locator(".error")).to_have_count(0)
    expect(page.locator('[data-key="changes"]')).to_have_count(0)
    assert first["changes"] is None

    second = generate(page)
    assert second["changes"]["since_id"] == first["id"]
    expect(status).to_be_empty()
    changes = page.locator('#briefing-out .brief-section[data-key="changes"]')
    expect(changes.locator("h4")).to_have_text("What changed")
    expect(changes).to_have_attribute("data-since", first["id"])
    expect(changes.locator(".since-id")).to_have_text(first["id"])
    kinds = ("documents_added", "documents_changed", "documents_removed", "new", "changed")
    listed = sum(len(second["changes"][k]) for k in (*kinds, "no_longer_supported"))
    expect(changes.locator("li")).to_have_count(listed)
    if not listed:
        expect(changes).to_contain_text("Nothing changed since then.")
    screenshot(page, "briefing-changes")
    assert not probe.errors
