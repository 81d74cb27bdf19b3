"""Write a generated FICTIONAL "scraped news" collection (see `evals.scraped`).

    python -m evals.make_scraped OUT_DIR [--docs 3000] [--questions 300] [--seed 11]
                                         [--syndicated 0.07]

Writes OUT_DIR/corpus.jsonl (`{"id","title","text","published","url","source"}`, one page a
line, about 10 KB of text each), questions.jsonl (the evals/jsonl.py format), labels.jsonl
(`{"doc_id","line","text","kind"}` for every line of the first 40 pages: the label each line
was *built* as, so they are exact ground truth for a "is this line a statement?" classifier)
and traps.jsonl (`{"question_id","trap_text","trap_kind"}`: questions whose best lexical match
in the gold page is not a statement). Every town, person, outlet and figure is invented by a
seeded generator: the same arguments give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from evals.scraped import generate


def _write(path: Path, rows: Iterable[object]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--syndicated", type=float, default=0.07)
    args = parser.parse_args()
    made = generate(args.docs, args.questions, args.seed, args.syndicated)
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "corpus.jsonl", made.corpus)
    _write(args.out / "questions.jsonl", made.questions)
    _write(args.out / "labels.jsonl", made.labels)
    _write(args.out / "traps.jsonl", made.traps)


if __name__ == "__main__":
    main()
