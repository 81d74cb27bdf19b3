"""Answer and briefing JSON name a cited story's other copies (`also_published_by`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from tests.api.test_app import assert_contract
from tests.conftest import make_settings
from tests.syndicated import COPIES, collection

COPY_IDS = {doc_id for doc_id, _, _ in COPIES}


@pytest.fixture
def syndicated(tmp_path: Path) -> Iterator[tuple[TestClient, Assistant]]:
    assistant = Assistant(make_settings(tmp_path))
    for doc in collection():
        assistant.add_document(doc)
    with TestClient(create_app(assistant.settings, assistant)) as client:
        yield client, assistant
    assistant.close()


def test_chat_citations_list_the_other_copies(
    syndicated: tuple[TestClient, Assistant],
) -> None:
    client, assistant = syndicated
    response = client.post("/chat", json={"message": "How much will the Velmora terminal cost?"})
    assert response.status_code == 200
    body = response.json()
    assert_contract(body, assistant)
    story = [c for c in body["citations"] if c["doc_id"] in COPY_IDS]
    assert story and len({c["doc_id"] for c in story}) == 1
    copies = story[0]["also_published_by"]
    assert {c["doc_id"] for c in copies} == COPY_IDS - {story[0]["doc_id"]}
    assert set(copies[0]) == {"doc_id", "title", "source", "url"}
    others = [c for c in body["citations"] if c["doc_id"] not in COPY_IDS]
    assert all(c["also_published_by"] == [] for c in others)


def test_briefing_sources_list_the_other_copies(
    syndicated: tuple[TestClient, Assistant],
) -> None:
    client, _ = syndicated
    response = client.post("/briefing", json={})
    assert response.status_code == 200
    sources = [s for s in response.json()["sources"] if s["doc_id"] in COPY_IDS]
    assert len(sources) == 1
    assert len(sources[0]["also_published_by"]) == len(COPIES) - 1
