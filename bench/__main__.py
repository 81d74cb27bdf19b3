"""`python -m bench`: generate a fictional corpus, run every benchmark, write the reports.

Progress goes to stderr; the Markdown report goes to stdout and, with the JSON, to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.cold_start import ROOT, prepare_data_dir, run_cold_start
from bench.corpus_gen import generate_documents, make_questions, write_corpus
from bench.ingest_bench import open_assistant, run_ingest_bench
from bench.query_bench import run_query_bench
from bench.report import BenchReport, machine_info, now_utc, to_json, to_markdown

SEED_CORPUS = ROOT / "corpus"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--docs", type=_positive, default=200, help="generated documents (200)")
    parser.add_argument("--queries", type=_positive, default=50, help="timed questions (50)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report folder")
    parser.add_argument("--seed", type=int, default=7, help="corpus generator seed (7)")
    parser.add_argument("--cold-runs", type=_positive, default=3, help="cold-start runs (3)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr)

    generated_at, load_at_start = now_utc(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        root = Path(tmp)
        say(f"generating {args.docs} fictional documents (seed {args.seed})")
        documents = generate_documents(args.docs, args.seed)
        corpus_dir = root / "corpus"
        write_corpus(documents, corpus_dir)
        questions = make_questions(documents, args.queries, args.seed)

        say("loading the assistant (embedding model, fresh store)")
        assistant, load_s = open_assistant(root / "data", corpus_dir)
        try:
            ingest = run_ingest_bench(assistant, corpus_dir, load_s, say)
            query = run_query_bench(assistant, questions, SEED_CORPUS, say)
            say("preparing the cold-start data dir (seed corpus)")
            prepare_data_dir(root / "cold", SEED_CORPUS, assistant.embeddings)
        finally:
            assistant.close()
        cold = run_cold_start(root / "cold", SEED_CORPUS, args.cold_runs, say)

    report = BenchReport(
        parameters={"docs": args.docs, "queries": len(questions), "seed": args.seed,
                    "cold_runs": args.cold_runs},
        machine={**machine_info(), "load_avg_1m_start": load_at_start,
                 "load_avg_1m_end": os.getloadavg()[0]},
        ingest=ingest,
        query=query,
        cold_start=cold,
        total_s=time.perf_counter() - started,
        generated_at=generated_at,
    )  # fmt: skip
    markdown = to_markdown(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(
        json.dumps(to_json(report), indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "bench.md").write_text(markdown, encoding="utf-8")
    say(f"wrote {args.out / 'bench.json'} and {args.out / 'bench.md'}")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
