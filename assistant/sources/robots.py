"""robots.txt, obeyed per RFC 9309 for the User-Agent token `Briefing`.

A 4xx robots.txt means no rules (fetch anything); a 5xx or an unreachable one means "assume
everything is disallowed" for a while. Rules are kept for a day, failures for ten minutes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from assistant.errors import FetchRefused

AGENT = "Briefing"
_KEEP_S = 86_400.0
_KEEP_FAILURE_S = 600.0


class RobotsCache:
    def __init__(
        self,
        fetch: Callable[[str], tuple[int, bytes]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch, self._clock = fetch, clock
        self._rules: dict[str, tuple[float, RobotFileParser | None, bool]] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        """True when the site's robots.txt lets Briefing fetch `url`. FetchRefused when the
        robots.txt itself could not be read (the site is then treated as closed)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._rules.get(origin)
        if cached is None or cached[0] < self._clock():
            cached = self._load(origin)
            with self._lock:
                self._rules[origin] = cached
        _, parser, reachable = cached
        if not reachable:
            raise FetchRefused(
                f"the robots.txt of {parts.hostname} could not be read (the site failed or did "
                "not answer), so Briefing does not fetch from it for now"
            )
        return parser is None or parser.can_fetch(AGENT, url)

    def _load(self, origin: str) -> tuple[float, RobotFileParser | None, bool]:
        status, body = self._fetch(origin + "/robots.txt")
        now = self._clock()
        if status >= 500:
            return now + _KEEP_FAILURE_S, None, False
        if status >= 400 or status != 200:
            return now + _KEEP_S, None, True  # no robots.txt: no rules
        parser = RobotFileParser()
        parser.parse(body.decode("utf-8", "replace").splitlines())
        return now + _KEEP_S, parser, True
