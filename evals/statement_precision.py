"""Precision and recall of "not a statement" on labelled scraped pages.

    python -m evals.statement_precision                # the hand-labelled fixture pages
    python -m evals.statement_precision --generated [--docs 3000] [--seed 11]
                                        # and the labelled pages of a generated collection

A line counts as flagged when none of its sentences is a statement (nothing in it can be
quoted); positives are the lines labelled anything but "statement". The corpus-level signal
(lines a source repeats) is computed from the same pages, as ingest would.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from assistant.intake.chunking import sentence_spans
from assistant.statements import Kind, Page
from assistant.statements.boilerplate import find_boilerplate, line_set, source_key
from assistant.types import Document
from evals.labelled_pages import KINDS, LabelledLine, load_labelled_pages

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "assistant" / "statements" / "fixtures" / "scraped_pages.txt"


@dataclass(frozen=True)
class Verdict:
    label: LabelledLine
    predicted: Kind  # "statement" when some sentence of the line is one, else the first kind


@dataclass(frozen=True)
class Measurement:
    verdicts: tuple[Verdict, ...]

    def _count(self, gold_statement: bool, flagged: bool) -> int:
        return sum(
            1 for v in self.verdicts
            if (v.label.kind == "statement") == gold_statement
            and (v.predicted != "statement") == flagged
        )  # fmt: skip

    @property
    def precision(self) -> float:
        tp, fp = self._count(False, True), self._count(True, True)
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self._count(False, True), self._count(False, False)
        return tp / (tp + fn) if tp + fn else 1.0

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Gold kind → (lines, lines flagged as not a statement)."""
        lines = Counter(v.label.kind for v in self.verdicts)
        flagged = Counter(v.label.kind for v in self.verdicts if v.predicted != "statement")
        return {k: (lines[k], flagged[k]) for k in KINDS if lines[k]}

    def rules(self, kind: str) -> str:
        """Which rule judged the lines of a gold kind: "fragment 5, repeated 2"."""
        counts = Counter(v.predicted for v in self.verdicts if v.label.kind == kind)
        return ", ".join(f"{rule} {n}" for rule, n in counts.most_common())

    def errors(self) -> list[Verdict]:
        return [
            v for v in self.verdicts
            if (v.label.kind == "statement") != (v.predicted == "statement")
        ]  # fmt: skip


def _line_offsets(text: str) -> list[int]:
    offsets, at = [], 0
    for line in text.split("\n"):
        offsets.append(at)
        at += len(line) + 1
    return offsets


def measure(documents: Sequence[Document], labels: Sequence[LabelledLine]) -> Measurement:
    """Judge every labelled line as the assistant would, with the pages' own boilerplate."""
    boilerplate = find_boilerplate((source_key(d), line_set(d.text)) for d in documents)
    by_id = {d.id: d for d in documents}
    pages = {
        d.id: Page(d.text, d.title, repeated=partial(boilerplate.is_repeated, source_key(d)))
        for d in documents
    }
    offsets = {d.id: _line_offsets(d.text) for d in documents}
    verdicts = []
    for label in labels:
        text = by_id[label.doc_id].text
        start = offsets[label.doc_id][label.line]
        line = text.split("\n")[label.line]
        if " ".join(line.split()) != " ".join(label.text.split()):
            raise ValueError(f"{label.doc_id} line {label.line}: label text differs from the page")
        kinds = [pages[label.doc_id].kind(s, e) for s, e in sentence_spans(line, offset=start)]
        predicted: Kind = "statement" if "statement" in kinds else (kinds or ["fragment"])[0]
        verdicts.append(Verdict(label, predicted))
    return Measurement(tuple(verdicts))


def render(name: str, result: Measurement) -> str:
    rows = [f"## {name}", "", "| gold kind | lines | flagged not-a-statement | judged as |",
            "|---|---:|---:|---|"]  # fmt: skip
    for kind, (lines, flagged) in result.by_kind().items():
        rows.append(
            f"| {kind} | {lines} | {flagged} ({flagged / lines:.0%}) | {result.rules(kind)} |"
        )
    rows += [
        "",
        f"not-a-statement precision {result.precision:.3f}, recall {result.recall:.3f} "
        f"over {len(result.verdicts)} lines",
        "",
    ]
    for verdict in result.errors():
        label = verdict.label
        rows.append(f"- {label.kind} → {verdict.predicted}: {label.doc_id}:{label.line} "
                    f"{label.text[:90]!r}")  # fmt: skip
    return "\n".join(rows) + "\n"


def generated(docs: int, seed: int) -> tuple[list[Document], list[LabelledLine]]:
    """A generated scraped collection (`evals.scraped`): every page, and the labelled lines."""
    from evals.scraped import generate

    made = generate(docs, 0, seed)
    documents = [
        Document(
            id=str(r["id"]), title=str(r["title"]), text=str(r["text"]),
            source=str(r["source"]) if r.get("source") else None,
            published=date.fromisoformat(str(r["published"])) if r.get("published") else None,
            url=str(r["url"]) if r.get("url") else None,
        )
        for r in made.corpus
    ]  # fmt: skip
    labels = [
        LabelledLine(str(r["doc_id"]), int(str(r["line"])), str(r["text"]), str(r["kind"]))
        for r in made.labels
    ]
    return documents, labels


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", type=Path, default=FIXTURE, help="hand-labelled pages")
    parser.add_argument("--generated", action="store_true", help="also a generated collection")
    parser.add_argument("--docs", type=int, default=3000, help="pages generated")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    pages = load_labelled_pages(args.fixture)
    sys.stdout.write(render(f"Hand-labelled pages ({args.fixture.name})",
                            measure(pages.documents, pages.labels)))  # fmt: skip
    if args.generated:
        documents, labels = generated(args.docs, args.seed)
        name = f"Generated collection ({args.docs} pages, seed {args.seed}; labelled lines)"
        sys.stdout.write("\n" + render(name, measure(documents, labels)))


if __name__ == "__main__":
    main()
