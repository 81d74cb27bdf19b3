"""Retrieval filters on POST /chat and /chat/stream, and `briefing ask --source/--since/--until`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from assistant.errors import InvalidQuestion
from assistant.types import Document
from tests.assistant.cli.test_commands import Run, dirs, ok, run  # noqa: F401  (fixtures)
from tests.conftest import SEED_DOC_ID

PROBLEM = "application/problem+json"
QUESTION = "What tariff rate does Japan face?"


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    fast_assistant.add_document(
        Document(
            id="other",
            title="Other",
            text="Japan faces a 30% tariff, one outlet says.",
            source="Other Outlet",
            published=date(2025, 4, 20),
        )
    )
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as test_client:
        yield test_client


def cited(body: dict[str, object]) -> set[str]:
    citations = body["citations"]
    assert isinstance(citations, list)
    return {c["doc_id"] for c in citations}


def test_source_filter_limits_what_is_cited(client: TestClient) -> None:
    body = client.post(
        "/chat", json={"message": QUESTION, "filters": {"sources": ["other outlet"]}}
    ).json()
    assert cited(body) == {"other"}
    body = client.post(
        "/chat", json={"message": QUESTION, "filters": {"until": "2025-04-17"}}
    ).json()
    assert cited(body) == {SEED_DOC_ID}


def test_no_filters_and_empty_filters_keep_the_old_contract(client: TestClient) -> None:
    for payload in ({"message": QUESTION}, {"message": QUESTION, "filters": {}}):
        response = client.post("/chat", json=payload)
        assert response.status_code == 200
        assert {"question", "answer", "abstained", "citations", "session_id"} <= set(
            response.json()
        )


@pytest.mark.parametrize(
    "filters",
    [
        {"since": "2026-02-01", "until": "2026-01-01"},
        {"since": "last week"},
        {"sources": [" "]},
        {"sources": "Reuters"},
        {"source": ["Reuters"]},
    ],
)
def test_bad_filters_are_422_problems(client: TestClient, filters: object) -> None:
    for route in ("/chat", "/chat/stream"):
        response = client.post(route, json={"message": QUESTION, "filters": filters})
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        assert "Traceback" not in response.text


def test_stream_honours_filters(client: TestClient) -> None:
    response = client.post(
        "/chat/stream", json={"message": QUESTION, "filters": {"sources": ["Other Outlet"]}}
    )
    final = [line for line in response.text.splitlines() if line.startswith("data:")][-1]
    assert cited(json.loads(final.removeprefix("data:"))) == {"other"}


def test_cli_filters(run: Run) -> None:  # noqa: F811
    ok(run("ingest"))
    data = json.loads(ok(run("ask", "--json", QUESTION, "--until", "2025-04-17")).stdout)
    assert cited(data) == {SEED_DOC_ID}
    data = json.loads(ok(run("ask", "--json", QUESTION, "--source", "Nobody")).stdout)
    assert data["abstained"] is True and data["citations"] == []
    bad = run("ask", QUESTION, "--since", "2026-02-01", "--until", "2026-01-01")
    assert bad.exit_code != 0  # main() prints BriefingErrors as "error: …" and exits 2
    assert isinstance(bad.exception, InvalidQuestion) and "range is empty" in str(bad.exception)
    assert run("ask", QUESTION, "--since", "yesterday").exit_code == 2
