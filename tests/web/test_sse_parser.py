"""The page's Server-Sent Events parser (api/web/sse.js), run in the browser on awkward chunking:
line ends split across reads, multi-line data, comments, and an event cut off by the stream end."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.web.conftest import PageProbe

pytestmark = pytest.mark.browser

PARSE = """async (chunks) => {
  const { SseParser } = await import('./static/sse.js');
  const events = [];
  const parser = new SseParser((name, data) => events.push([name, data]));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}"""


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (
            ['event: token\ndata: {"text": "A "}\n\n', 'event: final\ndata: {"a": 1}\n\n'],
            [["token", '{"text": "A "}'], ["final", '{"a": 1}']],
        ),
        # \r\n split between two reads, one field split mid-word, CR-only line ends
        (
            ["event: tok", "en\r", "\ndata: x\r", "\n\r", "\nevent: final\rdata: y\r\r"],
            [["token", "x"], ["final", "y"]],
        ),
        # comments are skipped, data lines join with \n, no event name means "message",
        # "data:x" without the space is fine, and an unfinished last event is dropped
        (
            [": keep-alive\n\ndata: one\ndata:two\n\n", "event: final\ndata: cut"],
            [["message", "one\ntwo"]],
        ),
    ],
)
def test_sse_parser(
    page_probe: tuple[Page, PageProbe], chunks: list[str], expected: list[list[str]]
) -> None:
    page, probe = page_probe
    page.goto("/")
    assert page.evaluate(PARSE, chunks) == expected
    assert not probe.errors
