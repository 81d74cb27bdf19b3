"""The web page's HTTP side (no browser): `/` is the page, assets are served, every response
carries the security headers, and /docs keeps working under its own relaxed policy."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.web import WEB_DIR
from assistant.assistant import Assistant


@pytest.fixture
def client(fast_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(fast_assistant.settings, fast_assistant)) as test_client:
        yield test_client


def test_root_serves_the_page_with_a_strict_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="static/app.js">' in response.text
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_static_assets_are_served(client: TestClient) -> None:
    script = client.get("/static/app.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "content-security-policy" in script.headers
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")
    assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"
    missing = client.get("/static/nope.js")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_api_responses_carry_the_headers_too(client: TestClient) -> None:
    for response in (client.get("/health"), client.get("/documents/nope")):
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_chat_stream_the_page_reads_carries_the_headers(client: TestClient) -> None:
    """The page's chat streams through the same middleware: headers added, frames intact."""
    with client.stream(
        "POST", "/chat/stream", json={"message": "What tariff rate does Japan face?"}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        text = "".join(response.iter_text())
    names = re.findall(r"^event: (\w+)$", text, flags=re.MULTILINE)
    assert names[0] == "token" and names[-1] == "final" and names.count("final") == 1
    assert client.get("/static/sse.js").headers["content-type"].startswith("text/javascript")


def test_docs_get_a_relaxed_policy_only_there(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    csp = docs.headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in csp and "'unsafe-inline'" in csp
    assert "frame-ancestors 'none'" in csp
    assert client.get("/redoc").status_code == 200
    assert "cdn.jsdelivr.net" not in client.get("/").headers["content-security-policy"]


def test_briefing_html_export_gets_a_script_free_policy(client: TestClient) -> None:
    briefing = client.post("/briefing", json={}).json()
    export = client.get(f"/briefing/{briefing['id']}.html")
    assert export.status_code == 200
    csp = export.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'unsafe-inline'" in csp
    assert "script-src" not in csp  # falls back to default-src 'none': no script at all
    json_csp = client.get(f"/briefing/{briefing['id']}").headers["content-security-policy"]
    assert "unsafe-inline" not in json_csp


def test_page_has_no_inline_script_style_or_external_resources() -> None:
    """What the strict CSP and offline use need, checked on the source files."""
    for path in sorted(WEB_DIR.iterdir()):
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?://", text), path.name
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, path.name
        if path.suffix == ".html":
            assert "<script>" not in text and "<style" not in text and " style=" not in text
            assert not re.search(r"\son[a-z]+\s*=", text)  # no onclick= and the like
