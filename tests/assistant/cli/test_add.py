"""`briefing add`: URLs from a fixture site and local files, one line per outcome, exit 1 when
anything could not be added."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.assistant.cli.test_commands import Run, dirs, run, squash  # noqa: F401  (fixtures)
from tests.assistant.intake.articles import QUAY
from tests.fixture_site import FixtureSite, fixture_site


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch, dirs: tuple[Path, Path]) -> Iterator[FixtureSite]:  # noqa: F811
    with fixture_site() as s:
        port = s.server_address[1]
        monkeypatch.setenv("BRIEFING_FETCH_PORTS", f"80,{port}")
        monkeypatch.setenv("BRIEFING_FETCH_TRUSTED_ADDRESSES", f"127.0.0.1:{port}")
        monkeypatch.setenv("BRIEFING_FETCH_HOST_INTERVAL", "0")
        yield s


def test_add_urls_and_files_then_ask(run: Run, site: FixtureSite, tmp_path: Path) -> None:  # noqa: F811
    site.page("/quay", QUAY)
    note = tmp_path / "notes.md"
    note.write_text("# Notes\n\nThe Oskarholm ferry resumed service on 2 December.\n")
    result = run("add", site.url("/quay"), str(note))
    assert result.exit_code == 0, result.output
    text = squash(result.stdout)
    assert "addedhttp://127.0.0.1" in text and "PortofVellmarreopensthenorthquay" in text
    assert squash("added " + str(note)) in text
    answer = run("ask", "How much did the north quay repairs cost?")
    assert "14 million crowns" in answer.stdout


def test_add_exits_1_and_says_why(run: Run, site: FixtureSite) -> None:  # noqa: F811
    site.page("/quay", QUAY)
    result = run("add", "--json", site.url("/quay"), "http://10.0.0.1/", site.url("/gone"))
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [r["status"] for r in rows] == ["added", "refused", "failed"]
    assert "internal networks" in rows[1]["reason"] and "HTTP 404" in rows[2]["reason"]
