"""Browser-test fixtures: a real uvicorn on 127.0.0.1 over a temp corpus (the seed article plus a
hostile document), and Debian's chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from api.app import create_app
from assistant.assistant import Assistant
from tests.conftest import ROOT, make_settings
from tests.servers import running

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
XSS_DOC_ID = "hostile-wire-report"
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
# A .md file whose title, source and text carry markup that must be shown, never run.
XSS_DOCUMENT = f"""---
id: {XSS_DOC_ID}
title: 'Osaka port report {SCRIPT_PAYLOAD} {IMG_PAYLOAD}'
source: '<b>Hostile</b> wire {IMG_PAYLOAD}'
published: 2025-04-17
url: 'javascript:window.__pwned=1'
---
Osaka port report {SCRIPT_PAYLOAD} headline

Port officials in Osaka said the {SCRIPT_PAYLOAD} shipping volumes of soybeans fell in April.
An analyst wrote {IMG_PAYLOAD} that the soybean harbour backlog would clear by June.
"""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`create_app` under a real uvicorn in a thread, on a free port; yields the base URL."""
    settings = make_settings(tmp_path_factory.mktemp("web"))
    (Path(settings.corpus_dir) / "hostile.md").write_text(XSS_DOCUMENT, encoding="utf-8")
    assistant = Assistant(settings)
    report = assistant.ingest()
    assert report.documents_seen == 2 and not report.skipped, report

    try:
        with running(create_app(settings, assistant)) as url:
            yield url
    finally:
        assistant.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        reason = "Debian's chromium is not installed (`make test` installs it)"
        if os.environ.get("CI_REQUIRE_BROWSER"):
            pytest.fail(f"{reason}, and CI_REQUIRE_BROWSER is set")
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageProbe:
    """What a page did besides rendering: dialogs opened, script errors, console errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def open_page(
    browser: Browser, base_url: str, *, width: int = 1280, height: int = 900, **options: Any
) -> tuple[Page, PageProbe]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        locale="en-GB",
        **options,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    probe = PageProbe()

    def on_dialog(dialog: Any) -> None:
        probe.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: probe.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            probe.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    return page, probe


@pytest.fixture
def page_probe(browser: Browser, live_server: str) -> Iterator[tuple[Page, PageProbe]]:
    """A fresh desktop-sized page (own context: empty sessionStorage) and its probe."""
    page, probe = open_page(browser, live_server)
    yield page, probe
    page.context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
