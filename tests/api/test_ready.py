"""`GET /ready`: 200 while this worker's database and vector store answer, else a 503 a load
balancer routes around — open like /health, never limited, and telling the client nothing about
where the state lives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import StoreError

PROBLEM = "application/problem+json"
KEY = "s3cret-key-for-tests-0123456789"


def app_with(assistant: Assistant, **overrides: Any) -> TestClient:
    settings = Settings(**{**assistant.settings.model_dump(), "_env_file": None, **overrides})
    return TestClient(create_app(settings, assistant), raise_server_exceptions=False)


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with app_with(fast_assistant) as test_client:
        yield test_client


def secrets_of(assistant: Assistant) -> list[str]:
    """What must never reach a client: where the state lives."""
    settings = assistant.settings
    return [str(settings.data_dir), str(settings.manifest_path), "manifest.sqlite3",
            assistant.manifest.database.where]  # fmt: skip


def assert_not_ready(response: Any, assistant: Assistant) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert int(response.headers["retry-after"]) > 0
    body: dict[str, Any] = response.json()
    assert body["status"] == 503 and body["title"] == "Not ready"
    for secret in secrets_of(assistant):
        assert secret not in response.text
    assert "Traceback" not in response.text
    return body


def test_ready_with_the_sqlite_files_and_the_embedded_store(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "sqlite", "store": "embedded"}


def test_ready_needs_no_key_when_the_api_has_one(fast_assistant: Assistant) -> None:
    with app_with(fast_assistant, api_key=KEY) as keyed:
        assert keyed.get("/documents").status_code == 401, "the key is enforced"
        assert keyed.get("/ready").status_code == 200
        assert keyed.get("/ready", headers={"Authorization": "Bearer wrong"}).status_code == 200


def test_ready_is_not_rate_limited(fast_assistant: Assistant) -> None:
    with app_with(fast_assistant, rate_limit_per_minute=1, rate_limit_burst=1) as limited:
        assert limited.get("/documents").status_code == 200
        assert limited.get("/documents").status_code == 429, "the limit is on"
        assert all(limited.get("/ready").status_code == 200 for _ in range(5))


def test_a_database_that_does_not_answer_is_a_503(
    client: TestClient, fast_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = fast_assistant.manifest.database.where

    def down() -> None:
        raise StoreError(f"cannot reach the database at {where}: disk I/O error")

    monkeypatch.setattr(fast_assistant.manifest.database, "ping", down)
    body = assert_not_ready(client.get("/ready"), fast_assistant)
    assert "database" in body["detail"] and "disk I/O" not in body["detail"]
    assert client.get("/health").status_code == 200, "alive, only not ready"


def test_a_database_error_after_connecting_is_a_503(
    client: TestClient, fast_assistant: Assistant
) -> None:
    # connected, then the query fails: the file's connection is gone under the pool
    database = fast_assistant.manifest.database
    database.engine.raw_connection().dbapi_connection.close()  # type: ignore[union-attr]
    assert_not_ready(client.get("/ready"), fast_assistant)
    assert client.get("/ready").status_code == 200, "the pool replaced the lost connection"


def test_a_store_that_does_not_answer_is_a_503(
    client: TestClient, fast_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> int:
        raise ConnectionError(f"chroma at {fast_assistant.settings.store_dir} is gone")

    monkeypatch.setattr(fast_assistant.store, "count", down)
    body = assert_not_ready(client.get("/ready"), fast_assistant)
    assert "vector store" in body["detail"]
    assert str(fast_assistant.settings.store_dir) not in body["detail"]


def test_ready_again_once_the_database_answers(
    client: TestClient, fast_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = fast_assistant.manifest.database

    def down() -> None:
        raise StoreError("away")

    with monkeypatch.context() as patch:
        patch.setattr(database, "ping", down)
        assert client.get("/ready").status_code == 503
    assert client.get("/ready").status_code == 200
