"""`/health`: cheap liveness (the process answers). `/ready`: this worker can serve now — its
database and vector store answer — which is what a load balancer routes by."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import AssistantDep
from api.problems import problem
from api.schemas import Health, Ready
from assistant.errors import StoreError

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.api_route("/health", methods=["GET", "HEAD"], response_model=Health)
def health(assistant: AssistantDep) -> Health:
    docs = assistant.documents()
    return Health(status="ok", documents=len(docs), chunks=sum(d.chunk_count for d in docs))


@router.api_route(
    "/ready",
    methods=["GET", "HEAD"],
    response_model=Ready,
    responses={503: {"description": "The database or the vector store does not answer."}},
)
def ready(assistant: AssistantDep) -> Ready | JSONResponse:
    database = assistant.manifest.database
    try:
        database.ping()
    except StoreError as exc:
        return _not_ready("the database does not answer", exc)
    try:
        assistant.store.count()
    except Exception as exc:  # the Chroma client raises its own (and httpx's) errors
        return _not_ready("the vector store does not answer", exc)
    store = "server" if assistant.store.shared else "embedded"
    return Ready(status="ready", database=database.dialect, store=store)


def _not_ready(detail: str, exc: Exception) -> JSONResponse:
    # /ready is open to the load balancer: where and why go to the log, not to the client
    log.warning("not ready: %s: %s", detail, exc)
    response = problem(503, "Not ready", f"{detail}; see the server log.")
    response.headers["Retry-After"] = "5"
    return response
