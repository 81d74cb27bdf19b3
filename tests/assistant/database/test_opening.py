"""Which database the settings name: checked early, in words an operator can act on, and never
with the password in a message, a repr or a log line."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.database.engine import Database, normalise_url
from assistant.database.opening import open_database, shared_url
from assistant.errors import ConfigError, StoreError
from tests.conftest import make_settings

SECRET = "hunter2-Sup3rSecret"
CHROMA = "http://127.0.0.1:1"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


def test_unset_means_the_sqlite_files(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    assert shared_url(settings) is None
    db = open_database(settings, "sessions")
    try:
        assert db.dialect == "sqlite" and not db.shared
        assert settings.sessions_path.exists()
    finally:
        db.close()


def test_a_database_url_needs_a_chroma_server(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=f"postgresql://u:{SECRET}@db.example/briefing")
    for attempt in (lambda: shared_url(settings), lambda: open_database(settings, "manifest")):
        with pytest.raises(ConfigError) as raised:
            attempt()
        assert "BRIEFING_CHROMA_URL" in str(raised.value)
        assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://u:{SECRET}@db.example/briefing",
        "sqlite:///x",
        "sqlite:////tmp/state.sqlite3",
        f"mysql+pymysql://u:{SECRET}@db.example:3306/briefing",
        "not a url at all",
        f"postgresql://u:{SECRET}@/briefing",  # no host
        f"postgresql://u:{SECRET}@db.example",  # no database
    ],
)
def test_anything_but_a_postgresql_url_is_refused(tmp_path: Path, url: str) -> None:
    settings = make_settings(tmp_path, database_url=url, chroma_url=CHROMA)
    with pytest.raises(ConfigError) as raised:
        shared_url(settings)
    assert "BRIEFING_DATABASE_URL" in str(raised.value)
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("postgres://u:p@db.example/briefing", "postgresql+psycopg://u:p@db.example/briefing"),
        ("postgresql://u:p@db.example:5433/briefing?sslmode=require",
         "postgresql+psycopg://u:p@db.example:5433/briefing?sslmode=require"),
        ("  postgresql+psycopg://u@10.0.0.5/b  ", "postgresql+psycopg://u@10.0.0.5/b"),
        ("postgresql://u:p%40ss@db.example/briefing",
         "postgresql+psycopg://u:p%40ss@db.example/briefing"),
    ],
)  # fmt: skip
def test_postgresql_urls_are_normalised_for_psycopg(url: str, normal: str) -> None:
    assert normalise_url(url) == normal
    assert sa.make_url(normalise_url(url)).password == sa.make_url(url.strip()).password


def test_settings_name_the_normalised_url(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, database_url=f"postgres://briefing:{SECRET}@db.example:5432/briefing",
        chroma_url=CHROMA,
    )  # fmt: skip
    assert (
        shared_url(settings) == f"postgresql+psycopg://briefing:{SECRET}@db.example:5432/briefing"
    )


def test_the_password_is_not_in_the_settings_repr(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, database_url=f"postgresql://briefing:{SECRET}@db.example/briefing",
        chroma_url=CHROMA,
    )  # fmt: skip
    assert settings.database_url is not None
    assert SECRET in settings.database_url.get_secret_value()
    assert SECRET not in repr(settings) and SECRET not in str(settings)


def test_the_password_is_not_in_where(tmp_path: Path) -> None:
    db = Database(sa.create_engine(f"postgresql+psycopg://briefing:{SECRET}@db.example/briefing"))
    try:
        assert SECRET not in db.where
        assert "db.example" in db.where and "briefing" in db.where
    finally:
        db.engine.dispose()


def test_an_unreachable_server_is_a_store_error_without_the_password(tmp_path: Path) -> None:
    port = closed_port()
    settings = make_settings(
        tmp_path, database_url=f"postgresql://briefing:{SECRET}@127.0.0.1:{port}/briefing",
        chroma_url=CHROMA,
    )  # fmt: skip
    with pytest.raises(StoreError) as raised:
        open_database(settings, "manifest")
    message = str(raised.value)
    assert "cannot reach the database" in message and f"127.0.0.1:{port}" in message
    assert SECRET not in message
    assert raised.value.__cause__ is None or SECRET not in str(raised.value.__cause__)
