"""Embedders, chosen by name from a registry."""

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
