"""Embedding providers: the ONNX query encoder against the torch model it is exported from, the
export cache, the fall-back to torch, the ingest precision choice, and startup without torch.

Tests marked `slow` use the real packaged MiniLM through the session's `real_assistant` (its
data dir holds the one ONNX export of the run).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.search import embeddings as embeddings_module
from assistant.search import onnx_encoder
from assistant.search.embeddings import (
    HashingEmbeddings,
    SentenceEmbeddings,
    bf16_supported,
    for_ingest,
    make_embeddings,
)
from assistant.search.onnx_encoder import UnsupportedModel, read_spec
from tests.conftest import ROOT, make_settings

SENTENCES = [
    "What tariff rate does Japan face?",
    "Japan currently faces 24% levies on its exports to the United States.",
    "Markets fell.",
    "Car makers, which account for a large share of Japan's exports, warned that the 25% duty "
    "on cars would cut profits this year.",
]
#: ~300 word pieces: past the packaged tokenizer.json's own 128 limit and past the model's 256.
LONG = " ".join(["The negotiators met again in Washington to discuss tariffs on steel."] * 25)
MEDIUM = " ".join(["Officials discussed the tariff schedule for autos and parts."] * 14)  # ~170


def cosines(a: list[list[float]], b: object) -> np.ndarray:
    return np.asarray((np.asarray(a) * np.asarray(b)).sum(axis=1))


@pytest.fixture(scope="module")
def model(real_assistant: Assistant) -> SentenceEmbeddings:
    embeddings = real_assistant.embeddings
    assert isinstance(embeddings, SentenceEmbeddings)
    return embeddings


# -- ONNX query encoder vs torch ------------------------------------------------------------------


@pytest.mark.slow
def test_the_default_query_encoder_is_onnx(model: SentenceEmbeddings) -> None:
    assert model.query_backend == "onnx"


@pytest.mark.slow
def test_onnx_vectors_match_the_torch_model(model: SentenceEmbeddings) -> None:
    texts = [*SENTENCES, MEDIUM, LONG]
    ours = model.embed_documents(texts)
    theirs = model.torch_model().encode(texts, normalize_embeddings=True)
    assert cosines(ours, theirs).min() >= 0.999
    assert np.linalg.norm(ours, axis=1) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.slow
def test_long_texts_are_truncated_at_the_models_limit_not_the_tokenizer_files(
    model: SentenceEmbeddings,
) -> None:
    # tokenizer.json alone would cut at 128 tokens; sentence-transformers reads up to 256.
    reference = model.torch_model().encode([MEDIUM], normalize_embeddings=True)
    assert cosines(model.embed_documents([MEDIUM]), reference)[0] >= 0.9999


@pytest.mark.slow
def test_batching_and_padding_do_not_change_a_vector(model: SentenceEmbeddings) -> None:
    alone = [model.embed_query(t) for t in SENTENCES]
    together = model.embed_documents(SENTENCES)
    assert cosines(alone, together).min() >= 0.99999


@pytest.mark.slow
def test_ingest_and_query_vectors_agree(model: SentenceEmbeddings) -> None:
    ingest = for_ingest(model)
    assert ingest is model.ingest
    vectors = ingest.embed_documents(SENTENCES)
    assert cosines(vectors, model.embed_documents(SENTENCES)).min() >= 0.999
    assert model.ingest_encoder in {"onnx-fp32", "torch-bf16"}


@pytest.mark.slow
def test_ingest_without_native_bf16_uses_onnx_and_never_loads_torch(
    model: SentenceEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings_module, "bf16_supported", lambda: False)
    fresh = SentenceEmbeddings(model.model_path, cache_dir=model.cache_dir)
    vectors = fresh.ingest.embed_documents([*SENTENCES, LONG])
    assert fresh.ingest_encoder == "onnx-fp32"
    assert fresh._torch is None
    reference = model.torch_model().encode([*SENTENCES, LONG], normalize_embeddings=True)
    assert cosines(vectors, reference).min() >= 0.999


@pytest.mark.slow
def test_bf16_ingest_runs_torch_under_autocast(
    model: SentenceEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = SentenceEmbeddings(model.model_path, precision="bf16", cache_dir=model.cache_dir)
    monkeypatch.setattr(fresh, "_torch", model.torch_model())  # share the loaded weights
    vectors = fresh.ingest.embed_documents(SENTENCES[:2])
    assert fresh.ingest_encoder == "torch-bf16"
    reference = model.torch_model().encode(SENTENCES[:2], normalize_embeddings=True)
    assert cosines(vectors, reference).min() >= embeddings_module.BF16_MIN_COSINE


@pytest.mark.slow
def test_the_export_is_cached_and_reused_without_torch(
    model: SentenceEmbeddings, real_assistant: Assistant
) -> None:
    cache = real_assistant.settings.onnx_cache_dir
    (export,) = cache.glob("onnx-*/model.onnx")
    meta = json.loads((export.parent / "meta.json").read_text())
    assert meta["min_cosine"] >= onnx_encoder.MIN_COSINE
    again = SentenceEmbeddings(model.model_path, cache_dir=cache)
    assert again.query_backend == "onnx"
    assert again._torch is None  # loaded from the cache: no torch model, no export
    assert cosines([again.embed_query(SENTENCES[0])], [model.embed_query(SENTENCES[0])])[0] > 0.9999


@pytest.mark.slow
def test_a_failed_export_falls_back_to_torch_with_a_log_line(
    model: SentenceEmbeddings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_export(*args: object) -> None:
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(onnx_encoder, "export", broken_export)
    with caplog.at_level(logging.WARNING, logger="assistant.search.embeddings"):
        fallback = SentenceEmbeddings(model.model_path, cache_dir=tmp_path / "models")
    assert fallback.query_backend == "torch"
    assert "export failed, using torch: exporter exploded" in caplog.text
    assert not list((tmp_path / "models").glob("onnx-*/model.onnx"))
    reference = model.embed_query(SENTENCES[1])
    assert cosines([fallback.embed_query(SENTENCES[1])], [reference])[0] >= 0.999


@pytest.mark.slow
def test_asking_and_ingesting_without_native_bf16_never_import_torch(
    real_assistant: Assistant, model: SentenceEmbeddings, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path, embeddings="sentence-transformers",
        model_cache_dir=real_assistant.settings.onnx_cache_dir,
    )  # fmt: skip
    prepared = Assistant(settings, model)
    prepared.ingest()
    prepared.close()
    extra = tmp_path / "extra.md"
    extra.write_text("---\nid: extra\n---\nThe steel levy on Narnia is 50 percent.\n")
    script = (
        "import sys; from pathlib import Path; from assistant.assistant import Assistant; "
        "from assistant.config import Settings; "
        f"a = Assistant(Settings(_env_file=None, data_dir={str(settings.data_dir)!r}, "
        f"model_cache_dir={str(settings.onnx_cache_dir)!r})); "
        "answer = a.ask('What tariff rate does Japan face?'); "
        "asked = 'torch' in sys.modules; "
        f"written = a.ingest([Path({str(extra)!r})]).chunks_written; "
        "print(answer.abstained, asked, written, 'torch' in sys.modules, "
        "a.embeddings.query_backend)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    torch_for_ingest = str(bf16_supported())  # only bf16 ingest needs torch
    assert done.stdout.split() == ["False", "False", "1", torch_for_ingest, "onnx"]


# -- ingest precision ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_fixed_precisions_are_used_as_set(
    model: SentenceEmbeddings, monkeypatch: pytest.MonkeyPatch, precision: str
) -> None:
    monkeypatch.setattr(model, "requested_precision", precision)
    monkeypatch.setattr(embeddings_module, "bf16_supported", lambda: pytest.fail("not asked"))
    assert model.choose_ingest_precision(SENTENCES) == precision


@pytest.mark.slow
def test_auto_precision_is_fp32_without_native_bf16(
    model: SentenceEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "requested_precision", "auto")
    monkeypatch.setattr(embeddings_module, "bf16_supported", lambda: False)
    assert model.choose_ingest_precision(SENTENCES) == "fp32"


@pytest.mark.slow
def test_auto_precision_checks_bf16_against_fp32_on_a_sample(
    model: SentenceEmbeddings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(model, "requested_precision", "auto")
    monkeypatch.setattr(embeddings_module, "bf16_supported", lambda: True)
    sample = SENTENCES[:2]
    assert model.choose_ingest_precision(sample) == "bf16"  # MiniLM holds ≥ 0.9999
    monkeypatch.setattr(embeddings_module, "BF16_MIN_COSINE", 1.01)  # nothing can pass
    with caplog.at_level(logging.WARNING, logger="assistant.search.embeddings"):
        assert model.choose_ingest_precision(sample) == "fp32"
    assert "bf16 cosine to fp32 only" in caplog.text


def test_bf16_detection_answers_without_failing() -> None:
    assert isinstance(bf16_supported(), bool)


def test_the_precision_and_query_encoder_settings_are_validated(tmp_path: Path) -> None:
    assert make_settings(tmp_path).embedding_precision == "auto"
    assert make_settings(tmp_path).query_encoder == "onnx"
    with pytest.raises(ValueError):
        make_settings(tmp_path, embedding_precision="fp8")
    with pytest.raises(ValueError):
        make_settings(tmp_path, query_encoder="tensorrt")


def test_the_onnx_cache_lives_under_the_data_dir_unless_set(tmp_path: Path) -> None:
    assert make_settings(tmp_path).onnx_cache_dir == tmp_path / "data" / "models"
    other = tmp_path / "cache"
    assert make_settings(tmp_path, model_cache_dir=other).onnx_cache_dir == other


# -- which models can be exported ------------------------------------------------------------------


def fake_model(root: Path, pooling: dict[str, bool] | None = None, **files: str) -> Path:
    """A folder shaped like a sentence-transformers model (tiny placeholder files)."""
    root.mkdir(parents=True)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
    ]  # fmt: skip
    contents = {
        "modules.json": json.dumps(modules),
        "1_Pooling/config.json": json.dumps(pooling or {"pooling_mode_mean_tokens": True}),
        "sentence_bert_config.json": json.dumps({"max_seq_length": 128}),
        "tokenizer.json": "{}",
        "config.json": "{}",
        "model.safetensors": "weights",
        **files,
    }
    for name, text in contents.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_mean_pooled_model_folder_is_supported(tmp_path: Path) -> None:
    spec = read_spec(str(fake_model(tmp_path / "m")))
    assert spec.max_seq_length == 128
    assert spec.weights.name == "model.safetensors"


@pytest.mark.parametrize(
    ("pooling", "reason"),
    [
        ({"pooling_mode_cls_token": True}, "not mean pooling"),
        ({"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, "not mean pooling"),
    ],
)
def test_other_pooling_is_unsupported(
    tmp_path: Path, pooling: dict[str, bool], reason: str
) -> None:
    with pytest.raises(UnsupportedModel, match=reason):
        read_spec(str(fake_model(tmp_path / "m", pooling)))


def test_a_hub_name_or_incomplete_folder_is_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedModel, match="not a local model folder"):
        read_spec("sentence-transformers/all-mpnet-base-v2")
    folder = fake_model(tmp_path / "m")
    (folder / "model.safetensors").unlink()
    with pytest.raises(UnsupportedModel, match=r"no model\.safetensors"):
        read_spec(str(folder))


def test_the_cache_key_follows_the_model_files(tmp_path: Path) -> None:
    folder = fake_model(tmp_path / "m")
    key = read_spec(str(folder)).cache_key()
    assert read_spec(str(folder)).cache_key() == key
    copy = shutil.copytree(folder, tmp_path / "copy")
    (copy / "config.json").write_text('{"hidden_size": 768}')
    assert read_spec(str(copy)).cache_key() != key
    (folder / "model.safetensors").write_text("other weights")
    assert read_spec(str(folder)).cache_key() != key


def test_an_unsupported_model_uses_torch_with_a_log_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = fake_model(tmp_path / "m", {"pooling_mode_cls_token": True})
    loaded: list[str] = []
    monkeypatch.setattr(embeddings_module, "_load_sentence_transformer", loaded.append)
    with caplog.at_level(logging.WARNING, logger="assistant.search.embeddings"):
        embeddings = SentenceEmbeddings(str(folder), cache_dir=tmp_path / "models")
    assert embeddings.query_backend == "torch"
    assert loaded == [str(folder)]
    assert "ONNX query encoder unavailable, using torch: pooling" in caplog.text


def test_the_factory_and_for_ingest(tmp_path: Path) -> None:
    settings: Settings = make_settings(tmp_path)
    hashing = make_embeddings(settings)
    assert isinstance(hashing, HashingEmbeddings)
    assert for_ingest(hashing) is hashing
