"""Stable, content-derived ids. The same input always gets the same id, so re-ingesting changes nothing."""

from __future__ import annotations

import hashlib


def content_hash(*parts: str, size: int = 16) -> str:
    """Hex BLAKE2b digest of ``parts`` (joined unambiguously), ``2 * size`` characters long."""
    h = hashlib.blake2b(digest_size=size)
    for p in parts:
        b = p.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def normalise_name(name: str) -> str:
    """Whitespace-collapsed entity name; case is kept (MetaQA has both ``Tina Fey`` and the tag ``tina fey``)."""
    return " ".join(name.split())


def entity_id(name: str) -> str:
    """Id of the entity called ``name`` (after whitespace normalisation)."""
    return "e" + content_hash(normalise_name(name), size=10)


def document_id(source: str) -> str:
    """Id of the document at ``source`` (a path, or ``path#record`` for corpus records)."""
    return "d" + content_hash(source, size=10)


def chunk_id(doc_id: str, position: int, text: str) -> str:
    """Id of a chunk: its document, its position and its text."""
    return "c" + content_hash(doc_id, str(position), text, size=10)
