"""A throwaway PostgreSQL cluster for the test suite: Debian's server binaries (`postgresql`),
a fresh data directory, 127.0.0.1 on a free port, trust auth, durability off for speed.

`initdb` refuses to run as root, so as root every server command runs as the `postgres` account
(`runuser -u postgres`), in a directory under /tmp that account owns (pytest's own tmp dirs are
mode 700 under /tmp/pytest-of-root/, which it cannot traverse).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

SUPERUSER = "briefing"
SERVICE_ACCOUNT = "postgres"
START_TIMEOUT_S = 30


class PgClusterError(RuntimeError):
    """The cluster could not be created or started; the message carries the server's log."""


def find_pg_bin() -> Path | None:
    """The server binaries' folder: `pg_config --bindir`, else the newest /usr/lib/postgresql/*."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if bindir and (Path(bindir) / "initdb").is_file():
            return Path(bindir)
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    return max(found, key=_version, default=None)


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(text: str, chars: int = 3000) -> str:
    return text[-chars:]


class PgCluster:
    """One postmaster on 127.0.0.1:`port`, superuser `briefing`, data in a private temp dir."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = 0
        self.root: Path | None = None
        self._as_service = os.geteuid() == 0

    @property
    def data_dir(self) -> Path:
        assert self.root is not None, "cluster not started"
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        assert self.root is not None, "cluster not started"
        return self.root / "server.log"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the maintenance database `postgres`."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def conninfo(self, name: str = "postgres") -> str:
        """The libpq URI (for psycopg.connect) of database `name`."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        """initdb into a fresh temp dir, then `pg_ctl start -w`; raise PgClusterError on failure."""
        self.root = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
        try:
            if self._as_service:
                try:
                    account = pwd.getpwnam(SERVICE_ACCOUNT)
                except KeyError:
                    raise PgClusterError(
                        f"initdb refuses root and there is no `{SERVICE_ACCOUNT}` account to use"
                    ) from None
                os.chown(self.root, account.pw_uid, account.pw_gid)
            self._initdb()
            for attempt in range(3):  # the free port may be taken before the server binds it
                self.port = _free_port()
                try:
                    self._pg_ctl_start()
                    break
                except PgClusterError as error:
                    if "Address already in use" not in str(error) or attempt == 2:
                        raise
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            raise

    def stop(self) -> None:
        """`pg_ctl stop -m immediate` (no checkpoint: the data is thrown away), remove the dir."""
        if self.root is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run(["pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w"])
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def create_database(self, name: str, template: str | None = None) -> str:
        """CREATE DATABASE `name` (optionally from `template`); its SQLAlchemy URL."""
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        self._execute(statement)
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE IF EXISTS `name` WITH (FORCE): open connections are terminated."""
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(statement)

    def _initdb(self) -> None:
        result = self._run(
            ["initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
             "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"],
        )  # fmt: skip
        if result.returncode != 0:
            raise PgClusterError(f"initdb failed ({result.returncode}):\n{_tail(result.stdout)}")

    def _pg_ctl_start(self) -> None:
        self.log_path.unlink(missing_ok=True)  # pg_ctl -l appends: keep only this attempt's log
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self._run(
            ["pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_path),
             "-w", "-t", str(START_TIMEOUT_S), "-o", options],
        )  # fmt: skip
        if result.returncode != 0:
            log = self.log_path.read_text() if self.log_path.exists() else "(no server log)"
            raise PgClusterError(
                f"PostgreSQL did not start on 127.0.0.1:{self.port} ({result.returncode}):\n"
                f"{_tail(result.stdout)}\n--- server log ---\n{_tail(log)}"
            )

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self._as_service:
            command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
        return subprocess.run(
            command, cwd=self.root, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, check=False,
            timeout=START_TIMEOUT_S + 30,
        )  # fmt: skip


@contextlib.contextmanager
def running_cluster(bin_dir: Path | None = None) -> Iterator[PgCluster]:
    """A started cluster, stopped and removed on exit; PgClusterError if there are no binaries."""
    bin_dir = bin_dir or find_pg_bin()
    if bin_dir is None:
        raise PgClusterError(
            "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
        )
    cluster = PgCluster(bin_dir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
