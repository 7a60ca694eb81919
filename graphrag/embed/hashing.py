"""A deterministic, dependency-free embedder for tests and demos without the model packages.

It hashes word unigrams and character trigrams into a fixed number of buckets (the "hashing trick"), so texts that
share words get similar vectors. It is no substitute for a sentence encoder, but it is honest and fast.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Bag of hashed words and character trigrams, L2-normalised.

    Args:
        dim: vector size.
    """

    def __init__(self, dim: int = 384) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be positive, got {dim}")
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _bucket(self, feature: str) -> tuple[int, float]:
        h = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        v = int.from_bytes(h, "little")
        return v % self.dim, 1.0 if (v >> 63) & 1 else -1.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as hashed feature counts."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            feats = list(words)
            for w in words:
                padded = f"#{w}#"
                feats += [padded[j : j + 3] for j in range(len(padded) - 2)]
            for f in feats:
                b, sign = self._bucket(f)
                out[i, b] += sign
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
