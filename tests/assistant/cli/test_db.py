"""`briefing db upgrade | status`: the SQLite files of a data directory, and a shared PostgreSQL
database (driven in-process with Typer's CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result

from assistant.database.migrate import HEAD
from assistant.errors import ConfigError
from tests.assistant.cli.test_commands import Run, dirs, run  # noqa: F401  (fixtures)

FILES = ("manifest.sqlite3", "sessions.sqlite3", "briefings.sqlite3", "intake.sqlite3")


def said(result: Result) -> str:
    """The output as one line: Rich wraps long lines to the terminal width."""
    return " ".join(result.output.split())


def lines_with(result: Result, needle: str) -> int:
    return said(result).count(needle)


# -- SQLite files in the data directory -----------------------------------------------------------
def test_upgrade_creates_the_files_then_finds_them_up_to_date(
    run: Run,  # noqa: F811
    dirs: tuple[Path, Path],  # noqa: F811
) -> None:
    _, data = dirs
    status = run("db", "status")
    assert status.exit_code == 1, "nothing there yet: behind"
    assert lines_with(status, "revision none") == 4 and not data.exists()

    first = run("db", "upgrade")
    assert first.exit_code == 0, (first.output, first.exception)
    assert sorted(p.name for p in data.glob("*.sqlite3")) == sorted(FILES)
    for name in FILES:
        assert f"{data / name}: created" in said(first)
    assert "up to date" not in said(first)

    second = run("db", "upgrade")
    assert second.exit_code == 0
    assert lines_with(second, ": up to date") == 4 and "created" not in said(second)

    status = run("db", "status")
    assert status.exit_code == 0, status.output
    assert lines_with(status, f"revision {HEAD} — up to date") == 4


def test_status_names_a_file_that_is_behind(
    run: Run,  # noqa: F811
    dirs: tuple[Path, Path],  # noqa: F811
) -> None:
    _, data = dirs
    assert run("db", "upgrade").exit_code == 0
    engine = sa.create_engine(f"sqlite:///{data / 'sessions.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    status = run("db", "status")
    assert status.exit_code == 1
    assert f"{data / 'sessions.sqlite3'}: revision 0001 — behind (needs {HEAD})" in said(status)
    assert lines_with(status, "up to date") == 3
    assert run("db", "upgrade").exit_code == 0
    assert run("db", "status").exit_code == 0, "upgrade brought it to the head"


# -- a shared PostgreSQL database -----------------------------------------------------------------
@pytest.fixture
def shared(pg_url: str, monkeypatch: pytest.MonkeyPatch, dirs: tuple[Path, Path]) -> str:  # noqa: F811
    """The CLI's settings name a fresh database (with a password its trust auth ignores)."""
    url = sa.make_url(pg_url).set(password="hunter2-secret").render_as_string(hide_password=False)
    monkeypatch.setenv("BRIEFING_DATABASE_URL", url)
    monkeypatch.setenv("BRIEFING_CHROMA_URL", "http://127.0.0.1:1")
    return url


def test_a_shared_database_is_behind_until_upgraded(
    run: Run,  # noqa: F811
    shared: str,
    dirs: tuple[Path, Path],  # noqa: F811
) -> None:
    _, data = dirs
    status = run("db", "status")
    assert status.exit_code == 1
    assert "revision none — behind" in said(status)

    first = run("db", "upgrade")
    assert first.exit_code == 0, (first.output, first.exception)
    assert f"empty → revision {HEAD}" in said(first)
    second = run("db", "upgrade")
    assert second.exit_code == 0
    assert f"already at revision {HEAD}" in said(second)

    status = run("db", "status")
    assert status.exit_code == 0
    assert f"revision {HEAD} — up to date" in said(status)
    for result in (first, second, status):
        assert "hunter2-secret" not in result.output
        assert sa.make_url(shared).host in result.output  # type: ignore[operator]
    assert not list(data.glob("*.sqlite3")), "no SQLite files beside a shared database"


def test_a_shared_database_without_a_chroma_server_is_refused(
    run: Run,  # noqa: F811
    shared: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BRIEFING_CHROMA_URL")
    for command in ("upgrade", "status"):
        result = run("db", command)
        assert result.exit_code != 0
        assert isinstance(result.exception, ConfigError)
        assert "BRIEFING_CHROMA_URL" in str(result.exception)
