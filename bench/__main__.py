"""`python -m bench`: generate a fictional corpus, run every benchmark, write the reports.

Raw encoders → ingest → ask latency at 1k/10k/100k chunks (HTTP at 10k) → the LlamaIndex peer →
a scraped collection → 1 vs 2 hosts over PostgreSQL + a Chroma server → cold CLI start.
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

from assistant.search.embeddings import SentenceEmbeddings
from bench.cold_start import ROOT, prepare_data_dir, run_cold_start
from bench.collection_bench import CollectionResult, run_collection_bench
from bench.corpus_gen import generate_documents, make_questions, write_corpus
from bench.encoders import run_encoder_bench
from bench.hosts_bench import HostsResult, run_hosts_bench
from bench.http_bench import HttpResult, run_http_bench
from bench.ingest_bench import bench_settings, corpus_chunks, run_ingest_bench
from bench.peer import run_peer
from bench.query_bench import run_query_bench
from bench.report import BenchReport, machine_info, now_utc, to_json, to_markdown
from bench.scale_bench import SizeResult, SyntheticFiller, run_size
from bench.selector_bench import run_selector_bench
from bench.stats import peak_rss_mb

SEED_CORPUS = ROOT / "corpus"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _sizes(text: str) -> list[int]:
    sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("comma-separated positive chunk counts, e.g. 1000,10000")
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--docs", type=_positive, default=200, help="generated documents (200)")
    parser.add_argument("--queries", type=_positive, default=50, help="timed questions (50)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report folder")
    parser.add_argument("--seed", type=int, default=7, help="corpus generator seed (7)")
    parser.add_argument("--cold-runs", type=_positive, default=3, help="cold-start runs (3)")
    parser.add_argument("--sizes", type=_sizes, default=[1_000, 10_000, 100_000],
                        help="store sizes for ask latency (1000,10000,100000)")  # fmt: skip
    parser.add_argument("--http-size", type=_positive, default=10_000,
                        help="run HTTP at the largest store size up to this (10000)")  # fmt: skip
    parser.add_argument("--clients", type=_positive, default=8, help="concurrent HTTP clients (8)")
    parser.add_argument("--http-requests", type=int, default=200,
                        help="requests per HTTP run; 0 skips HTTP (200)")  # fmt: skip
    parser.add_argument("--http-seconds", type=float, default=45.0,
                        help="time limit per HTTP run (45)")  # fmt: skip
    parser.add_argument("--ingest-rounds", type=_positive, default=3,
                        help="interleaved raw-encoder/ingest rounds, best of each (3)")  # fmt: skip
    parser.add_argument("--collection-docs", type=int, default=3000,
                        help="scraped pages ingested end to end by `briefing ingest`; 0 skips "
                        "(3000: ~34 MB, several minutes)")  # fmt: skip
    parser.add_argument("--hosts-requests", type=int, default=200,
                        help="requests per run of the 1-host vs 2-host HTTP bench (PostgreSQL + "
                        "Chroma server); 0 skips (200)")  # fmt: skip
    parser.add_argument("--no-peer", action="store_true", help="skip the LlamaIndex comparison")
    parser.add_argument("--sentence-vectors", action="store_true",
                        help="ask latency on a store ingested with BRIEFING_SENTENCE_VECTORS=true "
                        "(sentence vectors looked up, not encoded; default: off, as the "
                        "setting's default)")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr)

    generated_at, load_at_start = now_utc(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        root = Path(tmp)
        models = root / "models"
        say(f"generating {args.docs} fictional documents (seed {args.seed})")
        documents = generate_documents(args.docs, args.seed)
        corpus_dir = root / "corpus"
        write_corpus(documents, corpus_dir)
        pool = make_questions(documents, args.queries + 2 * args.http_requests, args.seed)
        questions, http_questions = pool[: args.queries], [q.text for q in pool[args.queries :]]

        say("loading the model and exporting the ONNX query encoder (once)")
        export_started = time.perf_counter()
        embeddings = SentenceEmbeddings(cache_dir=models)
        onnx_export_s = time.perf_counter() - export_started

        settings = bench_settings(root / "data", corpus_dir, models)
        real_chunks = corpus_chunks(settings, corpus_dir)
        encoders, vectors = run_encoder_bench(embeddings, [c.text for c in real_chunks], say)

        ingest, assistant = run_ingest_bench(
            settings, embeddings, encoders, args.ingest_rounds, say,
            sentence_vectors=args.sentence_vectors,
        )  # fmt: skip
        scale: list[SizeResult] = []
        http: HttpResult | None = None
        try:
            selector = assistant.answerer.selector
            picked = run_selector_bench(selector, SEED_CORPUS, say) if selector else None
            query = run_query_bench(assistant, questions, SEED_CORPUS, say)
            filler = SyntheticFiller(real_chunks, vectors)
            http_at = max((s for s in args.sizes if s <= args.http_size), default=args.sizes[0])
            for target in args.sizes:
                scale.append(run_size(assistant, filler, target, questions, say))
                if target == http_at and args.http_requests > 0:
                    http = run_http_bench(
                        assistant, http_questions, clients=args.clients,
                        requests=args.http_requests, max_seconds=args.http_seconds, say=say,
                    )  # fmt: skip
        finally:
            assistant.close()

        if args.no_peer:
            from bench.peer import PeerResult

            peer = PeerResult("LlamaIndex", False, "skipped (--no-peer)")
        else:
            say("peer: LlamaIndex on the same corpus and model (separate process)")
            peer = run_peer(corpus_dir, embeddings.model_path, [q.text for q in questions],
                            root / "peer")  # fmt: skip
            say(f"peer: {'done' if peer.available else peer.reason}")

        collection: CollectionResult | None = None
        if args.collection_docs > 0:
            collection = run_collection_bench(root, args.collection_docs, models, say)

        hosts: HostsResult | None = None
        if args.hosts_requests > 0:
            asked = make_questions(documents, 2 * args.hosts_requests, args.seed + 1)
            hosts = run_hosts_bench(
                corpus_dir, [q.text for q in asked], clients=args.clients,
                requests=args.hosts_requests, max_seconds=args.http_seconds,
                model_cache_dir=models, say=say,
            )  # fmt: skip

        say("preparing the cold-start data dir (seed corpus)")
        prepare_data_dir(root / "cold", SEED_CORPUS, embeddings, models)
        cold = run_cold_start(root / "cold", SEED_CORPUS, args.cold_runs, say, models)

    report = BenchReport(
        parameters={"docs": args.docs, "queries": len(questions), "seed": args.seed,
                    "cold_runs": args.cold_runs, "ingest_rounds": args.ingest_rounds,
                    "sizes": args.sizes, "clients": args.clients,
                    "http_size": args.http_size,
                    "http_requests": args.http_requests, "http_seconds": args.http_seconds,
                    "collection_docs": args.collection_docs,
                    "hosts_requests": args.hosts_requests,
                    "sentence_vectors": args.sentence_vectors},
        machine={**machine_info(), "load_avg_1m_start": load_at_start,
                 "load_avg_1m_end": os.getloadavg()[0]},
        onnx_export_s=onnx_export_s,
        encoders=encoders,
        ingest=ingest,
        query=query,
        scale=tuple(scale),
        selector=picked,
        http=http,
        peer=peer,
        cold_start=cold,
        collection=collection,
        hosts=hosts,
        peak_rss_mb=peak_rss_mb(),
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
