"""Load a parsed triple file into the graph store, with provenance, idempotently.

The file becomes one ``Document`` (``kind = "kg"``, id from its resolved path, hash from its content and
parse settings); every triple becomes a ``RELATION`` row whose ``doc_id`` names that document and whose
``source`` is ``path:line``. Entity ids come from :func:`graphrag.ids.entity_id`, so entities already in the
store (from text or other graphs) are reused, never duplicated. Importing an unchanged file adds nothing; a
changed file replaces its own triples (and the entities only they supported); the store writes all of it or,
on an error, none of it, and a crash part-way leaves the document marked incomplete, to be replaced by the next
import (see :mod:`graphrag.store.staged_write`). Everything is written with one bulk ``COPY`` per table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphrag.acl import normalise_acl
from graphrag.errors import ConfigError
from graphrag.ids import document_id, entity_id
from graphrag.importers.triple_files import (
    BadLine,
    fingerprint,
    get_format,
    parse_triples,
    read_file_bytes,
    resolve_delimiter,
)

if TYPE_CHECKING:
    from graphrag.embed.embedder import Embedder
    from graphrag.store.kuzu_store import KuzuGraphStore

#: ``Document.kind`` of an imported knowledge-graph file.
KG_KIND = "kg"

#: Called as ``progress(done, total)`` while entity names are embedded.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportReport:
    """What one import did.

    ``status`` is ``imported`` (new file), ``replaced`` (a changed file replaced its old triples),
    ``unchanged`` (same content as before: nothing written) or ``acl-updated`` (same content, new ACL).
    ``removed`` counts what the old version lost.
    """

    path: str
    doc_id: str
    status: str
    triples: int = 0
    entities_new: int = 0
    entities_reused: int = 0
    embedded: int = 0
    duplicates: int = 0
    skipped: tuple[BadLine, ...] = ()
    removed: dict[str, int] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Total wall time of the import."""
        return sum(self.timings_s.values())

    def describe(self) -> str:
        """One line saying what an import did, with counts and time."""
        name = Path(self.path).name
        secs = self.seconds
        if self.status == "unchanged":
            return f"{name}: unchanged since the last import, nothing to do ({secs:.2f} s)"
        if self.status == "acl-updated":
            return f"{name}: unchanged since the last import; its ACL was updated ({secs:.2f} s)"
        rate = self.triples / secs if secs > 0 else 0.0
        line = (
            f"{name}: {self.status} {self.triples:,} triples, {self.entities_new:,} new entities, "
            f"{self.entities_reused:,} already in the store, in {secs:.1f} s ({rate:,.0f} triples/s)"
        )
        if self.status == "replaced":
            line += (
                f"; the old version's {self.removed.get('RELATION', 0):,} triples were removed, with "
                f"{self.removed.get('Entity', 0):,} entities nothing else supports"
            )
        if self.embedded:
            line += f"; embedded {self.embedded:,} entity names"
        if self.duplicates:
            line += f"; {self.duplicates:,} repeated triples ignored"
        return line


