"""Averaging selectors' weights: quantised triples stay quantised, graphs must match."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from training.soup import SoupError, average_weights, soup


def _int8(values: np.ndarray) -> dict[str, np.ndarray]:
    scale = np.float32(np.abs(values).max() / 127)
    quantised = np.rint(values / scale).astype(np.int8)
    return {"w_quantized": quantised, "w_scale": scale, "w_zero_point": np.int8(0)}


def _dequantised(weights: dict[str, np.ndarray]) -> np.ndarray:
    zero = weights["w_zero_point"].astype(np.float32)
    return (weights["w_quantized"].astype(np.float32) - zero) * weights["w_scale"]


def test_float_weights_are_averaged_with_their_shares() -> None:
    a = {"bias": np.array([1.0, 2.0], dtype=np.float32)}
    b = {"bias": np.array([3.0, 6.0], dtype=np.float32)}
    assert np.allclose(average_weights([a, b])["bias"], [2.0, 4.0])
    weighted = average_weights([a, b], [3, 1])["bias"]
    assert np.allclose(weighted, [1.5, 3.0]) and weighted.dtype == np.float32


def test_int8_weights_are_dequantised_averaged_and_quantised_again() -> None:
    rng = np.random.default_rng(0)
    first, second = rng.normal(size=(8, 4)), rng.normal(size=(8, 4)) * 3
    averaged = average_weights([_int8(first), _int8(second)])
    assert averaged["w_quantized"].dtype == np.int8 and int(averaged["w_zero_point"]) == 0
    expected = (_dequantised(_int8(first)) + _dequantised(_int8(second))) / 2
    assert np.abs(_dequantised(averaged) - expected).max() <= float(averaged["w_scale"]) / 2 + 1e-6


def test_uint8_weights_keep_a_zero_point() -> None:
    values = np.linspace(-0.2, 1.0, 50, dtype=np.float32).reshape(10, 5)
    scale = np.float32(1.2 / 255)
    zero = np.uint8(round(0.2 / 1.2 * 255))
    stored = {
        "w_quantized": np.clip(np.rint(values / scale) + int(zero), 0, 255).astype(np.uint8),
        "w_scale": scale,
        "w_zero_point": zero,
    }
    averaged = average_weights([stored, stored])
    assert averaged["w_quantized"].dtype == np.uint8 and averaged["w_zero_point"].dtype == np.uint8
    assert np.abs(_dequantised(averaged) - values).max() <= float(scale) + 1e-6


def test_models_holding_different_weights_are_refused() -> None:
    with pytest.raises(SoupError, match="different weights"):
        average_weights([{"a": np.zeros(2)}, {"b": np.zeros(2)}])
    with pytest.raises(SoupError, match="differs"):
        average_weights([{"shape": np.array([1, 2])}, {"shape": np.array([1, 3])}])
    with pytest.raises(SoupError, match="weight per model"):
        average_weights([{"a": np.zeros(2)}, {"a": np.zeros(2)}], [1.0])


def _tiny_model(folder: Path, weight: np.ndarray, bias: np.ndarray, *, relu: bool = False) -> Path:
    """y = x·W + b as an ONNX graph, int8-quantised as the export quantises the selector."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["y"]),
    ]
    if relu:
        nodes[-1] = helper.make_node("Add", ["xw", "b"], ["pre"])
        nodes.append(helper.make_node("Relu", ["pre"], ["y"]))
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, weight.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, weight.shape[1]])],
        [numpy_helper.from_array(weight, "W"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    folder.mkdir()
    fp32 = folder / "fp32.onnx"
    onnx.save(model, str(fp32))
    quantize_dynamic(str(fp32), str(folder / "model.onnx"), weight_type=QuantType.QInt8)
    (folder / "tokenizer.json").write_text("{}")
    return folder


def test_soup_of_two_onnx_models_runs_as_their_average(tmp_path: Path) -> None:
    import onnxruntime as ort

    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(16, 16)).astype(np.float32) for _ in range(2)]
    biases = [rng.normal(size=16).astype(np.float32) for _ in range(2)]
    folders = [
        _tiny_model(tmp_path / f"m{i}", w, b)
        for i, (w, b) in enumerate(zip(weights, biases, strict=True))
    ]
    out = soup(folders, tmp_path / "soup")
    x = rng.normal(size=(4, 16)).astype(np.float32)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    got = session.run(None, {"x": x})[0]
    expected = x @ ((weights[0] + weights[1]) / 2) + (biases[0] + biases[1]) / 2
    # int8 weights and activations: close to the fp32 average, far from either model alone
    assert np.abs(got - expected).mean() < 0.1
    assert np.abs(got - (x @ weights[0] + biases[0])).mean() > 1.0
    assert (tmp_path / "soup" / "tokenizer.json").is_file()


def test_models_with_different_graphs_are_refused(tmp_path: Path) -> None:
    weight, bias = np.eye(4, dtype=np.float32), np.zeros(4, dtype=np.float32)
    plain = _tiny_model(tmp_path / "plain", weight, bias)
    other = _tiny_model(tmp_path / "relu", weight, bias, relu=True)
    with pytest.raises(SoupError, match="graphs differ"):
        soup([plain, other], tmp_path / "soup")


def test_the_command_says_why_it_cannot_average(tmp_path: Path) -> None:
    from training.soup import main

    weight, bias = np.eye(4, dtype=np.float32), np.zeros(4, dtype=np.float32)
    one, two = (_tiny_model(tmp_path / name, weight, bias) for name in ("one", "two"))
    out = ["--out", str(tmp_path / "soup")]
    with pytest.raises(SystemExit, match="at least two"):
        main([str(one), *out])
    with pytest.raises(SystemExit, match=r"no model\.onnx in: .*nowhere"):
        main([str(one), str(tmp_path / "nowhere"), *out])
    with pytest.raises(SystemExit, match="cannot average these models: one non-negative weight"):
        main([str(one), str(two), "--weights", "1", *out])
