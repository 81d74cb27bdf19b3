"""The chat view in a real browser: cited answers, chips that open the highlighted passage,
abstentions, follow-ups, New chat and this tab's history."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SEED_DOC_ID
from tests.web.conftest import PageProbe, screenshot

pytestmark = pytest.mark.browser


def sse_events(stream: str) -> list[tuple[str, Any]]:
    """(event name, parsed JSON data) for each event of a text/event-stream body."""
    events = []
    for block in stream.replace("\r\n", "\n").split("\n\n"):
        lines = block.splitlines()
        name = next((line[6:].strip() for line in lines if line.startswith("event:")), "message")
        data = "\n".join(line[5:].removeprefix(" ") for line in lines if line.startswith("data:"))
        if data:
            events.append((name, json.loads(data)))
    return events


def ask(page: Page, question: str) -> dict[str, Any]:
    """Type a question, send it with Enter, wait for the verified answer to replace the streamed
    draft; returns the `final` event of POST /chat/stream (the /chat JSON contract)."""
    page.get_by_label("Question").fill(question)
    with page.expect_response("**/chat/stream") as response:
        page.get_by_label("Question").press("Enter")
    assert response.value.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.value.text())
    assert events[-1][0] == "final", events[-3:]
    body: dict[str, Any] = events[-1][1]
    expect(page.locator(".turn").last.locator(".answer:not(.provisional)")).to_be_visible()
    expect(page.locator(".turn.pending")).to_have_count(0)
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


def chip_text(answer: str) -> str:
    """How an answer reads in the page: each `[n]` marker is a chip showing `n`."""
    return re.sub(r"\[(\d+)\]", r"\1", answer)


# Records every streamed draft the page shows (they are replaced as soon as the final arrives).
WATCH_DRAFTS = """() => {
  window.__drafts = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.matches('.answer.provisional')) {
        const log = document.getElementById('transcript');
        window.__drafts.push({busy: node.getAttribute('aria-busy'),
                              log: log.getAttribute('aria-busy')});
      }
    }
  }).observe(document.getElementById('transcript'), {childList: true, subtree: true});
}"""


def test_streamed_answer_ends_as_the_verified_answer_with_chips(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, probe = page_probe
    page.goto("/")
    page.evaluate(WATCH_DRAFTS)
    question = "What tariff rate does Japan face?"
    streamed = ask(page, question)
    # The words were shown as a draft (dimmed, aria-busy) before the verified answer replaced it.
    drafts = page.evaluate("window.__drafts")
    assert drafts and drafts[0] == {"busy": "true", "log": "true"}, drafts
    expect(page.locator(".answer.provisional")).to_have_count(0)
    expect(page.locator("#transcript")).not_to_have_attribute("aria-busy", "true")

    # The same question without streaming gives the same answer, rendered the same way.
    plain = page.evaluate(
        """async (message) => (await fetch('chat', {method: 'POST',
             headers: {'content-type': 'application/json'},
             body: JSON.stringify({message})})).json()""",
        question,
    )
    assert streamed["answer"] == plain["answer"]
    assert streamed["citations"] == plain["citations"]
    assert streamed["session_id"] != plain["session_id"]
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer.locator(".answer-text")).to_have_text(chip_text(plain["answer"]))
    expect(answer.locator(".answer-text button.chip")).to_have_count(len(plain["citations"]))
    expect(answer.locator(".cites li")).to_have_count(len(plain["citations"]))
    expect(answer.locator(".as-of")).to_have_text(f"as of {streamed['as_of']}")
    expect(answer.locator(".degraded")).to_have_count(0)
    screenshot(page, "chat-streamed")
    assert not probe.errors and not probe.console_errors


def test_as_of_before_the_article_renders_an_abstention(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, probe = page_probe
    page.goto("/")
    page.get_by_label("As of").fill("2025-04-01")  # the seed article is from 2025-04-16
    with page.expect_request("**/chat/stream") as request:
        body = ask(page, "What tariff rate does Japan face?")
    sent = request.value.post_data_json
    assert sent is not None and sent["as_of"] == "2025-04-01"
    assert body["abstained"] and not body["citations"]
    assert body["as_of"] == "2025-04-01"
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer).to_have_class("answer abstained")
    expect(answer.locator(".label")).to_have_text("Not in the sources")
    expect(answer.locator(".as-of")).to_have_text("as of 2025-04-01")
    expect(answer.locator("button.chip")).to_have_count(0)
    screenshot(page, "chat-as-of-abstained")
    assert not probe.errors and not probe.console_errors


def test_streaming_failure_falls_back_to_post_chat(page_probe: tuple[Page, PageProbe]) -> None:
    page, probe = page_probe
    page.goto("/")
    page.route("**/chat/stream", lambda route: route.abort())  # e.g. a proxy that breaks SSE
    page.get_by_label("Question").fill("What tariff rate does Japan face?")
    with page.expect_response("**/chat") as response:
        page.get_by_label("Question").press("Enter")
    body = response.value.json()
    assert not body["abstained"] and body["citations"]
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer.locator(".answer-text")).to_have_text(chip_text(body["answer"]))
    expect(answer.locator(".answer-text button.chip")).to_have_count(len(body["citations"]))
    expect(page.locator(".turn .status.error")).to_have_count(0)
    assert not probe.errors


def sse(*events: tuple[str, dict[str, Any]]) -> str:
    # \r\n line ends: the page's parser must take any of the three the spec allows.
    return "".join(f"event: {name}\r\ndata: {json.dumps(data)}\r\n\r\n" for name, data in events)


SEED_QUOTE = (
    "Japan currently faces 24% levies on its exports to the United States, though these have "
    "been paused for 90 days like most of Trump's recently announced tariffs."
)


def test_degraded_final_answer_replaces_the_draft_and_is_noted(
    page_probe: tuple[Page, PageProbe],
) -> None:
    page, probe = page_probe
    page.goto("/")
    citation = {
        "marker": 1,
        "doc_id": SEED_DOC_ID,
        "title": "Trump Joins Japan Trade Talks as Tariff Negotiations Begin",
        "quote": SEED_QUOTE,
        "start": 817,
        "end": 977,
        "score": 0.3,
    }
    final = {
        "question": "Japan?",
        "answer": f"{SEED_QUOTE} [1]",
        "abstained": False,
        "citations": [citation],
        "degraded": True,
        "session_id": "s-degraded",
    }
    # The draft said more than the verified answer keeps: the final text wins.
    tokens = [("token", {"text": w}) for w in ["Japan ", "faces ", "a ", "99% ", "tariff. "]]
    page.route(
        "**/chat/stream",
        lambda route: route.fulfill(
            content_type="text/event-stream", body=sse(*tokens, ("final", final))
        ),
    )
    page.get_by_label("Question").fill("Japan?")
    page.get_by_label("Question").press("Enter")
    answer = page.locator(".turn").last.locator(".answer:not(.provisional)")
    expect(answer.locator(".answer-text")).to_have_text(f"{SEED_QUOTE} 1")
    expect(answer.locator(".degraded")).to_have_text(
        "The language model was unavailable; this answer quotes the sources directly."
    )
    expect(answer).not_to_contain_text("99%")
    expect(answer.locator(".as-of")).to_have_count(0)  # no as_of in this answer
    screenshot(page, "chat-degraded")

    # A stream cut after some words is an error (no silent retry that could answer twice), and
    # the unverified draft is taken away.
    page.unroute("**/chat/stream")
    page.route(
        "**/chat/stream",
        lambda route: route.fulfill(content_type="text/event-stream", body=sse(*tokens)),
    )
    page.get_by_label("Question").fill("Japan again?")
    page.get_by_label("Question").press("Enter")
    turn = page.locator(".turn").last
    expect(turn.locator(".status.error")).to_contain_text("cut off")
    expect(turn).not_to_contain_text("99%")
    expect(page.get_by_label("Question")).to_have_value("Japan again?")
    assert not probe.errors
