"""Another process holding a writer lock — another writer, or another host for all the lock
can tell: `python -m tests.lock_holder DATA_DIR [DATABASE_URL CHROMA_URL COLLECTION]` claims
the lock those settings pick, prints `held`, and keeps it until stdin closes or it is killed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def holding(*args: str) -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.lock_holder", *args], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def main() -> None:
    from assistant.config import Settings
    from assistant.database.locking import WriterLock

    data_dir, *shared = sys.argv[1:]
    if shared:
        url, chroma, collection = shared
        settings = Settings(_env_file=None, data_dir=Path(data_dir), database_url=url,
                            chroma_url=chroma, chroma_collection=collection)  # type: ignore[call-arg]  # fmt: skip
        WriterLock.for_settings(settings).claim("briefing ingest")
    else:
        WriterLock(Path(data_dir)).claim("briefing ingest")
    print("held", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
