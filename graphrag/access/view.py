"""A principal's view of a store: an in-memory copy of exactly what its documents support.

Every read path of the toolkit -- BM25 and vector search, the graph walk, GNN subgraphs and paths, the entity
linker, Explore, stats, communities and user Cypher -- reads through a store object. Filtering each of them
separately would leave one forgotten query as a leak, so a principal gets a store of its own instead: an
in-memory Kuzu database holding the documents the principal may read (:mod:`graphrag.acl`) and what they
support, built once per database generation and then read like any store. Nothing from another document can be
ranked, walked, linked, counted or queried, because it is not there.

What a document supports: its chunks; the mentions, ``ABOUT`` edges and triples whose ``doc_id`` is the
document; the entities those touch. An entity that other (invisible) documents also support is *partly
visible*: its name and aliases may have been learnt from text the principal cannot read, so they are kept only
where visible text witnesses them (the string occurs in a visible mention, passage or title of the entity),
the name otherwise becoming the entity's most frequent visible mention (re-embedded when an ``embed`` function
is given; else without an embedding). A community (:mod:`graphrag.communities`) is copied only when every
member entity, and every entity a member's relations reach, is wholly visible -- its report was written from
those members' facts, the names of what they relate to and their passages, all of which the principal can then
read.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphrag.acl import Principal
from graphrag.store import KuzuGraphStore
from graphrag.store.table_io import read_tables

Embed = Callable[[Sequence[str]], np.ndarray]

_SUPPORT = ("MENTIONS", "ABOUT", "RELATION")  # the edges that carry a doc_id


@dataclass(frozen=True)
class ViewReport:
    """What a view holds of its store: documents visible and hidden, entities wholly and partly visible,
    names changed, communities kept, seconds to build."""

    documents: int
    documents_hidden: int
    entities: int
    entities_partial: int
    entities_renamed: int
    communities: int
    communities_hidden: int
    seconds: float


def _keep(t: pa.Table, column: str, values: set[str]) -> pa.Table:
    if not t.num_rows:
        return t
    return t.filter(pc.is_in(t[column], value_set=pa.array(sorted(values), pa.string())))


def _witnessed(text: str, witnesses: list[str]) -> bool:
    """Whether ``text`` occurs as whole words in one of the (casefolded) ``witnesses`` ("Ada" is not in "Canada")."""
    needle = text.casefold().strip()
    if not needle:
        return False
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    return any(needle in w and pattern.search(w) for w in witnesses)


class _EntityNames:
    """Names and aliases of partly visible entities, cut to what visible text witnesses."""

    def __init__(self, mentions: pa.Table, about: pa.Table, relations: pa.Table, chunks: pa.Table, docs: pa.Table):
        self.mention_texts: dict[str, Counter[str]] = defaultdict(Counter)
        self.witness_chunks: dict[str, set[str]] = defaultdict(set)
        for c, e, text in zip(*(mentions[k].to_pylist() for k in ("from", "to", "text")), strict=True):
            self.mention_texts[e][text] += 1
            self.witness_chunks[e].add(c)
        for c, e in zip(about["from"].to_pylist(), about["to"].to_pylist(), strict=True):
            self.witness_chunks[e].add(c)
        for a, b, c in zip(*(relations[k].to_pylist() for k in ("from", "to", "chunk_id")), strict=True):
            self.witness_chunks[a].add(c)
            self.witness_chunks[b].add(c)
        title_of = dict(zip(docs["id"].to_pylist(), docs["title"].to_pylist(), strict=True))
        self.chunk_text = {
            cid: f"{title_of.get(did) or ''}\n{text or ''}".casefold()
            for cid, did, text in zip(*(chunks[k].to_pylist() for k in ("id", "doc_id", "text")), strict=True)
        }

    def witnesses(self, entity: str) -> list[str]:
        texts = [t.casefold() for t in self.mention_texts.get(entity, ())]
        return texts + [self.chunk_text[c] for c in self.witness_chunks.get(entity, ()) if c in self.chunk_text]

    def cut(self, entity: str, name: str, aliases: list[str] | None) -> tuple[str, list[str]]:
        """The name and aliases of a partly visible entity that visible text witnesses."""
        seen = self.witnesses(entity)
        kept = [a for a in aliases or [] if _witnessed(a, seen)]
        if _witnessed(name, seen):
            return name, kept
        common = self.mention_texts.get(entity)
        if common:
            return common.most_common(1)[0][0], kept
        if kept:
            return kept[0], kept[1:]
        return f"entity {entity[:8]}", []


def _entities(
    entities: pa.Table, visible: set[str], partial: set[str], names: _EntityNames, embed: Embed | None, dim: int
) -> tuple[pa.Table, int]:
    """The visible entity rows, partly visible ones with witnessed names only; returns them and how many were
    renamed."""
    rows = _keep(entities, "id", visible)
    if not partial or not rows.num_rows:
        return rows, 0
    ids = rows["id"].to_pylist()
    new_names, new_aliases = rows["name"].to_pylist(), rows["aliases"].to_pylist()
    renamed: list[int] = []
    for i, eid in enumerate(ids):
        if eid in partial:
            name, aliases = names.cut(eid, new_names[i], new_aliases[i])
            if name != new_names[i]:
                renamed.append(i)
            new_names[i], new_aliases[i] = name, aliases
    if not renamed:
        return rows.set_column(3, "aliases", pa.array(new_aliases, rows.schema.field("aliases").type)), 0
    vectors = rows["embedding"].to_pylist()
    fresh = embed([new_names[i] for i in renamed]) if embed is not None else None
    for j, i in enumerate(renamed):
        vectors[i] = None if fresh is None else [float(x) for x in fresh[j]]
    out = pa.table(
        {
            "id": rows["id"],
            "name": pa.array(new_names, pa.string()),
            "type": rows["type"],
            "aliases": pa.array(new_aliases, rows.schema.field("aliases").type),
            "embedding": pa.array(vectors, pa.list_(pa.float32(), dim)),
        }
    )
    return out, len(renamed)


def _support(tables: dict[str, pa.Table]) -> Counter[str]:
    """How many mention, ABOUT and triple rows of ``tables`` touch each entity."""
    out: Counter[str] = Counter()
    for t in _SUPPORT:
        if t in tables:
            for end in ("from", "to") if t == "RELATION" else ("to",):
                out.update(tables[t][end].to_pylist())
    return out


def _pool_mb(source: Any) -> int:
    """A buffer pool for the in-memory copy: room for the whole store and its indexes."""
    path = getattr(source, "path", None)
    try:
        size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    except (AttributeError, OSError):
        size = 0
    return int(min(16384, max(512, 3 * size // (1024 * 1024) + 256)))


def principal_view(
    source: Any, principal: Principal, *, embed: Embed | None = None
) -> tuple[KuzuGraphStore, ViewReport]:
    """An in-memory store holding what ``principal`` may read of ``source`` (see the module's docstring), and a
    report of what it holds. ``embed`` re-embeds the names of partly visible entities that lose theirs."""
    t0 = time.perf_counter()
    tables = read_tables(source)
    docs = tables["Document"]
    acls = zip(docs["id"].to_pylist(), docs["acl"].to_pylist(), strict=True)
    visible_docs = {d for d, acl in acls if principal.can_read(acl)}
    kept = {t: _keep(tables[t], "doc_id", visible_docs) for t in _SUPPORT if t in tables}
    every, seen = _support(tables), _support(kept)  # entity -> rows supporting it, all / visible
    supported = set(seen)
    partial = {e for e in supported if seen[e] < every[e]}
    chunks = _keep(tables["Chunk"], "doc_id", visible_docs)
    view_docs = _keep(docs, "id", visible_docs)
    names = _EntityNames(
        kept.get("MENTIONS", pa.table({"from": [], "to": [], "text": []})),
        kept.get("ABOUT", pa.table({"from": [], "to": []})),
        kept.get("RELATION", pa.table({"from": [], "to": [], "chunk_id": []})),
        chunks,
        view_docs,
    )
    entities, renamed = _entities(tables["Entity"], supported, partial, names, embed, source.embedding_dim)

    engine = getattr(source, "engine", "kuzu")
    pool = _pool_mb(source)
    view = KuzuGraphStore(":memory:", embedding_dim=source.embedding_dim, buffer_pool_mb=pool, engine=engine)
    for key, value in source.meta().items():
        view.set_meta(key, value)
    view.bulk_load("Document", view_docs)
    view.bulk_load("Chunk", chunks)
    view.bulk_load("Entity", entities)
    view.bulk_load("HAS_CHUNK", _keep(tables["HAS_CHUNK"], "from", visible_docs))
    for t in _SUPPORT:
        if t in kept:
            view.bulk_load(t, kept[t])
    communities, hidden = _copy_communities(view, tables, supported - partial)
    report = ViewReport(
        documents=len(visible_docs),
        documents_hidden=docs.num_rows - len(visible_docs),
        entities=len(supported),
        entities_partial=len(partial),
        entities_renamed=renamed,
        communities=communities,
        communities_hidden=hidden,
        seconds=round(time.perf_counter() - t0, 3),
    )
    return view, report


def _copy_communities(view: KuzuGraphStore, tables: dict[str, pa.Table], whole: set[str]) -> tuple[int, int]:
    """Copy the communities whose report can only name what the principal may read: every member, and every
    entity a member's relations reach (a report's facets name relation objects outside the community), wholly
    visible. Returns (kept, hidden)."""
    if "Community" not in tables or not tables["Community"].num_rows:
        return 0, 0
    members: dict[str, list[str]] = defaultdict(list)
    for e, c in zip(tables["IN_COMMUNITY"]["from"].to_pylist(), tables["IN_COMMUNITY"]["to"].to_pylist(), strict=True):
        members[c].append(e)
    exposed = set(whole)  # an entity whose neighbours (in the whole store) are all wholly visible too
    rel = tables.get("RELATION")
    if rel is not None and rel.num_rows:
        for a, b in zip(rel["from"].to_pylist(), rel["to"].to_pylist(), strict=True):
            if b not in whole:
                exposed.discard(a)
            if a not in whole:
                exposed.discard(b)
    ids = tables["Community"]["id"].to_pylist()
    keep = {c for c in ids if members.get(c) and all(e in exposed for e in members[c])}
    view.bulk_load("Community", _keep(tables["Community"], "id", keep))
    view.bulk_load("IN_COMMUNITY", _keep(tables["IN_COMMUNITY"], "to", keep))
    subs = tables["SUB_COMMUNITY"]
    if subs.num_rows:
        view.bulk_load("SUB_COMMUNITY", _keep(_keep(subs, "from", keep), "to", keep))
    return len(keep), len(ids) - len(keep)


__all__ = ["Embed", "ViewReport", "principal_view"]
