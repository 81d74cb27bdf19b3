"""The chat view in a real browser: cited answers, chips that open the highlighted passage,
abstentions, follow-ups, New chat and this tab's history."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SEED_DOC_ID
from tests.web.conftest import PageProbe, screenshot

pytestmark = pytest.mark.browser


def ask(page: Page, question: str) -> dict[str, Any]:
    """Type a question, send it with Enter, wait for the answer; returns the /chat JSON."""
    page.get_by_label("Question").fill(question)
    with page.expect_response("**/chat") as response:
        page.get_by_label("Question").press("Enter")
    body: dict[str, Any] = response.value.json()
    expect(page.locator(".turn").last.locator(".answer")).to_be_visible()
    return body


def test_cited_answer_chip_opens_the_quoted_passage_highlighted(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, probe = page_probe
    page.goto("/")
    expect(page.get_by_label("Question")).to_be_focused()
    body = ask(page, "What tariff rate does Japan face?")
    assert not body["abstained"]
    cited = next(c for c in body["citations"] if "24%" in c["quote"])
    assert cited["doc_id"] == SEED_DOC_ID

    answer = page.locator(".turn").last.locator(".answer")
    expect(answer).not_to_have_class("answer abstained")
    expect(answer.locator(".answer-text")).to_contain_text("24% levies")
    chips = answer.locator(".answer-text button.chip")
    expect(chips).to_have_count(len(body["citations"]))
    screenshot(page, "chat-answer")

    chips.and_(page.locator(f'[data-marker="{cited["marker"]}"]')).click()
    panel = page.locator("#docview")
    expect(panel).to_be_visible()
    expect(page.locator("#doc-title")).to_have_text(cited["title"])
    expect(page.locator("#doc-meta")).to_contain_text("2025")
    mark = panel.locator("mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text(cited["quote"])
    expect(mark).to_be_in_viewport()
    # The mark sits at the cited offsets of the full text.
    full_text = page.locator("#doc-text").text_content() or ""
    assert full_text[cited["start"] : cited["end"]] == cited["quote"]
    screenshot(page, "chat-source")

    page.keyboard.press("Escape")  # closes the panel and gives focus back to the chip
    expect(panel).to_be_hidden()
    expect(chips.and_(page.locator(f'[data-marker="{cited["marker"]}"]'))).to_be_focused()
    assert not probe.errors and not probe.dialogs and not probe.console_errors


def test_off_corpus_question_renders_as_an_abstention(page_probe: tuple[Page, PageProbe]) -> None:
    page, probe = page_probe
    page.goto("/")
    body = ask(page, "What did the European Central Bank decide?")
    assert body["abstained"] and not body["citations"]
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer).to_have_class("answer abstained")
    expect(answer.locator(".label")).to_have_text("Not in the sources")
    expect(answer.locator("button.chip")).to_have_count(0)
    screenshot(page, "chat-abstained")
    assert not probe.errors and not probe.console_errors


def test_follow_up_new_chat_and_history(page_probe: tuple[Page, PageProbe]) -> None:
    page, probe = page_probe
    page.goto("/#chat")
    first = ask(page, "What tariff rate does Japan face?")
    follow_up = ask(page, "What about cars?")
    assert follow_up["session_id"] == first["session_id"]
    expect(page.locator(".turn")).to_have_count(2)
    expect(page.locator(".turn").last.locator(".answer-text")).to_contain_text("25%")
    history = page.locator("#history .history-item")
    expect(history).to_have_count(1)
    expect(history.first).to_have_text("What tariff rate does Japan face?")

    page.get_by_role("button", name="New chat").click()
    expect(page.locator(".turn")).to_have_count(0)
    expect(page.get_by_label("Question")).to_be_focused()
    third = ask(page, "Who is Kurt Tong?")
    assert third["session_id"] != first["session_id"]
    expect(history).to_have_count(2)

    # The tab's chats survive a reload (sessionStorage) and can be reopened.
    page.reload()
    expect(history).to_have_count(2)
    page.get_by_role("button", name="What tariff rate does Japan face?").click()
    expect(page.locator(".turn")).to_have_count(2)
    expect(history.last).to_have_attribute("aria-current", "true")
    screenshot(page, "chat-history")
    assert not probe.errors and not probe.console_errors


def test_errors_show_the_problem_detail(page_probe: tuple[Page, PageProbe]) -> None:
    page, _ = page_probe
    page.goto("/")
    # A question over the server's limit: the 400's problem+json detail is shown.
    page.get_by_label("Question").evaluate("el => el.removeAttribute('maxlength')")
    page.get_by_label("Question").fill("x" * 2500)
    page.get_by_role("button", name="Ask").click()
    error = page.locator(".turn .status.error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("limit")
    expect(page.get_by_label("Question")).to_have_value("x" * 2500)  # kept for a retry
    expect(page.locator("#history .history-item")).to_have_count(0)


def test_a_quote_that_no_longer_matches_its_document_is_flagged(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, _ = page_probe
    page.goto("/")
    body = ask(page, "What tariff rate does Japan face?")
    # The document was re-ingested with different text since the answer was given.
    page.route(
        "**/documents/*",
        lambda route: route.fulfill(
            json={
                **{k: None for k in ("source", "published", "url")},
                "id": body["citations"][0]["doc_id"],
                "title": "Edited",
                "chunk_count": 1,
                "chars": 20,
                "text": "Entirely new text.",
            }
        ),
    )
    page.locator(".answer-text button.chip").first.click()
    expect(page.locator("#doc-status .error")).to_contain_text("no longer at the cited place")
    expect(page.locator("#docview mark")).to_have_count(0)
