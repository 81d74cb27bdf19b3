"""Ids of uploads sent without one: only an explicit id (or the same file sent again) replaces a
document; a derived id another document holds goes to the new content with a suffix."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant

STEEL = b"Ostland set a 12% levy on steel imports on Monday.\n\nMills welcomed the levy.\n"
GRAIN = b"Ostland cut its grain quota to 40,000 tonnes.\n\nFarmers protested the cut.\n"


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as test_client:
        yield test_client


def send(client: TestClient, name: str, content: bytes, **fields: str) -> dict[str, object]:
    response = client.post("/documents", files={"file": (name, content, "text/plain")},
                           data=fields)  # fmt: skip
    assert response.status_code in (200, 201), response.text
    body: dict[str, object] = response.json()
    return body


def texts(client: TestClient) -> dict[str, str]:
    ids = [d["id"] for d in client.get("/documents").json()]
    return {i: client.get(f"/documents/{i}").json()["text"] for i in ids}


def test_two_files_whose_names_give_one_id_are_both_kept(client: TestClient) -> None:
    assert send(client, "report.txt", STEEL)["id"] == "report"
    second = send(client, "report.md", GRAIN)
    assert (second["id"], second["status"]) == ("report-2", "added")
    stored = texts(client)
    assert "12% levy" in stored["report"] and "40,000 tonnes" in stored["report-2"]


def test_names_that_lose_every_letter_do_not_collide(client: TestClient) -> None:
    first, second = send(client, "日本語.txt", STEEL), send(client, "報告.txt", GRAIN)
    assert first["id"] != second["id"]
    assert {first["id"], second["id"]} <= set(texts(client))


def test_json_uploads_with_one_title_are_both_kept(client: TestClient) -> None:
    for text in ("Ostland set a 12% levy on steel.", "Ostland cut its grain quota."):
        response = client.post("/documents", json={"title": "Statement", "text": text})
        assert response.status_code == 201, response.text
    stored = texts(client)
    assert {"statement", "statement-2"} <= set(stored)


def test_the_same_file_sent_again_updates_it(client: TestClient) -> None:
    send(client, "levy.txt", STEEL)
    again = send(client, "levy.txt", STEEL.replace(b"12%", b"15%"))
    assert (again["id"], again["status"]) == ("levy", "updated")
    assert send(client, "levy.txt", STEEL.replace(b"12%", b"15%"))["status"] == "unchanged"
    assert "levy-2" not in texts(client)


def test_an_explicit_id_replaces(client: TestClient) -> None:
    send(client, "levy.txt", STEEL)
    replaced = send(client, "other-name.txt", GRAIN, id="levy")
    assert (replaced["id"], replaced["status"]) == ("levy", "updated")
    assert "40,000 tonnes" in texts(client)["levy"]