class TripleImporter:
    """Imports triple files into a graph store.

    Args:
        store: the open, writable store.
        embedder: computes embeddings of new entities' names; ``None`` leaves them null (MiniLM over
            MetaQA's 43k names takes minutes on a small CPU, far longer than the import itself).
        embed_batch: names per embedder call.
        progress: told ``(done, total)`` while names are embedded.
    """

    def __init__(
        self,
        store: KuzuGraphStore,
        *,
        embedder: Embedder | None = None,
        embed_batch: int = 512,
        progress: ProgressFn | None = None,
    ) -> None:
        if embedder is not None and embedder.dim != store.embedding_dim:
            raise ConfigError(
                f"embedder {embedder.name} makes {embedder.dim}-d vectors but the store holds "
                f"{store.embedding_dim}-d ones; use the embedder the store was built with"
            )
        self.store = store
        self.embedder = embedder
        self.embed_batch = embed_batch
        self.progress = progress

    def import_file(
        self,
        path: str | Path,
        *,
        fmt: str = "metaqa",
        delimiter: str | None = None,
        skip_bad: bool = False,
        acl: str | None = None,
    ) -> ImportReport:
        """Import the triple file at ``path`` (plain or gzip); see :func:`graphrag.importers.parse_triples`.
        ``acl`` (``"g1,g2"``; default public) says who may read its triples; an unchanged file imported with
        another ACL has its ACL updated (status ``acl-updated``), nothing else.

        Raises:
            InputError: the file cannot be read, or (unless ``skip_bad``) has malformed lines; nothing is
                stored then.
        """
        t0 = time.perf_counter()
        source = str(Path(path).resolve())
        doc_id = document_id(source)
        spec = get_format(fmt)
        delim = resolve_delimiter(spec, delimiter)
        data = read_file_bytes(path)
        digest = fingerprint(data, spec, delim)
        access = normalise_acl(acl)
        known = self.store.document_hashes([source])
        if known.get(doc_id, ("", ""))[1] == digest:
            status = "unchanged"
            if acl is not None and self.store.document_acls().get(doc_id, "") != access:
                self.store.set_document_acls({doc_id: access})
                status = "acl-updated"
            return ImportReport(str(path), doc_id, status, timings_s={"check": time.perf_counter() - t0})
        parsed = parse_triples(data, path=str(path), fmt=fmt, delimiter=delimiter, skip_bad=skip_bad)
        t1 = time.perf_counter()
        table = parsed.table
        names = pc.unique(pa.concat_arrays([_flat(table["subject"]), _flat(table["object"])]))
        ids = pa.array([entity_id(n) for n in names.to_pylist()], pa.string())
        subject_ids = pc.take(ids, pc.index_in(table["subject"], value_set=names))
        object_ids = pc.take(ids, pc.index_in(table["object"], value_set=names))
        t2 = time.perf_counter()
        counts: dict[str, int] = {}
        embedded: list[int] = []

        def entity_rows() -> pa.Table:  # asked after the old version's rows are gone
            existing = self.store.existing_ids("Entity", ids.to_pylist())
            is_new = pc.invert(pc.is_in(ids, value_set=pa.array(sorted(existing), pa.string())))
            new_ids, new_names = ids.filter(is_new), names.filter(is_new)
            embeddings = self._embeddings(new_names)
            counts.update(new=len(new_ids), reused=len(existing))
            embedded.append(0 if embeddings is None else len(embeddings))
            return _entity_rows(new_ids, new_names, embeddings, self.store.embedding_dim)

        tables = {
            "Document": _document_row(doc_id, source, Path(source).name, digest, access),
            "RELATION": _relation_rows(subject_ids, object_ids, table, doc_id, source),
        }
        replaces = [doc_id] if doc_id in known else []
        removed = self.store.write_documents(tables, replaces=replaces, entities=entity_rows)
        t3 = time.perf_counter()
        return ImportReport(
            path=str(path),
            doc_id=doc_id,
            status="replaced" if doc_id in known else "imported",
            triples=table.num_rows,
            entities_new=counts["new"],
            entities_reused=counts["reused"],
            embedded=embedded[0],
            duplicates=parsed.duplicates,
            skipped=parsed.skipped,
            removed=removed,
            timings_s={"parse": t1 - t0, "ids": t2 - t1, "load": t3 - t2},
        )

    def _embeddings(self, names: pa.Array) -> pa.FixedSizeListArray | None:
        """Embeddings of ``names`` as a ``FLOAT[dim]`` column, or ``None`` without an embedder."""
        if self.embedder is None:
            return None
        texts = names.to_pylist()
        dim = self.store.embedding_dim
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for start in range(0, len(texts), self.embed_batch):
            batch = texts[start : start + self.embed_batch]
            out[start : start + len(batch)] = self.embedder.embed(batch)
            if self.progress is not None:
                self.progress(start + len(batch), len(texts))
        return pa.FixedSizeListArray.from_arrays(pa.array(out.reshape(-1)), dim)


def _flat(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _document_row(doc_id: str, source: str, title: str, digest: str, acl: str) -> pa.Table:
    return pa.table(
        {
            "id": [doc_id],
            "source": [source],
            "title": [title],
            "hash": [digest],
            "acl": pa.array([acl], pa.string()),
            "kind": [KG_KIND],
            "n_chunks": pa.array([0], pa.int64()),
        }
    )


def _entity_rows(ids: pa.Array, names: pa.Array, embeddings: pa.Array | None, dim: int) -> pa.Table:
    n = len(ids)
    offsets = pa.array(np.zeros(n + 1, dtype=np.int32))
    empty_lists = pa.ListArray.from_arrays(offsets, pa.array([], pa.string()))
    return pa.table(
        {
            "id": ids,
            "name": names,
            "type": pa.repeat(pa.scalar("", pa.string()), n),  # imported KGs carry no entity types
            "aliases": empty_lists,
            "embedding": embeddings if embeddings is not None else pa.nulls(n, pa.list_(pa.float32(), dim)),
        }
    )


def _relation_rows(
    subject_ids: pa.Array, object_ids: pa.Array, table: pa.Table, doc_id: str, source: str
) -> pa.Table:
    n = table.num_rows
    lines = pc.cast(table["line"], pa.string())
    return pa.table(
        {
            "from": _flat(subject_ids),
            "to": _flat(object_ids),
            "predicate": _flat(table["predicate"]),
            "chunk_id": pa.repeat(pa.scalar("", pa.string()), n),
            "doc_id": pa.repeat(pa.scalar(doc_id, pa.string()), n),
            "source": _flat(pc.binary_join_element_wise(source, lines, ":")),
            "confidence": pa.repeat(pa.scalar(1.0, pa.float64()), n),
            "start_char": pa.repeat(pa.scalar(-1, pa.int64()), n),  # no sentence: the provenance is file:line
            "end_char": pa.repeat(pa.scalar(-1, pa.int64()), n),
            "rule": pa.repeat(pa.scalar("", pa.string()), n),  # imported, not extracted
        }
    )


__all__ = ["KG_KIND", "ImportReport", "TripleImporter"]
