"""schemathesis against the app's own OpenAPI schema, in-process: generated requests to every
operation (valid and invalid bodies, odd parameters, uploads) must never get a 5xx, and every
response must match what the schema documents (status, content type, body, headers).

The checks that judge how strictly *inputs* are validated (`positive_data_acceptance`,
`negative_data_rejection`) are left out: the API deliberately answers 400 to an empty question
the schema cannot express, and pydantic accepts some lax inputs (a number as a date).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402

from api.app import create_app  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from tests.conftest import make_settings  # noqa: E402

FULL = os.environ.get("BRIEFING_RELIABILITY") == "1"
EXAMPLES = 150 if FULL else 10
EXCLUDED = [positive_data_acceptance, negative_data_rejection]


@pytest.fixture
def api_schema(tmp_path: Path) -> Iterator[Any]:
    assistant = Assistant(make_settings(tmp_path))
    assistant.ingest()
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(assistant.settings, assistant))
    assistant.close()


def _fuzz(strategy: Any, name: str, cases: dict[str, int]) -> None:
    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)  # fmt: skip
    def run(case: Any) -> None:
        cases[name] += 1
        case.call_and_validate(excluded_checks=EXCLUDED)

    run()


def test_no_server_errors_and_responses_match_the_schema(api_schema: Any) -> None:
    cases: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        name = f"{operation.method.upper()} {operation.path}"
        cases[name] = 0
        _fuzz(operation.as_strategy(), name, cases)
    assert len(cases) >= 15 and all(cases.values()), cases
    if FULL:
        report = Path(__file__).resolve().parents[2] / "reports" / "reliability-schemathesis.json"
        report.parent.mkdir(exist_ok=True)
        figures = {"cases": sum(cases.values()), "operations": len(cases), "per_operation": cases,
                   "server_errors": 0, "schema_violations": 0}  # fmt: skip
        report.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nschemathesis: {figures['cases']} cases over {len(cases)} operations, all passed")
