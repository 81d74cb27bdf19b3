"""The HTTP API over a real store: contract, sessions, problem+json errors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_assistant
from assistant.assistant import Assistant
from tests.conftest import SEED_DOC_ID

PROBLEM = "application/problem+json"


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as test_client:
        yield test_client


def assert_contract(body: dict[str, object], assistant: Assistant) -> None:
    assert set(body) >= {"question", "answer", "abstained", "citations"}
    citations = body["citations"]
    assert isinstance(citations, list)
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", str(body["answer"]))}
    assert markers == {c["marker"] for c in citations}
    for c in citations:
        text = assistant.document(c["doc_id"]).text
        assert text[c["start"] : c["end"]] == c["quote"]


def test_chat_returns_the_answer_contract_and_a_session(
    client: TestClient, fast_assistant: Assistant
) -> None:
    response = client.post("/chat", json={"message": "What tariff rate does Japan face?"})
    assert response.status_code == 200
    body = response.json()
    assert body["session_id"]
    assert not body["abstained"]
    assert_contract(body, fast_assistant)
    assert any(c["doc_id"] == SEED_DOC_ID for c in body["citations"])


def test_follow_up_in_the_same_session_uses_history(client: TestClient) -> None:
    first = client.post("/chat", json={"message": "What tariff rate does Japan face?"}).json()
    second = client.post(
        "/chat", json={"message": "What about cars?", "session_id": first["session_id"]}
    ).json()
    assert second["session_id"] == first["session_id"]
    assert "cars" in second["retrieval_query"] and "tariff" in second["retrieval_query"]
    assert "25%" in second["answer"]


@pytest.mark.parametrize(
    ("payload", "status", "needle"),
    [
        ({"message": ""}, 400, "empty"),
        ({"message": "   "}, 400, "empty"),
        ({"message": "x" * 5000}, 400, "limit"),
        ({}, 422, "message"),
        ({"message": 42}, 422, "message"),
        ({"message": "hi", "extra": 1}, 422, "extra"),
        ({"message": "hi", "session_id": "no-such-session"}, 404, "unknown session"),
        ({"message": "hi", "session_id": "../../etc/passwd"}, 404, "unknown session"),
    ],
)
def test_bad_chat_requests_get_problem_json(
    client: TestClient, payload: dict[str, object], status: int, needle: str
) -> None:
    response = client.post("/chat", json=payload)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert needle in (body["detail"] + body["title"]).lower()
    assert "Traceback" not in response.text


def test_malformed_json_is_a_400_problem(client: TestClient) -> None:
    response = client.post(
        "/chat", content=b'{"message": "unterminated', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["title"] == "Malformed JSON"


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    assert client.get("/nope").headers["content-type"].startswith(PROBLEM)
    response = client.get("/chat")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith(PROBLEM)


def test_documents_listing_and_text(client: TestClient) -> None:
    docs = client.get("/documents").json()
    assert [d["id"] for d in docs] == [SEED_DOC_ID]
    assert docs[0]["chunk_count"] > 0 and docs[0]["published"] == "2025-04-16"
    assert "path" not in docs[0]
    one = client.get(f"/documents/{SEED_DOC_ID}").json()
    assert one["text"].startswith("Trump Joins Japan Trade Talks")
    missing = client.get("/documents/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)


def test_briefing_endpoint(client: TestClient, fast_assistant: Assistant) -> None:
    body = client.post("/briefing", json={}).json()
    assert body["headline"]
    keys = [s["key"] for s in body["sections"]]
    assert keys == ["summary", "figures", "people", "timeline", "watch"]
    for section in body["sections"]:
        for item in section["items"]:
            assert item["citations"]
            for c in item["citations"]:
                assert (
                    fast_assistant.document(c["doc_id"]).text[c["start"] : c["end"]] == c["quote"]
                )
    topic = client.post("/briefing", json={"topic": "car tariffs"})
    assert topic.status_code == 200 and topic.json()["topic"] == "car tariffs"
    assert client.post("/briefing").status_code == 200  # body is optional


def test_health_and_openapi(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["documents"] == 1 and health["chunks"] > 0
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/chat", "/briefing", "/documents", "/health"} <= set(paths)


def test_dependency_override_swaps_the_assistant(
    fast_assistant: Assistant, settings_factory_tmp: Assistant
) -> None:
    app = create_app(fast_assistant.settings, fast_assistant)
    app.dependency_overrides[get_assistant] = lambda: settings_factory_tmp
    with TestClient(app) as client:
        assert client.get("/health").json()["documents"] == 0


@pytest.fixture
def settings_factory_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    from tests.conftest import make_settings

    empty = Assistant(make_settings(tmp_path_factory.mktemp("empty")))
    yield empty
    empty.close()


def test_empty_store_abstains_instead_of_failing(settings_factory_tmp: Assistant) -> None:
    with TestClient(create_app(settings_factory_tmp.settings, settings_factory_tmp)) as client:
        body = client.post("/chat", json={"message": "What tariff rate does Japan face?"}).json()
    assert body["abstained"] is True and body["citations"] == []


@pytest.mark.slow
def test_real_model_answers_and_follow_up(real_assistant: Assistant) -> None:
    with TestClient(create_app(real_assistant.settings, real_assistant)) as client:
        first = client.post("/chat", json={"message": "What tariff rate does Japan face?"}).json()
        assert "24%" in first["answer"] and "90 days" in first["answer"]
        assert_contract(first, real_assistant)
        second = client.post(
            "/chat", json={"message": "What about cars?", "session_id": first["session_id"]}
        ).json()
        assert "25%" in second["answer"]
        assert_contract(second, real_assistant)


def test_saved_briefing_exports_and_since(client: TestClient) -> None:
    first = client.post("/briefing", json={}).json()
    assert first["schema_version"] == 2 and first["id"]
    again = client.get(f"/briefing/{first['id']}").json()
    assert again == first
    markdown = client.get(f"/briefing/{first['id']}.md")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Trump Joins Japan Trade Talks")
    page = client.get(f"/briefing/{first['id']}.html")
    assert page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text and "Key figures" in page.text
    second = client.post("/briefing", json={"since": "last"}).json()
    assert second["changes"]["since_id"] == first["id"]
    assert second["changes"]["new"] == [] and second["changes"]["documents_added"] == []


@pytest.mark.parametrize(
    "path", ["/briefing/0123456789ab", "/briefing/nope.md", "/briefing/x.html"]
)
def test_unknown_briefing_is_404_problem(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


def test_since_without_an_earlier_briefing_is_404(client: TestClient) -> None:
    response = client.post("/briefing", json={"since": "last"})
    assert response.status_code == 404
    assert "no earlier briefing" in response.json()["detail"]


def test_chat_as_of_bounds_the_sources(client: TestClient) -> None:
    before = client.post(
        "/chat", json={"message": "What tariff rate does Japan face?", "as_of": "2025-04-01"}
    ).json()
    assert before["abstained"] is True and before["as_of"] == "2025-04-01"
    after = client.post(
        "/chat", json={"message": "What tariff rate does Japan face?", "as_of": "2025-04-16"}
    ).json()
    assert not after["abstained"] and after["as_of"] == "2025-04-16"
    bad = client.post("/chat", json={"message": "Hi", "as_of": "16/04/2025"})
    assert bad.status_code == 422 and "as_of" in bad.json()["detail"]


def test_chat_reports_degraded(client: TestClient) -> None:
    body = client.post("/chat", json={"message": "What tariff rate does Japan face?"}).json()
    assert body["degraded"] is False
