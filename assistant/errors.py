"""Errors raised by the library.

BriefingError
├── ConfigError          settings that cannot work (bad model path, bad directory)
├── DocumentError        a file or record that cannot be loaded (empty, binary, malformed)
│   └── FetchFailed      a URL that could not be fetched or read (timeout, HTTP error, type, size)
├── FetchRefused         a URL the fetch policy forbids (private address, scheme, port, robots)
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


class FetchFailed(DocumentError):
    """The site did not deliver a usable document; the message says why (never a local path)."""


class FetchRefused(BriefingError):
    """Fetching this URL is not allowed: the server is no proxy into private networks."""


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
