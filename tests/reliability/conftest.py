"""The heavy trials run only under `make reliability` (BRIEFING_RELIABILITY=1); the normal suite
runs a reduced version of each."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
FULL = os.environ.get("BRIEFING_RELIABILITY") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="heavy trial: run `make reliability`")
    for item in items:
        if item.get_closest_marker("reliability") and not FULL:
            item.add_marker(skip)


def child_env() -> dict[str, str]:
    """The environment for child processes: no BRIEFING_* settings leak in from outside
    (BRIEFING_TEST_* experiment switches do)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BRIEFING_") or k.startswith("BRIEFING_TEST_")
    }
    env["PYTHONPATH"] = str(ROOT)
    return env


def write_report(name: str, figures: dict[str, object]) -> Path:
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / f"reliability-{name}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return path
