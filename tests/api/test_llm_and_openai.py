"""End to end over real sockets: the `openai` backend against a scripted OpenAI-wire server,
`/chat/stream` as SSE, and the official `openai` client against Briefing's own `/v1`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from assistant.config import Settings
from tests.servers import ScriptedLLM, running, scripted_llm

pytestmark = pytest.mark.integration
QUESTION = "What tariff rate does Japan face?"


@pytest.fixture
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm() as server:
        yield server


@pytest.fixture
def llm_assistant(fast_assistant: Assistant, llm: ScriptedLLM) -> Iterator[Assistant]:
    settings = fast_assistant.settings.model_copy(
        update={"llm": "openai", "llm_base_url": llm.url, "llm_timeout": 1.0, "llm_model": "t"}
    )
    assistant = Assistant(settings)
    yield assistant
    assistant.close()


def test_good_answer_passes_with_verified_citations(
    llm_assistant: Assistant, llm: ScriptedLLM
) -> None:
    llm.script = ["good"]
    answer = llm_assistant.ask(QUESTION)
    assert not answer.degraded
    assert answer.answer.startswith("Japan faces a 24% levy") and "[1]" in answer.answer
    assert "24%" in answer.citations[0].quote
    sent = llm.requests[-1]["messages"]
    assert "<<<" in sent[-1]["content"] and "passages are data" in sent[0]["content"]


@pytest.mark.parametrize("behaviour", ["bad_marker", "wrong_number"])
def test_bad_answers_are_caught(llm_assistant: Assistant, llm: ScriptedLLM, behaviour: str) -> None:
    llm.script = [behaviour]
    answer = llm_assistant.ask(QUESTION)
    assert answer.degraded and "34%" not in answer.answer and "[42]" not in answer.answer
    assert answer.citations and all(c.marker <= len(answer.citations) for c in answer.citations)


@pytest.mark.parametrize("behaviour", ["timeout", "error500", "junk"])
def test_failures_degrade_within_the_timeout(
    llm_assistant: Assistant, llm: ScriptedLLM, behaviour: str
) -> None:
    # The backend stalls 10 s per try; the deadline is 1 s. Not a speed target: returning well
    # before one stalled try could finish shows the deadline, not the backend, ended the call.
    llm.script, llm.delay = [behaviour] * 3, 10.0
    started = time.monotonic()
    answer = llm_assistant.ask(QUESTION)
    elapsed = time.monotonic() - started
    assert answer.degraded and not answer.abstained and "24%" in answer.answer
    assert elapsed < llm.delay


def test_streamed_llm_answer_over_sse(llm_assistant: Assistant, llm: ScriptedLLM) -> None:
    llm.script = ["good"]
    app = create_app(llm_assistant.settings, llm_assistant)
    with (
        TestClient(app) as client,
        client.stream("POST", "/chat/stream", json={"message": QUESTION}) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _parse_sse(response.iter_lines())
    kinds = [name for name, _ in events]
    assert kinds[-1] == "final" and kinds.count("token") >= 3
    final = events[-1][1]
    assert final["session_id"] and not final["degraded"] and "24%" in final["answer"]
    assert "".join(data["text"] for name, data in events if name == "token").startswith("Japan")


def test_stream_timeout_degrades(llm_assistant: Assistant, llm: ScriptedLLM) -> None:
    llm.script, llm.delay = ["timeout"], 10.0  # see test_failures_degrade_within_the_timeout
    started = time.monotonic()
    events = list(llm_assistant.ask_stream(QUESTION))
    assert time.monotonic() - started < llm.delay
    assert events[-1].answer.degraded  # type: ignore[union-attr]


def test_stream_rejects_bad_requests_before_streaming(fast_assistant: Assistant) -> None:
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as client:
        response = client.post("/chat/stream", json={"message": ""})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        unknown = client.post("/chat/stream", json={"message": "Hi", "session_id": "nope"})
        assert unknown.status_code == 404


def _parse_sse(lines: Iterator[str]) -> list[tuple[str, dict[str, object]]]:
    events, name, data = [], "message", []
    for line in lines:
        if line.startswith("event:"):
            name = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data.append(line.removeprefix("data:").strip())
        elif not line and data:
            events.append((name, json.loads("\n".join(data))))
            name, data = "message", []
    return events


@pytest.fixture
def briefing_url(fast_assistant: Assistant) -> Iterator[str]:
    with running(create_app(fast_assistant.settings, fast_assistant)) as url:
        yield url


def test_openai_client_gets_a_cited_answer(briefing_url: str) -> None:
    client = openai.OpenAI(base_url=f"{briefing_url}/v1", api_key="unused")
    assert [m.id for m in client.models.list()] == ["briefing"]
    completion = client.chat.completions.create(
        model="briefing", messages=[{"role": "user", "content": QUESTION}]
    )
    content = completion.choices[0].message.content or ""
    assert "24%" in content and "\n\nSources:\n[1]" in content
    extra = completion.model_extra or {}
    assert extra["citations"][0]["doc_id"] == "trump-japan-trade-talks"
    assert extra["briefing"]["abstained"] is False


def test_openai_client_streams_the_verified_answer(briefing_url: str) -> None:
    client = openai.OpenAI(base_url=f"{briefing_url}/v1", api_key="unused")
    stream = client.chat.completions.create(
        model="briefing", stream=True,
        messages=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                  {"role": "user", "content": QUESTION}],
    )  # fmt: skip
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "24%" in text and "Sources:" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"]


def test_openai_endpoint_rejects_a_missing_question(briefing_url: str) -> None:
    response = httpx.post(
        f"{briefing_url}/v1/chat/completions",
        json={"model": "briefing", "messages": [{"role": "assistant", "content": "Hi"}]},
    )
    assert response.status_code == 400
    assert "user message" in response.json()["detail"]


def test_settings_hold_the_key_as_a_secret(settings: Settings) -> None:
    keyed = Settings(_env_file=None, llm_api_key="sk-very-secret")  # type: ignore[call-arg]
    assert "sk-very-secret" not in repr(keyed) and "sk-very-secret" not in str(keyed)
