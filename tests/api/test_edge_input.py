"""Input at the edges: dates at the calendar's ends, text that is not valid Unicode, JSON
nested deeper than a parser can follow. Each gets an answer or a clear 4xx, never a 500, and
nothing stored is lost."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from assistant.errors import InvalidQuestion

PROBLEM = "application/problem+json"


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(
        create_app(fast_assistant.settings, fast_assistant), raise_server_exceptions=False
    ) as test_client:
        yield test_client


ZETA = ("Yesterday the Zeta board fired 3 directors. Last week the Zeta board met in March. "
        "Next week the Zeta board will vote on January 2.")  # fmt: skip


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_a_document_dated_at_the_calendar_end_breaks_nothing(
    client: TestClient, published: str
) -> None:
    added = client.post(
        "/documents", json={"id": "zeta", "title": "Zeta board", "published": published,
                            "text": ZETA},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    assert client.post("/briefing", json={}).status_code == 200
    chat = client.post("/chat", json={"message": "How many directors did the Zeta board fire?"})
    assert chat.status_code == 200, chat.text


@pytest.mark.parametrize(
    ("message", "as_of"),
    [
        ("What happened this week?", "9999-12-31"),
        ("What happens next year?", "9999-12-31"),
        ("What happened yesterday?", "0001-01-01"),
        ("Today is January 1, 0001. What happened yesterday?", None),
    ],
)
def test_a_question_dated_at_the_calendar_end_is_answered(
    client: TestClient, message: str, as_of: str | None
) -> None:
    body: dict[str, object] = {"message": message}
    if as_of:
        body["as_of"] = as_of
    response = client.post("/chat", json=body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/chat", '{"message": "Japan tariff \\ud800"}'),
        ("/briefing", '{"topic": "\\udfff tariffs"}'),
        ("/v1/chat/completions",
         '{"model": "briefing", "messages": [{"role": "user", "content": "x \\ud800"}]}'),
    ],
)  # fmt: skip
def test_a_lone_surrogate_is_a_clear_4xx(client: TestClient, path: str, body: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith(PROBLEM)


def test_json_nested_too_deep_is_a_400(client: TestClient, fast_assistant: Assistant) -> None:
    before = [d.id for d in fast_assistant.documents()]
    deep = '{"title": "t", "text": "x", "z": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post("/documents", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "recursion limit" in response.json()["detail"]
    assert [d.id for d in fast_assistant.documents()] == before


@pytest.mark.parametrize("message", ["\u200b\u200b\u200b", "\u200e \u0007 \ufeff"])
def test_a_question_of_invisible_characters_is_empty(client: TestClient, message: str) -> None:
    response = client.post("/chat", json={"message": message})
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "the question is empty"


@pytest.mark.parametrize("path", ["/chat", "/chat/stream", "/briefing", "/v1/chat/completions"])
@pytest.mark.parametrize("kind", ["text/plain", "application/xml", None])
def test_a_json_endpoint_says_415_to_another_content_type(
    client: TestClient, path: str, kind: str | None
) -> None:
    headers = {"content-type": kind} if kind else {}
    response = client.post(path, content=b'{"message": "hi"}', headers=headers)
    assert response.status_code == 415, response.text
    assert response.headers["content-type"].startswith(PROBLEM)


def test_json_with_a_charset_is_json(client: TestClient) -> None:
    response = client.post(
        "/chat", content=b'{"message": "What tariff rate does Japan face?"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )  # fmt: skip
    assert response.status_code == 200, response.text


def test_health_and_ready_answer_head(client: TestClient) -> None:
    for path in ("/health", "/ready"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b""


def _failing_stream(error: Exception) -> object:
    def chat_stream(*args: object, **kwargs: object) -> tuple[str, Iterator[object]]:
        def events() -> Iterator[object]:
            raise error
            yield  # a generator: fails once the response has started

        return "s1", events()

    return chat_stream


@pytest.mark.parametrize(
    ("error", "status"), [(RuntimeError("at /srv/secret/path"), 500), (InvalidQuestion("bad"), 400)]
)
def test_a_stream_that_fails_reports_in_band_like_any_request(
    client: TestClient, fast_assistant: Assistant, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, error: Exception, status: int,
) -> None:  # fmt: skip
    monkeypatch.setattr(fast_assistant, "chat_stream", _failing_stream(error))
    with caplog.at_level(logging.INFO):
        body = client.post("/chat/stream", json={"message": "What rate?"}).text
    frame = body.split("event: error\ndata: ", 1)[1].split("\n", 1)[0]
    assert json.loads(frame)["status"] == status
    assert "/srv/secret" not in body
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.INFO)


def test_a_file_over_the_upload_limit_is_a_413_whatever_the_framing(
    client: TestClient, fast_assistant: Assistant
) -> None:
    limit = fast_assistant.settings.max_upload_bytes
    line = b"Ostland set a 12% levy on steel imports on Monday.\n"
    content = line * (limit // len(line) + 1)  # just over: the body limit's framing room fits it
    response = client.post("/documents", files={"file": ("big.txt", content, "text/plain")})
    assert response.status_code == 413, response.text
    assert "BRIEFING_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert "big" not in {d.id for d in fast_assistant.documents()}
