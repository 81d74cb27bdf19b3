"""A "model soup": the weight average of selectors fine-tuned from the same base model.

Models fine-tuned from one pre-trained start with the same recipe tend to lie in one basin of the
loss, so their averaged weights often score at least as well as the best of them, at no extra
query cost (Wortsman et al., 2022, "Model soups"). The averaging works on the shipped int8 ONNX
files, so no torch checkpoint is needed: every quantised weight is dequantised, averaged in fp32
and quantised again the way it was stored (int8 symmetric, or uint8 with a zero point).
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.config import PACKAGED_MODEL
from assistant.search.embeddings import resolve_model_path
from training.card import write_card
from training.measure import held_out_metrics
from training.selector import DATASETS
from training.squad import load_squad, split_dev

_QUANTISED, _SCALE, _ZERO = "_quantized", "_scale", "_zero_point"


class SoupError(ValueError):
    """The models cannot be averaged (different graphs or weights of different kinds)."""


def _structure(model: Any) -> list[bytes]:
    """The graph's nodes with their attributes (so constants too): all but the initialisers."""
    return [node.SerializeToString() for node in model.graph.node]


def _quantise(values: NDArray[np.float32], dtype: np.dtype[Any]) -> tuple[Any, Any, Any]:
    """(quantised, scale, zero point) in the storage type the weight had."""
    if dtype == np.int8:  # symmetric, zero point 0
        scale = max(float(np.abs(values).max()), 1e-12) / 127.0
        quantised = np.clip(np.rint(values / scale), -127, 127).astype(np.int8)
        return quantised, np.float32(scale), np.int8(0)
    if dtype == np.uint8:  # asymmetric over [min(·, 0), max(·, 0)]
        low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
        scale = max(high - low, 1e-12) / 255.0
        zero = int(np.clip(np.rint(-low / scale), 0, 255))
        quantised = np.clip(np.rint(values / scale) + zero, 0, 255).astype(np.uint8)
        return quantised, np.float32(scale), np.uint8(zero)
    raise SoupError(f"quantised weights of type {dtype} are not supported")


def _dequantised(arrays: dict[str, NDArray[Any]], stem: str) -> NDArray[np.float32]:
    quantised = arrays[stem + _QUANTISED].astype(np.float32)
    zero = arrays[stem + _ZERO].astype(np.float32)
    return ((quantised - zero) * arrays[stem + _SCALE].astype(np.float32)).astype(np.float32)


def average_weights(
    models: Sequence[dict[str, NDArray[Any]]], weights: Sequence[float] | None = None
) -> dict[str, NDArray[Any]]:
    """The (weighted) average of same-named initialisers; quantised triples stay quantised."""
    if not models:
        raise SoupError("no models to average")
    names = set(models[0])
    if any(set(m) != names for m in models[1:]):
        raise SoupError("the models hold different weights")
    shares = np.asarray(weights if weights is not None else [1.0] * len(models), dtype=np.float64)
    if len(shares) != len(models) or shares.min() < 0 or shares.sum() <= 0:
        raise SoupError("one non-negative weight per model, not all zero")
    shares = shares / shares.sum()
    stems = {n[: -len(_QUANTISED)] for n in names if n.endswith(_QUANTISED)}
    quantised_parts = {s + suffix for s in stems for suffix in (_QUANTISED, _SCALE, _ZERO)}
    averaged: dict[str, NDArray[Any]] = {}
    for stem in sorted(stems):
        mean = sum(share * _dequantised(m, stem) for share, m in zip(shares, models, strict=True))
        stored = models[0][stem + _QUANTISED].dtype
        q, scale, zero = _quantise(np.asarray(mean, dtype=np.float32), stored)
        averaged |= {stem + _QUANTISED: q, stem + _SCALE: scale, stem + _ZERO: zero}
    for name in sorted(names - quantised_parts):
        first = models[0][name]
        if np.issubdtype(first.dtype, np.floating):
            stacked = np.stack([m[name].astype(np.float64) for m in models])
            averaged[name] = np.tensordot(shares, stacked, axes=1).astype(first.dtype)
        elif any(not np.array_equal(first, m[name]) for m in models[1:]):
            raise SoupError(f"integer weight {name!r} differs between the models")
        else:
            averaged[name] = first
    return averaged


def soup(folders: Sequence[Path], out: Path, weights: Sequence[float] | None = None) -> Path:
    """Average the selectors in `folders` (same graph) into `out/model.onnx` + tokenizer."""
    import onnx
    from onnx import numpy_helper

    loaded = [onnx.load(str(folder / "model.onnx")) for folder in folders]
    if any(_structure(m) != _structure(loaded[0]) for m in loaded[1:]):
        raise SoupError("the models' graphs differ: only models exported alike can be averaged")
    arrays = [{i.name: numpy_helper.to_array(i) for i in m.graph.initializer} for m in loaded]
    averaged = average_weights(arrays, weights)
    target = loaded[0]
    for initializer in target.graph.initializer:
        initializer.CopyFrom(numpy_helper.from_array(averaged[initializer.name], initializer.name))
    out.mkdir(parents=True, exist_ok=True)
    onnx.save(target, str(out / "model.onnx"))
    shutil.copyfile(folders[0] / "tokenizer.json", out / "tokenizer.json")
    return out / "model.onnx"


def ingredients(folders: Sequence[Path]) -> list[dict[str, Any]]:
    """What each averaged model was: its folder and training record (for the card)."""
    records = []
    for folder in folders:
        path = folder / "metrics.json"
        raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        records.append({"folder": str(folder), "training": raw.get("training", {})})
    return records


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.soup",
        description="Average selectors trained from the same base (same ONNX export) into one, "
        "then measure it on the held-out data as `training.selector` does.",
    )
    parser.add_argument("models", type=Path, nargs="+", help="selector folders (model.onnx)")
    parser.add_argument("--out", type=Path, required=True, help="where the averaged model goes")
    parser.add_argument(
        "--weights", type=float, nargs="*", help="one per model (default: a uniform average)"
    )
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--measure-limit", type=int, default=1500)
    parser.add_argument("--smoke", action="store_true", help="measure a tiny slice only")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if len(args.models) < 2:
        raise SystemExit("give at least two models to average")
    missing = [str(m) for m in args.models if not (m / "model.onnx").is_file()]
    if missing:
        raise SystemExit(f"no model.onnx in: {', '.join(missing)}")
    try:
        soup(args.models, args.out, args.weights)
    except SoupError as error:
        raise SystemExit(f"cannot average these models: {error}") from None
    # provisional, so the selector loads for measuring; replaced by the calibrated one below
    (args.out / "selector.json").write_text(json.dumps({"threshold": 0.5}), encoding="utf-8")
    base = Path(resolve_model_path(PACKAGED_MODEL))
    dev = split_dev(load_squad(args.datasets / "squad" / "dev-v2.0.json.gz"))
    metrics = held_out_metrics(
        args.out, dev, args.datasets, base, threads=args.threads, limit=args.measure_limit,
        smoke=args.smoke,
    )  # fmt: skip
    made = ingredients(args.models)
    metrics["training"] = made[0]["training"]  # the recipe they share; their differences below
    metrics["soup"] = {"models": made, "weights": args.weights or [1.0] * len(args.models)}
    threshold = round(metrics["squad2_calibration"]["threshold"], 4)
    (args.out / "selector.json").write_text(
        json.dumps({"threshold": threshold}, indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    if metrics["training"]:
        write_card(args.out)
    print(json.dumps({k: v for k, v in metrics.items() if k != "soup"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
