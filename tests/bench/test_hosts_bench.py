"""The two-host benchmark drives real processes (PostgreSQL, a Chroma server, two `briefing serve`
hosts); nothing here asserts a timing, only that both runs were measured and make sense."""

from __future__ import annotations

import os

import pytest

from bench import hosts_bench
from bench.hosts_bench import run_hosts_bench, to_markdown_lines
from tests.conftest import SEED_CORPUS

QUESTIONS = [
    "What tariff rate does Japan face?",
    "What about cars?",
    "Who leads the talks?",
    "What did Japan offer?",
    "When is the deadline?",
    "What tariff applies to steel?",
]


@pytest.mark.integration
def test_one_host_then_two_hosts_are_measured() -> None:
    result = run_hosts_bench(
        SEED_CORPUS, QUESTIONS, clients=4, requests=20, embeddings="hashing", max_seconds=60
    )
    if result.skipped:
        if os.environ.get("CI") or os.environ.get("CI_REQUIRE_POSTGRES"):
            pytest.fail(f"{result.skipped} (CI is set: not skipping)")
        pytest.skip(result.skipped)
    assert result.documents == 1 and result.chunks > 1
    assert result.one_host is not None and result.two_hosts is not None
    for run in (result.one_host, result.two_hosts):
        assert (run.requests, run.errors, run.first_error) == (20, 0, "")
        assert run.requests_per_s > 0 and run.latency.p95_ms >= run.latency.p50_ms > 0
    assert result.ratio == pytest.approx(
        result.two_hosts.requests_per_s / result.one_host.requests_per_s
    )
    assert result.cpu_count >= 1 and result.cpu_flags and result.start_with_ingest_s > 0
    text = "\n".join(to_markdown_lines(result))
    assert "| 1 host | 4 | 20 | 0 |" in text and "| 2 hosts | 4 | 20 | 0 |" in text
    assert "CPU caps" in text


def test_without_postgresql_it_reports_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hosts_bench, "find_pg_bin", lambda: None)
    result = run_hosts_bench(SEED_CORPUS, QUESTIONS, clients=2, requests=5, embeddings="hashing")
    assert "no PostgreSQL server binaries" in result.skipped
    assert result.one_host is None and result.two_hosts is None and result.ratio is None
    assert "Skipped: no PostgreSQL" in "\n".join(to_markdown_lines(result))
    assert "Not run (`--hosts-requests 0`)" in "\n".join(to_markdown_lines(None))
