from __future__ import annotations

from fastapi import APIRouter

from api.deps import AssistantDep
from api.schemas import DocumentOut, DocumentText
from assistant.serialize import document_info_to_dict

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=list[DocumentOut])
def list_documents(assistant: AssistantDep) -> list[DocumentOut]:
    """Ingested documents with metadata and chunk counts."""
    return [DocumentOut(**document_info_to_dict(i)) for i in assistant.documents()]


@router.get("/documents/{doc_id}", response_model=DocumentText)
def get_document(doc_id: str, assistant: AssistantDep) -> DocumentText:
    """One document's full text: citation offsets index into `text`."""
    document = assistant.document(doc_id)  # unknown id: NotFound → 404
    info = next(i for i in assistant.documents() if i.id == doc_id)
    return DocumentText(**document_info_to_dict(info), text=document.text)
