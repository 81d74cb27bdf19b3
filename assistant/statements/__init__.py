"""Which source sentences are statements, and so may be quoted as answers or bullets."""

from assistant.statements.filter import CorpusStatements, ShapeStatements, StatementFilter
from assistant.statements.shape import Kind, Page, sentence_kind

__all__ = [
    "CorpusStatements",
    "Kind",
    "Page",
    "ShapeStatements",
    "StatementFilter",
    "sentence_kind",
]
