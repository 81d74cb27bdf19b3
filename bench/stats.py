"""Latency summaries (percentiles over timings) and process measurements (time, peak RSS)."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LatencyStats:
    """Summary of `n` timings, in milliseconds."""

    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    min_ms: float
    max_ms: float


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), interpolating linearly between ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(seconds: Sequence[float]) -> LatencyStats:
    ms = [s * 1000 for s in seconds]
    return LatencyStats(
        n=len(ms),
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        mean_ms=statistics.fmean(ms),
        min_ms=min(ms),
        max_ms=max(ms),
    )


def current_rss_mb() -> float:
    """This process's resident memory now, in MiB (Linux; 0 elsewhere)."""
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


#: Prepend to a child's `python -c` code: at exit it reports its own peak RSS on stderr. (The
#: kernel's ru_maxrss would count the parent's memory, which the child held until its exec.)
PEAK_RSS_HOOK = (
    "import atexit as _a, sys as _s\n"
    "def _peak():\n"
    "    for _l in open('/proc/self/status'):\n"
    "        if _l.startswith('VmHWM:'):\n"
    "            print('bench-peak-rss-kib', _l.split()[1], file=_s.stderr, flush=True)\n"
    "_a.register(_peak)\n"
)
_PEAK_MARK = "bench-peak-rss-kib "


@dataclass(frozen=True)
class Measured:
    """A finished child process: wall time, exit code, output and peak RSS (0 if unknown)."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float


def run_measured(
    args: Sequence[str], *, env: dict[str, str], cwd: Path, timeout: float, stdin: str = ""
) -> Measured:
    """Run `args` to completion, timed; a child started with `PEAK_RSS_HOOK` reports its peak
    RSS (the report line is taken out of its stderr)."""
    started = time.perf_counter()
    done = subprocess.run(
        args, input=stdin, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
        check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak, lines = 0.0, []
    for line in done.stderr.splitlines():
        if line.startswith(_PEAK_MARK):
            peak = int(line.split()[1]) / 1024
        else:
            lines.append(line)
    return Measured(seconds, done.returncode, done.stdout, "\n".join(lines), peak)
