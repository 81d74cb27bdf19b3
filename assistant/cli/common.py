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
    """The settings, or `ConfigError` naming each bad variable (not pydantic's traceback)."""
    from pydantic import ValidationError

    from assistant.config import get_settings
    from assistant.errors import ConfigError

    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"BRIEFING_{'_'.join(str(p) for p in e['loc']).upper()} "
            f"{str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(f"bad setting: {problems}") from None


def open_assistant(settings: Settings | None = None) -> Assistant:
    from assistant.assistant import Assistant
    from assistant.errors import ConfigError

    settings = settings or load_settings()
    with out.errors.status("Loading the embedding model and store…"):
        try:
            return Assistant(settings)
        except OSError as exc:  # a data dir that is a file, or under /proc: say which
            raise ConfigError(
                f"cannot use the data directory {settings.data_dir} "
                f"(BRIEFING_DATA_DIR): {exc.strerror or exc}"
            ) from None


def ingest_with_progress(
    assistant: Assistant, paths: list[Path] | None, quiet: bool = False
) -> IngestReport:
    with out.progress_bar("documents", quiet=quiet) as update:
        report = assistant.ingest(paths, progress=update)
    if not quiet:
        out.print_ingest(report)
    return report
