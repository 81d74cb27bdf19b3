"""The OpenAPI schema says what the API really does: every error is RFC 9457 problem+json, and
(when a key is set) which routes need it — so clients, Swagger UI's Authorize button and
schema-driven testers (schemathesis) see the truth."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.auth import is_open

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
#: Operations that answer Server-Sent Events when asked to (`"stream": true`).
_STREAMS_TOO = frozenset({("/v1/chat/completions", "post")})


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _PROBLEM_REF}}}  # fmt: skip


def customise(app: FastAPI, *, secured: bool) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas["Problem"] = PROBLEM_SCHEMA
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        if secured:
            components["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            }
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                if (path, method) in _STREAMS_TOO and "200" in responses:
                    responses["200"].setdefault("content", {})["text/event-stream"] = {}
                responses["422"] = _problem("Invalid request fields")
                for code in [c for c in responses if c[0] in "45" and c != "422"]:
                    responses[code] = _problem(responses[code].get("description", "Error"))
                responses.setdefault("4XX", _problem("Client error (problem+json)"))
                responses.setdefault("5XX", _problem("Server error (problem+json)"))
                if secured:
                    operation["security"] = (
                        [] if is_open(path) else [{"bearer": []}, {"apiKey": []}]
                    )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
