"""The peer: the same corpus and model through LlamaIndex, run in its own process.

`python -m bench.peer_llamaindex CORPUS_DIR MODEL_PATH WORK_DIR` reads a JSON list of questions
on stdin and prints one JSON object with its timings. What a LlamaIndex user would write:
`SimpleDirectoryReader` → `SentenceSplitter` → `HuggingFaceEmbedding` (sentence-transformers,
torch) → `ChromaVectorStore` (embedded Chroma, cosine space like Briefing's), then
`index.as_retriever(similarity_top_k=5).retrieve(question)` per question (retrieval only: the
peer has no offline answer composer, its query engines need an LLM).

Needs the `bench` extra (`make bench-deps`); only this module imports llama_index.
"""

from __future__ import annotations

import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

#: Chunk size in the splitter's tokens: close to Briefing's chunks of up to 700 characters.
CHUNK_TOKENS = 160
BATCH_SIZE = 64
TOP_K = 5
_WARM_UP = ("Which companies announced new investments?", "What did the central bank decide?")


def main(argv: list[str] | None = None) -> int:
    corpus, model_path, work = (Path(a) for a in (argv or sys.argv[1:])[:3])
    questions: list[str] = json.load(sys.stdin)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    started = time.perf_counter()
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Settings, SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    import_s = time.perf_counter() - started

    started = time.perf_counter()
    embed = HuggingFaceEmbedding(
        model_name=str(model_path), device="cpu", embed_batch_size=BATCH_SIZE
    )
    load_s = time.perf_counter() - started
    Settings.embed_model = embed
    Settings.llm = None  # type: ignore[assignment]  # documented: no LLM
    embed.get_text_embedding_batch(["warm up the encoder"] * 16)

    started = time.perf_counter()
    documents = SimpleDirectoryReader(str(corpus), required_exts=[".md"]).load_data()
    client = chromadb.PersistentClient(
        path=str(work / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        "peer_chunks", metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
    index = VectorStoreIndex.from_documents(
        documents, storage_context=storage,
        transformations=[SentenceSplitter(chunk_size=CHUNK_TOKENS, chunk_overlap=0)],
    )  # fmt: skip
    ingest_s = time.perf_counter() - started
    chunks = collection.count()
    chars = sum(len(t) for t in collection.get(include=["documents"])["documents"] or [])

    retriever = index.as_retriever(similarity_top_k=TOP_K)
    for text in _WARM_UP:
        retriever.retrieve(text)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        retriever.retrieve(question)
        latencies.append(time.perf_counter() - started)

    print(json.dumps({
        "import_s": import_s, "load_s": load_s, "ingest_s": ingest_s, "documents": len(documents),
        "chunks": chunks, "chunk_chars": chars, "retrieve_latencies": latencies,
        "versions": {p: metadata.version(p) for p in (
            "llama-index-core", "llama-index-embeddings-huggingface",
            "llama-index-vector-stores-chroma")},
        "settings": {"chunk_tokens": CHUNK_TOKENS, "chunk_overlap": 0, "batch": BATCH_SIZE,
                     "top_k": TOP_K},
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
