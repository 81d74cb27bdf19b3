"""Real servers on 127.0.0.1 for integration tests: Briefing under uvicorn, and a scripted
stand-in for an OpenAI-compatible LLM server."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI

from tests.fakes import passage_number

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.config import Settings


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """`app` under a real uvicorn in a thread, on a free port; yields the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # the server takes this socket over: no port race
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serving_corpus(settings: Settings) -> Iterator[tuple[str, Assistant]]:
    """An assistant on `settings` with its corpus ingested, served by `running`; closed after."""
    from api.app import create_app
    from assistant.assistant import Assistant

    assistant = Assistant(settings)
    try:
        assistant.ingest()
        with running(create_app(settings, assistant)) as url:
            yield url, assistant
    finally:
        assistant.close()


def _good(prompt: str) -> str:
    n = passage_number(prompt, "24%")
    return f"Japan faces a 24% levy on its exports to the United States, paused for 90 days [{n}]."


SCRIPTS = {
    "good": _good,
    "bad_marker": lambda prompt: "Japan faces a 24% levy on its exports [42].",
    "wrong_number": lambda prompt: f"Japan faces a 34% levy [{passage_number(prompt, '24%')}].",
    "not_in_sources": lambda prompt: "NOT IN SOURCES",
}


class ScriptedLLM(ThreadingHTTPServer):
    """Answers each POST /v1/chat/completions with the next scripted behaviour."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedLLM

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        # the client may give up first (its timeout): exactly what some scripts test
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(request)
        behaviour = self.server.script.pop(0) if self.server.script else "good"
        prompt = request["messages"][-1]["content"]
        if behaviour == "timeout":
            time.sleep(self.server.delay)
            behaviour = "good"
        if behaviour == "error500":
            self._send(500, b'{"error": {"message": "boom", "type": "server_error"}}')
            return
        if behaviour == "junk":
            self._send(200, b"this is not json {")
            return
        text = SCRIPTS[behaviour](prompt)
        if request.get("stream"):
            self._stream(text)
            return
        body = {
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }  # fmt: skip
        self._send(200, json.dumps(body).encode())

    def _stream(self, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = re.findall(r"\S+\s*", text)
        for n, piece in enumerate(pieces):
            delta = {"content": piece} if n else {"role": "assistant", "content": piece}
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "test",
                     "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}  # fmt: skip
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        end = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "test",
               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}  # fmt: skip
        self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
        self.wfile.flush()


@contextmanager
def scripted_llm() -> Iterator[ScriptedLLM]:
    server = ScriptedLLM()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
