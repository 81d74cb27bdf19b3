"""`POST /documents {"urls": [...]}` and `GET /documents` origins, over a real store and a
fixture web site on 127.0.0.1 (trusted by address and port; every other private address is
refused as by default)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.assistant import Assistant
from tests.assistant.intake.articles import QUAY, TARIFF
from tests.conftest import SEED_DOC_ID, make_settings
from tests.fixture_site import FixtureSite, fixture_site

PROBLEM = "application/problem+json"


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with fixture_site() as s:
        yield s


def _client(tmp_path: Path, **settings: object) -> Iterator[TestClient]:
    assistant = Assistant(make_settings(tmp_path, fetch_host_interval=0.0, **settings))
    assistant.ingest()
    with TestClient(create_app(assistant.settings, assistant)) as client:
        yield client
    assistant.close()


@pytest.fixture
def client(tmp_path: Path, site: FixtureSite) -> Iterator[TestClient]:
    port = site.server_address[1]
    yield from _client(tmp_path, fetch_ports=(80, 443, port),
                       fetch_trusted_addresses=(f"127.0.0.1:{port}",))  # fmt: skip


@pytest.fixture
def default_client(tmp_path: Path) -> Iterator[TestClient]:
    """Default fetch policy: nothing internal at all."""
    yield from _client(tmp_path)


def test_urls_are_added_with_one_result_each(client: TestClient, site: FixtureSite) -> None:
    site.page("/quay", QUAY)
    site.page("/tariff", TARIFF)
    urls = [site.url("/quay"), site.url("/tariff"), site.url("/gone"), "http://192.168.1.1/"]
    response = client.post("/documents", json={"urls": urls})
    assert response.status_code == 201
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["added", "added", "failed", "refused"]
    assert [r["url"] for r in results] == urls
    assert results[0]["detected"] == "html" and results[0]["title"].startswith("Port of Vellmar")
    assert "HTTP 404" in results[2]["reason"] and "private network" in results[3]["reason"]
    again = client.post("/documents", json={"urls": [site.url("/quay")]})
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "unchanged"

    listed = {d["id"]: d for d in client.get("/documents").json()}
    assert listed[results[0]["id"]]["origin"]["kind"] == "url"
    assert listed[results[0]["id"]]["origin"]["detail"] == site.url("/quay")
    assert listed[SEED_DOC_ID]["origin"] == {"kind": "file", "detail":
                                             "trump-japan-trade-talks.md",
                                             "added_at": None}  # fmt: skip
    answer = client.post("/chat", json={"message": "What is Orland's new steel tariff?"}).json()
    assert "9 percent" in answer["answer"]
    assert answer["citations"][0]["doc_id"] == results[1]["id"]


def test_an_uploaded_file_is_listed_as_an_upload(client: TestClient) -> None:
    files = {"file": ("notes.md", b"# Notes\n\nThe ferry to Oskarholm resumed service.\n")}
    doc = client.post("/documents", files=files).json()
    listed = {d["id"]: d for d in client.get("/documents").json()}
    assert listed[doc["id"]]["origin"]["kind"] == "upload"
    assert listed[doc["id"]]["origin"]["detail"] == "notes.md"
    client.delete(f"/documents/{doc['id']}")
    assert doc["id"] not in {d["id"] for d in client.get("/documents").json()}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://[::1]/", "http://10.1.2.3/", "http://172.16.0.1/",
        "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/",
        "http://localhost/", "http://[::ffff:127.0.0.1]/", "file:///etc/passwd",
        "http://news.example:6379/",
    ],
)  # fmt: skip
def test_internal_urls_are_refused_by_default_with_a_problem(
    default_client: TestClient, url: str
) -> None:
    response = default_client.post("/documents", json={"urls": [url]})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["title"] == "Fetch refused"
    assert url in body["detail"] or url.rstrip("/") in body["detail"]
    assert body["results"][0]["status"] == "refused" and body["results"][0]["reason"]


def test_the_fixture_site_itself_is_refused_without_trust(
    tmp_path: Path, site: FixtureSite
) -> None:
    site.page("/quay", QUAY)
    for client in _client(tmp_path, fetch_ports=(site.server_address[1],)):
        response = client.post("/documents", json={"urls": [site.url("/quay")]})
        assert response.status_code == 403 and "loopback" in response.json()["detail"]
    assert site.requests == []


def test_a_redirect_to_a_private_address_is_refused(client: TestClient, site: FixtureSite) -> None:
    site.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    response = client.post("/documents", json={"urls": [site.url("/go")]})
    assert response.status_code == 403
    assert "link-local" in response.json()["detail"]


def test_failures_only_are_a_422_problem(client: TestClient, site: FixtureSite) -> None:
    response = client.post("/documents", json={"urls": [site.url("/gone")]})
    assert response.status_code == 422 and response.json()["title"] == "Fetch failed"


@pytest.mark.parametrize(
    "payload",
    [{"urls": []}, {"urls": "http://x.example/"}, {"urls": ["u"] * 21},
     {"urls": ["http://x.example/"], "title": "extra"}],
)  # fmt: skip
def test_malformed_url_requests_are_422(default_client: TestClient, payload: object) -> None:
    response = default_client.post("/documents", json=payload)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
