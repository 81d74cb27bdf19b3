"""The throwaway PostgreSQL cluster the suite runs against: it starts, each test gets its own
database, it listens on loopback only, and a session's advisory lock dies with its client."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa

from tests.pg_cluster import SUPERUSER, PgCluster

pytestmark = pytest.mark.integration

HOLDER = """
import sys, time, psycopg
conn = psycopg.connect(sys.argv[1], autocommit=True)
conn.execute("SELECT pg_advisory_lock(42)")
print("locked", flush=True)
time.sleep(120)
"""


@contextmanager
def engine(url: str) -> Iterator[sa.Engine]:
    eng = sa.create_engine(url)
    try:
        yield eng
    finally:
        eng.dispose()


def libpq(url: str) -> str:
    """The psycopg conninfo of a SQLAlchemy URL."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def try_lock(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    row = conn.execute("SELECT pg_try_advisory_lock(42)").fetchone()
    assert row is not None
    return bool(row[0])


def test_cluster_starts_with_a_superuser(pg_cluster: PgCluster) -> None:
    with engine(pg_cluster.url) as eng, eng.connect() as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar_one() == SUPERUSER
        assert conn.execute(sa.text("SHOW is_superuser")).scalar_one() == "on"
        assert int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) >= 130000


def test_fresh_databases_are_independent(pg_cluster: PgCluster, pg_url: str) -> None:
    other = f"test_{uuid.uuid4().hex[:12]}"
    other_url = pg_cluster.create_database(other)
    try:
        with engine(pg_url) as eng, eng.begin() as conn:
            conn.execute(sa.text("CREATE TABLE marker (id int)"))
        with engine(pg_url) as eng:
            assert sa.inspect(eng).has_table("marker")
        with engine(other_url) as eng:
            assert not sa.inspect(eng).has_table("marker")
    finally:
        pg_cluster.drop_database(other)


def test_database_from_template_copies_its_tables(pg_cluster: PgCluster, pg_url: str) -> None:
    with engine(pg_url) as eng, eng.begin() as conn:
        conn.execute(sa.text("CREATE TABLE marker (id int)"))
    copy = f"test_{uuid.uuid4().hex[:12]}"
    template = sa.make_url(pg_url).database
    try:
        with engine(pg_cluster.create_database(copy, template=template)) as eng:
            assert sa.inspect(eng).has_table("marker")
    finally:
        pg_cluster.drop_database(copy)


def test_listens_on_loopback_only(pg_url: str) -> None:
    with psycopg.connect(libpq(pg_url)) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        row = conn.execute("SELECT host(inet_server_addr())").fetchone()
        assert row == ("127.0.0.1",)


def test_advisory_lock_is_released_when_its_holder_is_killed(pg_url: str) -> None:
    conninfo = libpq(pg_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, conninfo], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            assert not try_lock(conn), "the lock is held by the other process"
            holder.kill()
            holder.wait(timeout=10)
            deadline = time.monotonic() + 5
            while not try_lock(conn):
                assert time.monotonic() < deadline, "lock not released 5 s after SIGKILL"
                time.sleep(0.05)
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
