from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from api.deps import AssistantDep, IntakeDep
from api.intake_schemas import AddedOut, AddResultOut, OriginOut, UrlsIn
from api.problems import problem
from api.schemas import DocumentChangeOut, DocumentIn, DocumentOut, DocumentText
from assistant.index.uploaded import Uploaded
from assistant.intake.uploads import Upload
from assistant.serialize import document_info_to_dict
from assistant.sources.adding import AddResult
from assistant.sources.origins import Origin

router = APIRouter(tags=["documents"])

_FIELDS = ("id", "title", "published", "source", "url")
_MULTIPART_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "Text, Markdown (YAML front matter), HTML, PDF or .docx; the "
                                "type is read from the content, never the file name."},
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},
        "title": {"type": "string", "maxLength": 500},
        "published": {"type": "string", "format": "date"},
        "source": {"type": "string", "maxLength": 500},
        "url": {"type": "string", "pattern": r"^https?://[^\s]+$", "maxLength": 2000},
    },
}  # fmt: skip
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.get("/documents", response_model=list[DocumentOut])
def list_documents(intake: IntakeDep) -> list[DocumentOut]:
    """Ingested documents with metadata, chunk counts and where each came from."""
    return [
        DocumentOut(**document_info_to_dict(info), origin=_origin(origin))
        for info, origin in intake.documents()
    ]


def _origin(origin: Origin) -> OriginOut:
    return OriginOut(kind=origin.kind, detail=origin.detail, added_at=origin.added_at)


@router.get("/documents/{doc_id}", response_model=DocumentText)
def get_document(doc_id: str, assistant: AssistantDep) -> DocumentText:
    """One document's full text: citation offsets index into `text`."""
    document = assistant.document(doc_id)  # unknown id: NotFound → 404
    info = next(i for i in assistant.documents() if i.id == doc_id)
    return DocumentText(**document_info_to_dict(info), text=document.text)


def _validated(fields: dict[str, Any]) -> DocumentIn:
    try:
        return DocumentIn.model_validate(fields)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None


def _invalid(field: str, kind: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": ("body", field), "msg": message}])


async def _read_upload(request: Request) -> tuple[Upload, bool] | UrlsIn:
    """(the upload, whether it is a literal JSON text) from a JSON or multipart body; or the
    URLs to fetch, from a JSON body `{"urls": [...]}`."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        body = await request.body()
        try:
            if isinstance(data := json.loads(body), dict) and "urls" in data:
                return UrlsIn.model_validate(data)
        except (ValueError, RecursionError):
            pass  # malformed or too deeply nested: reported by the document model below
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        try:
            payload = DocumentIn.model_validate_json(body)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        fields = payload.model_dump(exclude={"text"})
        return Upload(content=payload.text.encode("utf-8", "surrogatepass"), **fields), True
    if kind != "multipart/form-data":
        raise HTTPException(415, "Send JSON (application/json) or a file (multipart/form-data).")
    async with request.form(max_files=1, max_fields=len(_FIELDS)) as form:
        file = form.get("file")
        if file is None:
            raise _invalid("file", "missing", "Field required")
        for name in form:
            if name not in (*_FIELDS, "file"):
                raise _invalid(name, "extra_forbidden", "Extra inputs are not permitted")
        values = {k: v for k in _FIELDS if isinstance(v := form.get(k), str) and v.strip()}
        checked = _validated({"title": "-", "text": "-", **values})
        if isinstance(file, UploadFile):
            content, filename = await file.read(), file.filename
        else:  # sent without a file name (`curl -F file=<notes.txt`): a plain field
            content, filename = file.encode("utf-8", "surrogatepass"), None
    upload = Upload(
        content=content, filename=filename, id=checked.id, title=values.get("title"),
        published=checked.published, source=checked.source, url=checked.url,
    )  # fmt: skip
    return upload, False


def _out(result: Uploaded) -> DocumentChangeOut:
    c = result.change
    return DocumentChangeOut(
        id=c.id, status=c.status, chunks_written=c.chunks_written,
        chunks_deleted=c.chunks_deleted, chunk_count=c.chunk_count,
        detected=result.kind, stored_as=result.stored_as,
    )  # fmt: skip


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentChangeOut | AddedOut,
    response_model_exclude_none=True,
    responses={
        200: {"model": DocumentChangeOut | AddedOut, "description": "Updated (or unchanged)."},
        **dict.fromkeys((403, 409, 413, 415, 422), _PROBLEM),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [DocumentIn.model_json_schema(), UrlsIn.model_json_schema()]
                    }
                },
                "multipart/form-data": {"schema": _MULTIPART_SCHEMA},
            },
        }
    },
)
async def add_document(
    request: Request, response: Response, assistant: AssistantDep, intake: IntakeDep
) -> DocumentChangeOut | AddedOut | JSONResponse:
    """Add or replace a document: JSON `{"title", "text", "id"?, "published"?, "source"?,
    "url"?}`, a multipart upload (`file`, plus the same fields optionally; text, Markdown,
    HTML, PDF or .docx), or JSON `{"urls": [...]}` to fetch pages, PDFs or Word files. Written
    like any ingest (only new chunks; crash-safe); 201 when something was added, 200 when
    updated or unchanged. URLs get one result each; when none could be added the answer is a
    problem (403 when every URL was refused, else 422) that lists the results."""
    read = await _read_upload(request)
    if isinstance(read, UrlsIn):
        results = await run_in_threadpool(intake.add, read.urls)
        return _added(results, response)
    upload, literal = read
    limit = request.app.state.settings.max_upload_bytes  # the body limit leaves framing room
    if len(upload.content) > limit:
        raise HTTPException(413, f"The document is {len(upload.content):,} bytes; the limit is "
                                 f"{limit:,} (BRIEFING_MAX_UPLOAD_BYTES).")  # fmt: skip
    result = await run_in_threadpool(
        assistant.upload, upload, literal=literal, same_file=intake.same_file(upload.filename)
    )
    intake.origins.record(result.change.id, Origin("upload", upload.filename))
    if result.change.status != "added":
        response.status_code = 200
    return _out(result)


def _added(results: list[AddResult], response: Response) -> AddedOut | JSONResponse:
    out = AddedOut(results=[
        AddResultOut(url=r.target, status=r.status, id=r.doc_id, title=r.title,
                     detected=r.kind, canonical_url=r.url, chunks_written=r.chunks_written,
                     reason=r.reason)
        for r in results
    ])  # fmt: skip
    if not any(r.ok for r in results):
        refused = all(r.status == "refused" for r in results)
        reasons = "; ".join(f"{r.target}: {r.reason}" for r in results)
        return problem(403 if refused else 422, "Fetch refused" if refused else "Fetch failed",
                       reasons, results=out.model_dump(exclude_none=True)["results"])  # fmt: skip
    response.status_code = 201 if any(r.status == "added" for r in results) else 200
    return out


@router.delete(
    "/documents/{doc_id}",
    response_model=DocumentChangeOut,
    response_model_exclude_none=True,
    responses={404: _PROBLEM},
)
def delete_document(doc_id: str, assistant: AssistantDep, intake: IntakeDep) -> DocumentChangeOut:
    """Remove a document and its chunks. A document from the corpus folder comes back at the
    next `briefing ingest` unless its file is removed too."""
    c = assistant.remove_document(doc_id)  # unknown id: NotFound → 404
    intake.remove(doc_id)
    return DocumentChangeOut(
        id=c.id, status=c.status, chunks_written=0, chunks_deleted=c.chunks_deleted,
        chunk_count=0,
    )  # fmt: skip
