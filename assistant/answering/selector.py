"""The trained answer selector: P(this sentence answers the question), read together.

A cross-encoder (all-MiniLM-L6-v2 fine-tuned on SQuAD; see `models/selector/MODEL_CARD.md` and
`training/`) reads the question and one candidate sentence in a single pass, so it sees that
"who was dispatched" is answered by "Japan sent … Minister Ryosei Akazawa", which a bi-encoder
scoring them apart cannot. Run with ONNX Runtime (no torch on the query path), loaded once per
process; each pair runs alone (no padding, and its score never depends on its neighbours).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.answering.combiner import Combiner
from assistant.config import PACKAGED_SELECTOR
from assistant.errors import ConfigError

#: The model shipped with the package.
PACKAGED = PACKAGED_SELECTOR
#: Tokens per (question, candidate) pair; longer pairs lose the end of the longer side.
MAX_TOKENS = 128
#: Headline words kept as the candidate's context (the topic, not a second sentence).
TITLE_WORDS = 12
#: Pairs per ONNX run. One: the int8 model quantises activations per tensor, so in a batch a
#: pair's score moved with its neighbours and padding (0.75 vs 0.83 measured); unbatched it is
#: also faster here (10 candidates: 25 ms vs 34 ms on 2 cores).
BATCH = 1


def candidate_text(title: str, sentence: str) -> str:
    """The second segment the model reads: a little context (the title), then the sentence.

    Training and run time both build the input here, so they cannot drift apart.
    """
    words = title.split()[:TITLE_WORDS]
    return f"{' '.join(words)} | {sentence}" if words else sentence


@dataclass(frozen=True)
class SelectorCard:
    """What `selector.json` beside the model says: its threshold and how it was made."""

    threshold: float  # P(answers) below which the answerer abstains
    max_tokens: int = MAX_TOKENS

    @classmethod
    def read(cls, folder: Path) -> SelectorCard:
        raw = json.loads((folder / "selector.json").read_text(encoding="utf-8"))
        return cls(float(raw["threshold"]), int(raw.get("max_tokens", MAX_TOKENS)))


class AnswerSelector:
    """question × candidate sentences → probabilities, one ONNX Runtime session per process."""

    def __init__(self, folder: Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.card = SelectorCard.read(folder)
        combined = folder / "combiner.json"
        self.combiner = Combiner.read(combined) if combined.is_file() else None
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.card.max_tokens, strategy="longest_first")
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # the tokenizer's truncation state is shared

    @property
    def threshold(self) -> float:
        """Abstain below this: on the combined P when there is a combiner, else on P(answers)."""
        return self.combiner.threshold if self.combiner else self.card.threshold

    def score(self, question: str, candidates: Sequence[tuple[str, str]]) -> NDArray[np.float32]:
        """P(answers) of each `(title, sentence)` candidate, in the order given."""
        logits = self.logits(question, candidates)
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)

    def logits(self, question: str, candidates: Sequence[tuple[str, str]]) -> NDArray[np.float32]:
        """The model's raw logit of each `(title, sentence)` candidate, in the order given."""
        if not candidates:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(
                [(question, candidate_text(t, s)) for t, s in candidates]
            )
        return np.concatenate(
            [self._run(encodings[i : i + BATCH]) for i in range(0, len(encodings), BATCH)]
        )

    def _run(self, encodings: list[Any]) -> NDArray[np.float32]:
        width = max(len(e.ids) for e in encodings)
        shape = (len(encodings), width)
        ids, mask, types = (np.zeros(shape, dtype=np.int64) for _ in range(3))
        for row, enc in enumerate(encodings):
            n = len(enc.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = enc.ids, 1, enc.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        out = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})
        return np.asarray(out[0], dtype=np.float32).reshape(-1)


_loaded: dict[Path, AnswerSelector] = {}
_loading = threading.Lock()


def load_selector(folder: Path) -> AnswerSelector:
    """The selector in `folder`, loaded once per process (every assistant shares it)."""
    folder = folder.resolve()
    missing = [n for n in ("model.onnx", "tokenizer.json", "selector.json")
               if not (folder / n).is_file()]  # fmt: skip
    if missing:
        raise ConfigError(
            f"answer selector {folder}: {', '.join(missing)} missing (BRIEFING_ANSWER_SELECTOR "
            "takes `packaged`, `off` or a folder written by `make train-selector`)"
        )
    with _loading:
        if folder not in _loaded:
            try:
                _loaded[folder] = AnswerSelector(folder)
            except Exception as error:  # onnxruntime's own errors derive from Exception only
                raise ConfigError(
                    f"answer selector {folder} could not be loaded: {error}"
                ) from error
        return _loaded[folder]


def forget_selector(folder: Path) -> None:
    """Drop the loaded copy, so the next `load_selector` reads the folder again (training)."""
    with _loading:
        _loaded.pop(folder.resolve(), None)
