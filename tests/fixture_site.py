"""A fixture web site on 127.0.0.1 for intake tests: pages, feeds, PDFs, redirects, slow and
huge responses, ETag/Last-Modified, all scripted per test.

    with fixture_site() as site:   # from tests.fixture_site
        site.page("/a", "<html>…</html>")                       # 200 text/html
        site.route("/feed", body, "application/rss+xml", etag='"v1"')
        site.redirect("/old", "/a")
        site.url("/a")                                          # http://127.0.0.1:PORT/a

Every request is recorded in `site.requests` (method, path, headers), so a test can check the
User-Agent, conditional GET headers or that a refused URL was never requested.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answered with 304 when the request's If-None-Match matches
    last_modified: str | None = None  # answered with 304 when If-Modified-Since equals it
    delay: float = 0.0  # seconds before the first byte
    stream_bytes: int = 0  # > 0: send this many bytes in 64 KiB pieces instead of `body`
    declare_length: bool = True  # False: no Content-Length (the client must count)
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None  # full control


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]


class FixtureSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes | str = b"", content_type: str = "text/html; "
              "charset=utf-8", **options: object) -> Route:  # fmt: skip
        raw = body.encode("utf-8") if isinstance(body, str) else body
        route = Route(body=raw, content_type=content_type, **options)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def page(self, path: str, html: str, **options: object) -> Route:
        return self.route(path, html, "text/html; charset=utf-8", **options)

    def redirect(self, path: str, target: str, status: int = 302) -> Route:
        return self.route(path, b"", "text/plain", status=status, headers={"Location": target})

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path.split("?")[0] == path)

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


class _Handler(BaseHTTPRequestHandler):
    server: FixtureSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        self.server.record(Request(self.command, self.path, dict(self.headers.items())))
        route = self.server.routes.get(self.path) or self.server.routes.get(self.path.split("?")[0])
        if route is None:
            self._send(404, b"not found", "text/plain", {}, head)
            return
        if route.handler is not None:
            route.handler(self)
            return
        if route.delay:
            time.sleep(route.delay)
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        fresh = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        )
        if fresh:
            self._send(304, b"", route.content_type, validators, head)
            return
        headers = {**route.headers, **validators}
        if route.stream_bytes:
            self._stream(route, headers)
            return
        self._send(route.status, route.body, route.content_type, headers, head,
                   declare_length=route.declare_length)  # fmt: skip

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str],
              head: bool, *, declare_length: bool = True) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if declare_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _stream(self, route: Route, headers: dict[str, str]) -> None:
        """A huge response: `stream_bytes` of filler, sent piece by piece until the client
        hangs up (a client with a size cap stops reading long before the end)."""
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if route.declare_length:
            self.send_header("Content-Length", str(route.stream_bytes))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        piece = b"<p>" + b"x" * (65_536 - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < route.stream_bytes:
                chunk = piece[: route.stream_bytes - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what a size cap should do


@contextmanager
def fixture_site() -> Iterator[FixtureSite]:
    site = FixtureSite()
    thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)  # fmt: skip
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
        thread.join(timeout=5)
