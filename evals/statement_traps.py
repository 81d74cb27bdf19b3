"""End to end: do answers over a generated scraped collection quote its lexical traps?

    python -m evals.statement_traps [--docs 300] [--questions 300] [--seed 11]
                                    [--embeddings hashing]  # default: your settings

`evals.scraped` names, for some questions, the line of the gold page that best matches the
question's words but is not a statement (a subhead, the title, a caption, boilerplate). Each
trap question is asked twice over the same store: with the statement filter, and letting every
sentence through (the answerer before the filter). Reported: answers quoting the trap line,
answers containing a gold answer, abstentions.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import Settings, get_settings
from assistant.types import Answer, Passage


class _AllowAll:
    def is_statement(self, passage: Passage, start: int, end: int) -> bool:
        return True


@dataclass(frozen=True)
class TrapScore:
    asked: int
    quoted_trap: int
    answered: int  # a gold answer is in the answer text
    abstained: int


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _score(answers: list[tuple[Answer, str, list[str]]]) -> TrapScore:
    quoted = sum(
        1 for a, trap, _ in answers
        if any(_norm(c.quote) and _norm(c.quote) in _norm(trap) for c in a.citations)
    )  # fmt: skip
    answered = sum(
        1 for a, _, gold in answers
        if not a.abstained and any(g.lower() in a.answer.lower() for g in gold)
    )  # fmt: skip
    return TrapScore(len(answers), quoted, answered, sum(a.abstained for a, _, _ in answers))


def _gold(question: dict[str, object]) -> list[str]:
    answers = question.get("answers")
    return [str(a) for a in answers] if isinstance(answers, list) else []


def run(settings: Settings, docs: int, questions: int, seed: int) -> dict[str, TrapScore]:
    """{"filtered": …, "unfiltered": …} over a fresh store of a generated collection."""
    from evals.scraped import generate

    made = generate(docs, questions, seed)
    traps = {str(t["question_id"]): str(t["trap_text"]) for t in made.traps}
    asked = [q for q in made.questions if str(q["id"]) in traps]
    with tempfile.TemporaryDirectory(prefix="briefing-traps-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in made.corpus), encoding="utf-8")
        store = settings.model_copy(
            update={"data_dir": Path(tmp) / "data", "corpus_dir": Path(tmp), "chroma_url": None}
        )
        assistant = Assistant(store)
        try:
            assistant.ingest([corpus])
            results = {}
            for name in ("filtered", "unfiltered"):
                if name == "unfiltered":
                    assistant.answerer.statements = _AllowAll()
                answers = [
                    (assistant.ask(str(q["question"])), traps[str(q["id"])], _gold(q))
                    for q in asked
                ]
                results[name] = _score(answers)
            return results
        finally:
            assistant.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--embeddings", help="override BRIEFING_EMBEDDINGS")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.embeddings:
        settings = settings.model_copy(update={"embeddings": args.embeddings})
    results = run(settings, args.docs, args.questions, args.seed)
    rows = ["| answerer | trap questions | quoted the trap | gold answer given | abstained |",
            "|---|---:|---:|---:|---:|"]  # fmt: skip
    for name, s in results.items():
        rows.append(f"| {name} | {s.asked} | {s.quoted_trap} | {s.answered} | {s.abstained} |")
    sys.stdout.write(
        f"Generated collection: {args.docs} pages, {args.questions} questions, seed "
        f"{args.seed}; embeddings {settings.embeddings}\n\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    main()
