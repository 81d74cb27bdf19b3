"""Fetching a URL a user or a feed named, safely: `Fetcher.get`.

* Addresses are checked where the socket is opened (`_GuardedBackend`, see netguard), for the
  first request, every redirect and robots.txt alike; TLS still verifies the host's name.
* Redirects are followed here, not by httpx, so each hop's scheme and port are checked too.
* Bodies are read as a stream and abandoned past `fetch_max_bytes`; a slow site gets a read
  timeout between bytes and an overall deadline.
* No proxies from the environment (a proxy would be the address we check, not the site's).
* An honest User-Agent, robots.txt obeyed, and at most one request per host per
  `fetch_host_interval` seconds.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx

from assistant.config import Settings
from assistant.errors import FetchFailed, FetchRefused
from assistant.sources.netguard import (
    FetchPolicy,
    Resolver,
    check_url,
    checked_addresses,
    system_resolver,
)
from assistant.sources.robots import RobotsCache

USER_AGENT = "Briefing/0.1 (news briefing assistant; fetches pages its users add; robots: Briefing)"
#: The whole exchange may take this many read timeouts at most (a site dribbling bytes).
_DEADLINE_FACTOR = 3
_REDIRECTS = {301, 302, 303, 307, 308}
_ROBOTS_BYTES = 512 * 1024  # RFC 9309: crawlers must read at least 500 KiB


@dataclass(frozen=True)
class Fetched:
    """A response worth reading: 200 with a body, or 304 (`not_modified`) without one."""

    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    media_type: str  # "text/html", lower-case, without parameters
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks and connects in one step: the address checked is the one dialled."""

    def __init__(self, policy: FetchPolicy, resolve: Resolver) -> None:
        self._policy, self._resolve = policy, resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, self._policy, self._resolve)
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: FetchPolicy, resolve: Resolver) -> None:
        super().__init__(trust_env=False, retries=0)
        # httpx has no parameter for the network backend; its pool (public httpcore API) does.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=20,
            max_keepalive_connections=10,
            network_backend=_GuardedBackend(policy, resolve),
        )


class Fetcher:
    """One client for a process's fetches (pages, PDFs, feeds, robots.txt); thread-safe."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolve: Resolver = system_resolver,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = FetchPolicy.from_settings(settings)
        self._max_bytes = settings.fetch_max_bytes
        self._max_redirects = settings.fetch_max_redirects
        self._timeout = settings.fetch_timeout
        self._interval = settings.fetch_host_interval
        self._clock, self._sleep = clock, sleep
        self._client = httpx.Client(
            transport=_GuardedTransport(self.policy, resolve),
            timeout=httpx.Timeout(settings.fetch_timeout),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            trust_env=False,
        )
        self._next_slot: dict[str, float] = {}
        self._pace_lock = threading.Lock()
        self.robots = RobotsCache(self._get_robots) if settings.fetch_robots else None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        accept: Callable[[str, bytes], bool] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """Fetch `url`. `accept(media_type, first_bytes)` says whether the content is wanted
        (checked before the body is read); `etag`/`last_modified` make the request conditional.

        FetchRefused: the policy or robots.txt forbids it. FetchFailed: anything else.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url.strip()
        for _ in range(self._max_redirects + 1):
            parts = check_url(current, self.policy)
            if self.robots is not None and not self.robots.allowed(current):
                raise FetchRefused(
                    f"robots.txt of {parts.hostname} does not allow Briefing to fetch {current}"
                )
            response = self._request(current, headers, accept)
            if isinstance(response, str):  # a redirect
                current = response
                continue
            return Fetched(url, current, *response)
        raise FetchFailed(f"{url}: more than {self._max_redirects} redirects")

    # -- internals ------------------------------------------------------------------------------
    def _request(
        self, url: str, headers: dict[str, str], accept: Callable[[str, bytes], bool] | None
    ) -> str | tuple[int, str, str | None, bytes, str | None, str | None]:
        """The next URL for a redirect, or (status, media type, charset, body, etag, modified)."""
        self._pace(httpx.URL(url).host)
        deadline = self._clock() + self._timeout * _DEADLINE_FACTOR
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchFailed(f"{url}: redirect ({status}) without a Location")
                    return str(urljoin(url, location))
                etag = response.headers.get("etag")
                modified = response.headers.get("last-modified")
                media_type, charset = _content_type(response.headers.get("content-type", ""))
                if status == 304:
                    return 304, media_type, charset, b"", etag, modified
                if status >= 400:
                    raise FetchFailed(f"{url}: the site answered HTTP {status}")
                if status != 200:
                    raise FetchFailed(f"{url}: unexpected HTTP {status}")
                body = self._read(response, url, deadline, media_type, accept)
                return 200, media_type, charset, body, etag, modified
        except httpx.TimeoutException:
            raise FetchFailed(f"{url}: no answer within {self._timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchFailed(f"{url}: {type(exc).__name__}: {exc}") from None

    def _read(
        self,
        response: httpx.Response,
        url: str,
        deadline: float,
        media_type: str,
        accept: Callable[[str, bytes], bool] | None,
    ) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self._max_bytes:
            raise FetchFailed(
                f"{url}: {int(declared):,} bytes is over the "
                f"{self._max_bytes:,}-byte limit (BRIEFING_FETCH_MAX_BYTES)"
            )
        parts: list[bytes] = []
        size = 0
        checked = accept is None
        for piece in response.iter_bytes():
            parts.append(piece)
            size += len(piece)
            if not checked and size >= 512:
                _check_type(url, media_type, b"".join(parts), accept)
                checked = True
            if size > self._max_bytes:
                raise FetchFailed(
                    f"{url}: more than {self._max_bytes:,} bytes (the limit, "
                    "BRIEFING_FETCH_MAX_BYTES)"
                )
            if self._clock() > deadline:
                raise FetchFailed(
                    f"{url}: the site is too slow (still sending after "
                    f"{self._timeout * _DEADLINE_FACTOR:g} s)"
                )
        body = b"".join(parts)
        if not checked:
            _check_type(url, media_type, body, accept)
        return body

    def _pace(self, host: str) -> None:
        """Wait for this host's next slot: at most one request per `fetch_host_interval`."""
        if self._interval <= 0:
            return
        with self._pace_lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self._interval
        if slot > now:
            self._sleep(slot - now + random.uniform(0, 0.05))

    def _get_robots(self, url: str) -> tuple[int, bytes]:
        """(status, first 512 KiB) of a robots.txt; network trouble reads as 503 (RobotsCache
        then refuses the host for a while, as RFC 9309 asks)."""
        current = url
        for _ in range(self._max_redirects + 1):
            check_url(current, self.policy)
            self._pace(httpx.URL(current).host)
            try:
                with self._client.stream("GET", current) as response:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        current = urljoin(current, location)
                        continue
                    body = b""
                    for piece in response.iter_bytes():
                        body += piece
                        if len(body) >= _ROBOTS_BYTES:
                            break
                    return response.status_code, body[:_ROBOTS_BYTES]
            except httpx.HTTPError:
                return 503, b""
        return 404, b""  # a redirect loop: as if there were no robots.txt


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return media.strip().lower(), charset


def _check_type(
    url: str, media_type: str, head: bytes, accept: Callable[[str, bytes], bool] | None
) -> None:
    if accept is not None and not accept(media_type, head):
        shown = media_type or "no content type"
        raise FetchFailed(f"{url}: {shown} is not a type Briefing reads")
