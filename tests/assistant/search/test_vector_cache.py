"""VectorCache: repeated texts skip the encoder; a call larger than the cache still answers."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from assistant.search.retrieval import VectorCache


class CountingEmbeddings(Embeddings):
    """Vector = [len(text)]; counts how many texts reached the encoder."""

    def __init__(self) -> None:
        self.encoded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.encoded += len(texts)
        return [[float(len(t))] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        self.encoded += 1
        return [float(len(text))]


def test_cached_texts_are_not_encoded_again() -> None:
    embeddings = CountingEmbeddings()
    cache = VectorCache(embeddings, size=8)
    assert cache.documents(["a", "bb", "a"]) == [[1.0], [2.0], [1.0]]
    assert cache.documents(["bb", "ccc"]) == [[2.0], [3.0]]
    assert embeddings.encoded == 3
    assert cache.query("a") == [1.0] and embeddings.encoded == 4  # queries are kept apart


def test_a_call_with_more_texts_than_the_cache_holds_returns_them_all() -> None:
    # It used to evict its own texts before reading them back (KeyError).
    embeddings = CountingEmbeddings()
    cache = VectorCache(embeddings, size=2)
    texts = ["x" * n for n in range(1, 8)]
    assert cache.documents(texts) == [[float(n)] for n in range(1, 8)]
    assert cache.documents(texts[-2:]) == [[6.0], [7.0]]
    assert embeddings.encoded == 7  # the two most recent were kept
