"""The banding index proposes exactly the pairs datasketch's `MinHashLSH` would."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from assistant.index.minhash_lsh import band_shape, candidate_pairs
from assistant.index.signatures import MinHashSigner


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.6, 0.75, 0.9, 0.97])
@pytest.mark.parametrize("num_perm", [32, 128])
def test_band_shape_is_datasketchs_choice(threshold: float, num_perm: int) -> None:
    assert band_shape(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def _datasketch_pairs(
    signed: list[tuple[str, np.ndarray]], threshold: float, num_perm: int
) -> set[tuple[str, str]]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for doc_id, sig in signed:
        lsh.insert(doc_id, LeanMinHash(seed=1, hashvalues=sig, scheme="affine32"))
    found = set()
    for doc_id, sig in signed:
        for other in lsh.query(LeanMinHash(seed=1, hashvalues=sig, scheme="affine32")):
            if other != doc_id:
                found.add((min(doc_id, other), max(doc_id, other)))
    return found


@pytest.mark.parametrize("threshold", [0.4, 0.6, 0.8])
def test_candidates_match_datasketch_on_edited_copies(threshold: float) -> None:
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(400)]
    texts = []
    for _story in range(12):
        base = list(rng.choice(words, 200))
        texts.append(" ".join(base))
        for copy in range(3):  # copies with a growing share of words changed
            edited = [w if rng.random() > 0.03 * (copy + 1) else "x" + w for w in base]
            texts.append(" ".join(edited))
    signatures = MinHashSigner().sign(texts)
    signed = [(f"d{i:03d}", s) for i, s in enumerate(signatures) if s is not None]
    ours = candidate_pairs(signed, threshold, 128)
    assert ours == _datasketch_pairs(signed, threshold, 128)
    assert ours, "the fixture must produce some candidates"
    unrelated = {(a, b) for a, b in ours if int(a[1:]) // 4 != int(b[1:]) // 4}
    assert len(unrelated) < len(ours)


def test_no_candidates_without_two_documents() -> None:
    sig = MinHashSigner().sign(["one two three four five six seven"])[0]
    assert sig is not None
    assert candidate_pairs([], 0.6, 128) == set()
    assert candidate_pairs([("a", sig)], 0.6, 128) == set()
    assert candidate_pairs([("a", sig), ("b", sig.copy())], 0.6, 128) == {("a", "b")}
