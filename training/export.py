"""The trained cross-encoder → ONNX (fp32, then int8 dynamic quantisation) + its files."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

_OPSET = 17


def export_onnx(model: Any, base: Path, folder: Path, *, quantise: bool = True) -> Path:
    """Write `model.onnx` (int8 weights when `quantise`) and `tokenizer.json` into `folder`."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(base / "tokenizer.json", folder / "tokenizer.json")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tuple(torch.ones((2, 16), dtype=torch.long) for _ in names)
    dynamic = {n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}}

    class _Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model.float().eval()

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Logits(), sample, str(fp32), input_names=names, output_names=["logits"],
                dynamic_axes=dynamic, opset_version=_OPSET, dynamo=False,
            )  # fmt: skip
        target = folder / "model.onnx"
        if quantise:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
        else:
            shutil.copyfile(fp32, target)
    return target
