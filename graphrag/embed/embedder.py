"""The embedder seam: ``embed(texts) -> float32 array`` of shape ``(len(texts), dim)``, rows L2-normalised."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns ``(len(texts), dim)`` float32, each row of L2 norm 1 (or 0 for empty text)."""
