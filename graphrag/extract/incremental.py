"""Incremental planning: which documents to load, which to replace, which to delete, which to leave alone.

A document whose id is stored with the same content hash is unchanged and skipped. One stored with another
hash is changed: its old version is deleted and the new one loaded in the same transaction. A stored document
that came from a file being ingested but is no longer in it (a record removed from a corpus) is deleted -- unless
some records of that file were skipped as unreadable, since one of them may be the stored record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graphrag.extract.readers import SourceFile
from graphrag.types import Document


@dataclass(frozen=True)
class IngestPlan:
    """What an ingest run will do.

    ``to_load`` holds new and changed documents in processing order; ``replaces`` the ids among them whose old
    version must go first; ``removed`` stored documents that vanished from their file.
    """

    to_load: tuple[Document, ...]
    replaces: frozenset[str]
    removed: tuple[str, ...]
    new: int
    changed: int
    unchanged: int


def _file_of(source: str, files: set[str]) -> str | None:
    """The ingested file that stored document ``source`` belongs to (``path`` or ``path#record``), if any."""
    if source in files:
        return source
    i = source.find("#")
    while i >= 0:
        if source[:i] in files:
            return source[:i]
        i = source.find("#", i + 1)
    return None


def make_plan(files: Sequence[SourceFile], stored: Mapping[str, tuple[str, str]]) -> IngestPlan:
    """Compare the documents read from ``files`` with ``stored`` (``doc_id -> (source, hash)``).

    Documents are processed shortest first: batches of similar length embed with little padding. The order
    is a pure function of the input, so a restarted run processes the rest in the same batches.
    """
    paths = {f.path for f in files}
    stored_by_file: dict[str, set[str]] = {}
    for doc_id, (source, _) in stored.items():
        owner = _file_of(source, paths)
        if owner is not None:
            stored_by_file.setdefault(owner, set()).add(doc_id)
    load: list[Document] = []
    replaces: set[str] = set()
    removed: list[str] = []
    new = unchanged = 0
    for f in files:
        current = {d.id for d in f.documents}
        if not f.partial:  # a skipped record may be a stored one, edited badly: keep what is stored
            removed += sorted(stored_by_file.get(f.path, set()) - current)
        for d in f.documents:
            old = stored.get(d.id)
            if old is None:
                new += 1
                load.append(d)
            elif old[1] != d.hash:
                replaces.add(d.id)
                load.append(d)
            else:
                unchanged += 1
    order = sorted(range(len(load)), key=lambda i: (len(load[i].text), i))
    return IngestPlan(
        to_load=tuple(load[i] for i in order),
        replaces=frozenset(replaces),
        removed=tuple(removed),
        new=new,
        changed=len(replaces),
        unchanged=unchanged,
    )


__all__ = ["IngestPlan", "make_plan"]
