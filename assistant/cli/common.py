"""What every sub-command shares: the settings, the assistant, and an ingest with a progress bar.

Here rather than in `commands`, so that the sub-commands (`add`, `db`, `evaluate`, `feeds`,
`serve`, `serving`) import it without importing the main app that registers them. Heavy imports
stay inside the functions: `briefing --help` must not load the model or the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli import output as out

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.config import Settings
    from assistant.types import IngestReport


def load_settings() -> Settings:
    from assistant.config import get_settings

    return get_settings()


def open_assistant(settings: Settings | None = None) -> Assistant:
    from assistant.assistant import Assistant

    with out.errors.status("Loading the embedding model and store…"):
        return Assistant(settings or load_settings())


def ingest_with_progress(
    assistant: Assistant, paths: list[Path] | None, quiet: bool = False
) -> IngestReport:
    with out.progress_bar("documents", quiet=quiet) as update:
        report = assistant.ingest(paths, progress=update)
    if not quiet:
        out.print_ingest(report)
    return report
