"""Rate-limit token buckets in the shared database, so a client's limit holds across every
worker on every host (in-process buckets would give it one limit per worker).

The database's clock refills the buckets, so hosts whose clocks disagree still agree on a
client's tokens. When the database cannot be reached the request is let through (and logged):
an outage of the limiter must not become an outage of the API.
"""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa

from assistant.database.engine import Database
from assistant.database.schema import rate_buckets
from assistant.errors import StoreError

log = logging.getLogger(__name__)

_NOW = sa.select(sa.extract("epoch", sa.func.clock_timestamp()))
_SWEEP_EVERY = 1_000  # takes between deletions of buckets idle long enough to be full again


class SharedTokenBuckets:
    """`TokenBuckets`' contract (`take(client)` → seconds to wait) over `rate_buckets`."""

    blocking = True  # a database round trip: callers in an event loop run it in a thread

    def __init__(self, db: Database, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._db = db
        self._takes = 0
        self._count_lock = threading.Lock()

    def take(self, client: str) -> float:
        """0.0 when the request may go ahead, else the seconds until it may."""
        try:
            wait = self._take(client)
        except (StoreError, sa.exc.DBAPIError) as exc:
            log.warning("rate limit not applied: the database did not answer (%s)", exc)
            return 0.0
        with self._count_lock:
            self._takes += 1
            sweep = self._takes % _SWEEP_EVERY == 0
        if sweep:
            self._sweep()
        return wait

    def _take(self, client: str) -> float:
        with self._db.write() as conn:
            now = float(conn.execute(_NOW).scalar_one())
            conn.execute(
                self._db.insert(rate_buckets)
                .values(client=client, tokens=self.burst, stamp=now)
                .on_conflict_do_nothing(index_elements=["client"])
            )
            tokens, stamp = conn.execute(
                sa.select(rate_buckets.c.tokens, rate_buckets.c.stamp)
                .where(rate_buckets.c.client == client)
                .with_for_update()
            ).one()
            tokens = min(self.burst, tokens + max(0.0, now - stamp) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            conn.execute(
                rate_buckets.update()
                .where(rate_buckets.c.client == client)
                .values(tokens=tokens, stamp=now)
            )
        return wait

    def _sweep(self) -> None:
        full_after = self.burst / self.rate if self.rate else 0.0
        try:
            with self._db.write() as conn:
                now = float(conn.execute(_NOW).scalar_one())
                conn.execute(rate_buckets.delete().where(rate_buckets.c.stamp < now - full_after))
        except (StoreError, sa.exc.DBAPIError) as exc:
            log.warning("could not sweep idle rate-limit buckets: %s", exc)
