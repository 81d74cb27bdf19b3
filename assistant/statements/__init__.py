"""Which source sentences may be quoted as answers or bullets: statements (`shape`, `grammar`,
`boilerplate`, `filter`), never planted instructions or exfiltration links (`injection`).

May import `index` (the manifest, for corpus-wide boilerplate) and the stages below it; never
search, answering or anything above.
"""

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
