"""HTTP load client, run in its own process by `bench.http_bench` so that it never shares the
server's interpreter (and GIL).

`python -m bench.http_load URL [URL ...] --clients N --requests M --max-seconds T` reads a JSON
list of questions on stdin, POSTs them to URL/chat from N concurrent clients until M requests are
done or T seconds have passed, and prints one JSON object: per-request latencies (s), errors, wall
time. With several URLs the requests go round-robin: request i to URL i mod len(URLs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import httpx


async def _drive(
    urls: list[str], questions: list[str], clients: int, requests: int, max_seconds: float
) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    next_index = 0
    deadline = time.perf_counter() + max_seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal next_index
        while next_index < requests and time.perf_counter() < deadline:
            index, next_index = next_index, next_index + 1
            question, url = questions[index % len(questions)], urls[index % len(urls)]
            started = time.perf_counter()
            try:
                response = await http.post(f"{url}/chat", json={"message": question})
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                    continue
                response.json()
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
                continue
            latencies.append(time.perf_counter() - started)

    pool = clients * len(urls)  # one pool for all URLs: room for a link per client to each
    limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        wall = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "seconds": wall}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_load", description=__doc__)
    parser.add_argument("url", nargs="+", help="base URL(s); several: round-robin")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    questions = json.load(sys.stdin)
    result = asyncio.run(_drive(args.url, questions, args.clients, args.requests, args.max_seconds))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
