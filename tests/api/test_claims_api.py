"""Per-claim support travels in every answer form: /chat, /chat/stream's final event, OpenAPI."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant

QUESTION = "What tariff rate does Japan face?"


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as test_client:
        yield test_client


def _check_claims(body: dict[str, object]) -> None:
    claims, citations = body["claims"], body["citations"]
    assert isinstance(claims, list) and isinstance(citations, list) and claims
    assert {m for c in claims for m in c["markers"]} == {c["marker"] for c in citations}
    for claim in claims:
        assert set(claim) == {"text", "markers", "supported", "score", "missing_numbers",
                              "missing_names"}  # fmt: skip
        assert claim["supported"] is True and claim["score"] == 1.0
        assert claim["text"] in body["answer"]  # type: ignore[operator]


def test_chat_carries_claims(client: TestClient) -> None:
    body = client.post("/chat", json={"message": QUESTION}).json()
    assert {"question", "answer", "abstained", "citations", "session_id"} <= set(body)
    _check_claims(body)


def test_stream_final_event_carries_claims(client: TestClient) -> None:
    with client.stream("POST", "/chat/stream", json={"message": QUESTION}) as response:
        lines = list(response.iter_lines())
    finals = [
        json.loads(lines[i + 1].removeprefix("data:").strip())
        for i, line in enumerate(lines)
        if line.strip() == "event: final"
    ]
    assert len(finals) == 1
    _check_claims(finals[0])


def test_abstained_answers_have_no_claims(client: TestClient) -> None:
    body = client.post("/chat", json={"message": "What is the BOJ policy rate?"}).json()
    assert body["abstained"] is True and body["claims"] == []


def test_openapi_documents_claims(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "claims" in schemas["ChatResponse"]["properties"]
    assert set(schemas["ClaimOut"]["required"]) == {"text", "markers", "supported", "score"}
