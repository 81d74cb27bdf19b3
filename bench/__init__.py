"""Performance benchmarks: ingest throughput, ask latency and cold CLI start.

Run with `python -m bench` (or `make bench`); reports go to `reports/bench.json` and `.md`.
Timings are wall-clock on whatever machine runs them: compare runs on the same machine only.
"""
