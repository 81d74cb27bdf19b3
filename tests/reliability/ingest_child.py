"""`python -m tests.reliability.ingest_child DATA_DIR CORPUS_DIR`: ingest with the hashing
embedder, printing `ready`, `progress DONE TOTAL` lines and `done` (for kill -9 trials)."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import Settings


def main() -> None:
    data, corpus = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(_env_file=None, data_dir=data, corpus_dir=corpus, embeddings="hashing")
    assistant = Assistant(settings)
    print("ready", flush=True)
    report = assistant.ingest(
        [corpus], progress=lambda done, total: print(f"progress {done} {total}", flush=True)
    )
    print(f"done {report.chunks_written} {report.chunks_deleted}", flush=True)
    assistant.close()


if __name__ == "__main__":
    main()
