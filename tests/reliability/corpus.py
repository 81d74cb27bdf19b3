"""Generated corpora for the reliability trials: many small, distinct Markdown documents."""

from __future__ import annotations

import random
from pathlib import Path

_WORDS = (
    "tariff levy steel car export import minister talks deal market rate percent week port "
    "grain chip treaty border quota customs shipment factory union wage budget deficit bank "
    "bond yield currency inflation vote court ruling senate council mayor harbour railway"
).split()


def _paragraphs(rng: random.Random, tag: str) -> list[str]:
    paragraphs = []
    for p in range(rng.randint(1, 4)):
        sentences = [
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 14))).capitalize()
            + f" Item {tag}-{p}-{s} ends here."
            for s in range(rng.randint(1, 5))
        ]
        paragraphs.append(" ".join(sentences))
    return paragraphs


def write_document(folder: Path, number: int, *, revision: int = 0, seed: int = 0) -> Path:
    rng = random.Random(seed * 1_000_003 + number)
    doc_id = f"doc-{number:05d}"
    paragraphs = _paragraphs(rng, str(number))
    if revision:  # an edit of the first paragraph: later chunks keep their text but move
        paragraphs[0] += f" Revision {revision} adds this sentence."
    body = "\n\n".join(paragraphs)
    path = folder / f"{doc_id}.md"
    path.write_text(
        f"---\nid: {doc_id}\ntitle: Report {number} (revision {revision})\n"
        f"published: 2025-04-{1 + number % 28:02d}\n---\n{body}\n",
        encoding="utf-8",
    )
    return path


def generate(folder: Path, count: int, *, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_document(folder, n, seed=seed) for n in range(count)]


def edit_and_delete(
    folder: Path, count: int, *, edit: float = 0.10, delete: float = 0.05, seed: int = 0
) -> tuple[set[str], set[str]]:
    """Rewrite `edit` of the documents and delete `delete` of them: (edited ids, deleted ids)."""
    rng = random.Random(seed + 99)
    numbers = list(range(count))
    rng.shuffle(numbers)
    n_edit, n_delete = round(count * edit), round(count * delete)
    edited, deleted = numbers[:n_edit], numbers[n_edit : n_edit + n_delete]
    for n in edited:
        write_document(folder, n, revision=1, seed=seed)
    for n in deleted:
        (folder / f"doc-{n:05d}.md").unlink()
    return {f"doc-{n:05d}" for n in edited}, {f"doc-{n:05d}" for n in deleted}
