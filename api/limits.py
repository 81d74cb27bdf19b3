"""Bounds on every API request: body size, rate, concurrency and time. Pure ASGI middleware
(no response buffering, so streaming endpoints keep streaming).

* `BodyLimit` — a declared or streamed body over the limit is a 413 before the handler sees it
  (`POST /documents` gets `max_upload_bytes` plus room for the multipart framing).
* `RateLimit` — a token bucket per client (the API key when a valid one is sent, else the peer
  IP; `X-Forwarded-For` is not trusted): 429 with `Retry-After`. In memory, or in the shared
  database (`assistant.database.buckets`) so the limit holds across workers and hosts.
* `Concurrency` — at most `max_concurrent_requests` API requests run at once; the rest wait up
  to `queue_timeout` (then 503 with `Retry-After`). A request that has not started its response
  after `request_timeout` gets a 504; its worker thread still holds its slot until it ends, so
  slow requests can never pile up beyond the limit.

The web page, its assets, the API docs, /health and /ready are not limited (they are static or
cheap, and health checks must answer under load).
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.paths import is_public
from api.problems import problem

log = logging.getLogger(__name__)

UPLOAD_PATH = "/documents"
MULTIPART_ALLOWANCE = 64 * 1024
_MAX_CLIENTS = 10_000


def is_limited(path: str) -> bool:
    """True for API routes (everything but the page, its assets, the docs and /health)."""
    return not is_public(path)


async def _send_problem(
    scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str,
    headers: dict[str, str] | None = None,
) -> None:  # fmt: skip
    response = problem(status, title, detail)
    response.headers.update(headers or {})
    await response(scope, receive, send)


class _BodyTooLarge(HTTPException):
    """Raised from `receive`: FastAPI passes HTTPExceptions on (→ 413 problem) unchanged."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is over the {limit:,}-byte limit.")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes + MULTIPART_ALLOWANCE

    def limit_for(self, scope: Scope) -> int:
        if scope["path"] == UPLOAD_PATH and scope["method"] == "POST":
            return self.upload_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send, limit)

    @staticmethod
    async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await _send_problem(
            scope, receive, send, 413, "Request too large",
            f"The request body is over the {limit:,}-byte limit.",
        )  # fmt: skip


class Buckets(Protocol):
    def take(self, client: str) -> float: ...


class TokenBuckets:
    """Per-client token buckets: `rate` tokens a second, up to `burst`; least recent evicted."""

    def __init__(
        self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0.0 when the request may go ahead, else the seconds until it may."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > _MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


class RateLimit:
    def __init__(self, app: ASGIApp, buckets: Buckets, client_key: Callable[[Scope], str]) -> None:
        self.app = app
        self.buckets = buckets
        self.client_key = client_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = self.client_key(scope)
        if getattr(self.buckets, "blocking", False):  # shared buckets: a database round trip
            wait = await asyncio.to_thread(self.buckets.take, client)
        else:
            wait = self.buckets.take(client)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            await _send_problem(
                scope, receive, send, 429, "Too many requests",
                f"Rate limit exceeded; try again in {retry} s.", {"Retry-After": str(retry)},
            )  # fmt: skip
            return
        await self.app(scope, receive, send)


class Concurrency:
    def __init__(
        self, app: ASGIApp, slots: int, queue_timeout: float, request_timeout: float
    ) -> None:
        self.app = app
        self.slots = slots
        self.queue_timeout = queue_timeout
        self.request_timeout = request_timeout
        self._semaphores: dict[int, asyncio.Semaphore] = {}

    def _semaphore(self) -> asyncio.Semaphore:
        # one per event loop (test clients run several loops over one app)
        loop = id(asyncio.get_running_loop())
        if loop not in self._semaphores:
            self._semaphores[loop] = asyncio.Semaphore(self.slots)
        return self._semaphores[loop]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope["path"]):
            await self.app(scope, receive, send)
            return
        semaphore = self._semaphore()
        try:
            async with asyncio.timeout(self.queue_timeout):  # no lost permits, unlike wait_for
                await semaphore.acquire()
        except TimeoutError:
            await _send_problem(
                scope, receive, send, 503, "Server busy",
                "Too many requests are being handled; try again shortly.", {"Retry-After": "1"},
            )  # fmt: skip
            return
        started = False
        abandoned = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if abandoned:  # the client already has its 504
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        task.add_done_callback(lambda _: semaphore.release())
        done, _ = await asyncio.wait({task}, timeout=self.request_timeout)
        if done or started:
            await task  # finished, or streaming: a stream has no overall deadline
            return
        abandoned = True
        task.add_done_callback(_consume)
        await _send_problem(
            scope, receive, send, 504, "Request timed out",
            f"The server did not answer within {self.request_timeout:g} s.",
        )  # fmt: skip


def _consume(task: asyncio.Future[None]) -> None:
    """Retrieve an abandoned request's outcome so it is never reported as unhandled."""
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("a timed-out request failed later: %s", type(exc).__name__)
