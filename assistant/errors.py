"""Errors raised by the library.

BriefingError
├── ConfigError          settings that cannot work (bad model path, bad directory)
├── DocumentError        a file or record that cannot be loaded (empty, binary, malformed)
├── IngestError          ingest could not complete
├── StoreError           the vector store failed
├── ProviderError        an embedding/LLM provider failed
├── InvalidQuestion      empty or oversized question
├── UnknownSession       a session id that was never issued
└── NotFound             an unknown document or briefing id

The API maps each to one HTTP status in a single handler; the CLI prints the message.
"""


class BriefingError(Exception):
    """Base of every error the library raises on purpose."""


class ConfigError(BriefingError):
    pass


class DocumentError(BriefingError):
    pass


class IngestError(BriefingError):
    pass


class StoreError(BriefingError):
    pass


class ProviderError(BriefingError):
    pass


class InvalidQuestion(BriefingError):
    pass


class UnknownSession(BriefingError):
    pass


class NotFound(BriefingError):
    pass
