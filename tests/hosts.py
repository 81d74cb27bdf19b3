"""Real processes on 127.0.0.1 for integration tests and benchmarks: a Chroma server, and
Briefing "hosts" — `briefing serve` process groups, each with its own data directory, that
share only what the settings point them at (a Chroma server, a PostgreSQL database)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent


class ProcessFailed(RuntimeError):
    """A server died or did not answer in time (the message holds its log's tail)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll `url` until it answers 200; ProcessFailed with the log if it dies or times out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ProcessFailed(f"process exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise ProcessFailed(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session, with its children (uvicorn workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextmanager
def chroma_running(root: Path) -> Iterator[str]:
    """A Chroma server (`chroma run`, shipped with chromadb) on a free port; its URL."""
    root.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), root / "chroma.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(VENV_BIN / "chroma"), "run", "--path", str(root / "db"),
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def base_env(**settings: str) -> dict[str, str]:
    """This environment without any BRIEFING_* setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(settings)
    return env


class Host:
    """One `briefing serve` process group with its own data directory ("a host")."""

    def __init__(self, name: str, root: Path, env: dict[str, str], *, workers: int = 1) -> None:
        self.name, self.workers = name, workers
        self.data_dir = root / name
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.data_dir.parent / f"{name}.log"
        self.env = {**env, "BRIEFING_DATA_DIR": str(self.data_dir)}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.commands: list[subprocess.Popen[bytes]] = []

    def start(self, *extra: str, wait: float = 120) -> Host:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "briefing"), "serve", "--workers", str(self.workers),
                 "--port", str(self.port), *extra],
                env=self.env, cwd=self.data_dir, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for(f"{self.url}/ready", wait, self.process, self.log)
        return self

    def run(self, *args: str, **popen: object) -> subprocess.Popen[bytes]:
        """A `briefing` command on this host (killed with it)."""
        process = subprocess.Popen(  # type: ignore[call-overload]
            [str(VENV_BIN / "briefing"), *args], env=self.env, cwd=self.data_dir,
            start_new_session=True, **popen,
        )  # fmt: skip
        self.commands.append(process)
        return process  # type: ignore[no-any-return]

    def kill(self) -> None:
        """kill -9 the whole host: the server, its workers and the commands it runs."""
        for process in [self.process, *self.commands]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def stop(self) -> None:
        for process in [self.process, *self.commands]:
            if process is not None:
                stop(process)


def call(url: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
