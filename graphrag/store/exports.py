"""A store's graph written for other tools: GraphML (Gephi, yEd, networkx), the Neo4j admin-import CSV layout (a
store moves to a Neo4j server), JSON Lines in APOC's export layout, and Parquet (one file per table, for analytics;
``graphrag migrate`` reads the same files back).

Every node keeps its table as its label and its id; every edge keeps its properties, so a triple still names the
chunk, document and ``file:line`` it came from. Embeddings are left out unless asked for (``embeddings=True``;
GraphML cannot hold lists and never gets them). Lists (entity aliases) are ``;``-joined in GraphML and CSV arrays.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from graphrag.errors import ConfigError
from graphrag.store.table_io import read_tables

NODE_TABLES = ("Document", "Chunk", "Entity", "Community")
#: Relationship table -> (start label, end label).
REL_ENDS = {
    "HAS_CHUNK": ("Document", "Chunk"),
    "MENTIONS": ("Chunk", "Entity"),
    "ABOUT": ("Chunk", "Entity"),
    "RELATION": ("Entity", "Entity"),
    "IN_COMMUNITY": ("Entity", "Community"),
    "SUB_COMMUNITY": ("Community", "Community"),
}
_VECTORS = ("embedding",)


def _rows(t: pa.Table, embeddings: bool) -> Iterator[dict[str, Any]]:
    keep = [c for c in t.column_names if embeddings or c not in _VECTORS]
    yield from t.select(keep).to_pylist()


def _node_key(label: str, node_id: str) -> str:
    return f"{label}:{node_id}"


def export_graphml(tables: dict[str, pa.Table], out: Path, embeddings: bool = False) -> dict[str, int]:
    """One GraphML file, streamed: node ids ``Label:id`` with a ``label`` attribute, edges with a ``type``
    attribute and their properties (networkx, Gephi and yEd read it)."""
    from xml.sax.saxutils import escape, quoteattr

    node_cols = {c: t.schema.field(c).type for label in NODE_TABLES if (t := tables.get(label)) is not None
                 for c in t.column_names if c not in ("id", *_VECTORS)}  # fmt: skip
    edge_cols = {c: t.schema.field(c).type for rel in REL_ENDS if (t := tables.get(rel)) is not None
                 for c in t.column_names if c not in ("from", "to", *_VECTORS)}  # fmt: skip
    counts = {"nodes": 0, "edges": 0}
    with out.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        f.write('<key id="n_label" for="node" attr.name="label" attr.type="string"/>\n')
        f.write('<key id="e_type" for="edge" attr.name="type" attr.type="string"/>\n')
        for prefix, target, cols in (("n", "node", node_cols), ("e", "edge", edge_cols)):
            for c, kind in cols.items():
                f.write(f'<key id="{prefix}_{c}" for="{target}" attr.name="{c}" attr.type="{_graphml_type(kind)}"/>\n')
        f.write('<graph edgedefault="directed">\n')

        def data(prefix: str, row: dict[str, Any]) -> str:
            return "".join(
                f'<data key="{prefix}_{k}">{escape(str(_cell(v)))}</data>' for k, v in row.items() if v is not None
            )

        for label in NODE_TABLES:
            for row in _rows(tables.get(label, pa.table({})), False):
                node = quoteattr(_node_key(label, row.pop("id")))
                f.write(f'<node id={node}><data key="n_label">{label}</data>{data("n", row)}</node>\n')
                counts["nodes"] += 1
        for rel, (a, b) in REL_ENDS.items():
            for row in _rows(tables.get(rel, pa.table({})), False):
                ends = (
                    f"source={quoteattr(_node_key(a, row.pop('from')))} target={quoteattr(_node_key(b, row.pop('to')))}"
                )
                f.write(f'<edge {ends}><data key="e_type">{rel}</data>{data("e", row)}</edge>\n')
                counts["edges"] += 1
        f.write("</graph>\n</graphml>\n")
    return counts


def _graphml_type(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind):
        return "long"
    if pa.types.is_floating(kind):
        return "double"
    if pa.types.is_boolean(kind):
        return "boolean"
    return "string"


def export_neo4j_csv(tables: dict[str, pa.Table], out: Path, embeddings: bool = False) -> dict[str, int]:
    """``neo4j-admin database import`` files: ``nodes_<Label>.csv`` and ``rels_<TYPE>.csv`` with typed headers,
    one id space per label, and ``import.sh`` with the command that loads them."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {"nodes": 0, "edges": 0}
    args: list[str] = []
    for label in NODE_TABLES:
        t = tables.get(label)
        if t is None:
            continue
        cols = [c for c in t.column_names if c != "id" and (embeddings or c not in _VECTORS)]
        header = [f"id:ID({label})", *(_typed(t, c) for c in cols), ":LABEL"]
        path = out / f"nodes_{label}.csv"
        counts["nodes"] += _write_csv(path, header, ([r["id"], *(_cell(r[c]) for c in cols), label]
                                                    for r in _rows(t, embeddings)))  # fmt: skip
        args.append(f"--nodes={label}={path.name}")
    for rel, (a, b) in REL_ENDS.items():
        t = tables.get(rel)
        if t is None:
            continue
        cols = [c for c in t.column_names if c not in ("from", "to")]
        header = [f":START_ID({a})", f":END_ID({b})", *(_typed(t, c) for c in cols), ":TYPE"]
        path = out / f"rels_{rel}.csv"
        counts["edges"] += _write_csv(path, header, ([r["from"], r["to"], *(_cell(r[c]) for c in cols), rel]
                                                    for r in _rows(t, embeddings)))  # fmt: skip
        args.append(f"--relationships={rel}={path.name}")
    script = "#!/bin/sh\n# Load into an empty Neo4j database (run from this folder with the server stopped).\n"
    script += "neo4j-admin database import full --array-delimiter=';' " + " ".join(args) + " neo4j\n"
    (out / "import.sh").write_text(script)
    return counts


def _typed(t: pa.Table, column: str) -> str:
    kind = t.schema.field(column).type
    if pa.types.is_integer(kind):
        return f"{column}:long"
    if pa.types.is_floating(kind):
        return f"{column}:double"
    if pa.types.is_list(kind) or pa.types.is_fixed_size_list(kind):
        inner = kind.value_type
        return f"{column}:{'float' if pa.types.is_floating(inner) else 'string'}[]"
    return column


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]]) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            n += 1
    return n


def export_jsonl(tables: dict[str, pa.Table], out: Path, embeddings: bool = False) -> dict[str, int]:
    """One JSON object per line, APOC's layout: ``{"type": "node", "id", "labels", "properties"}``, then
    ``{"type": "relationship", "label", "start": {"id", "labels"}, "end": {...}, "properties"}``."""
    counts = {"nodes": 0, "edges": 0}
    with out.open("w", encoding="utf-8") as f:
        for label in NODE_TABLES:
            for row in _rows(tables.get(label, pa.table({})), embeddings):
                node = {"type": "node", "id": row.pop("id"), "labels": [label], "properties": row}
                f.write(json.dumps(node, ensure_ascii=False) + "\n")
                counts["nodes"] += 1
        for rel, (a, b) in REL_ENDS.items():
            for row in _rows(tables.get(rel, pa.table({})), embeddings):
                edge = {
                    "type": "relationship",
                    "label": rel,
                    "start": {"id": row.pop("from"), "labels": [a]},
                    "end": {"id": row.pop("to"), "labels": [b]},
                    "properties": row,
                }
                f.write(json.dumps(edge, ensure_ascii=False) + "\n")
                counts["edges"] += 1
    return counts


def export_parquet(tables: dict[str, pa.Table], out: Path, embeddings: bool = True) -> dict[str, int]:
    """``<Table>.parquet`` per table (embeddings kept unless ``embeddings=False``)."""
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    counts = {"nodes": 0, "edges": 0}
    for name, t in tables.items():
        keep = [c for c in t.column_names if embeddings or c not in _VECTORS]
        pq.write_table(t.select(keep), out / f"{name}.parquet")
        counts["nodes" if name in NODE_TABLES else "edges"] += t.num_rows
    return counts


FORMATS: dict[str, Callable[..., dict[str, int]]] = {
    "graphml": export_graphml,
    "neo4j-csv": export_neo4j_csv,
    "jsonl": export_jsonl,
    "parquet": export_parquet,
}


def export_store(store: Any, fmt: str, out: str | Path, *, embeddings: bool | None = None) -> dict[str, Any]:
    """Write ``store``'s graph as ``fmt`` (see :data:`FORMATS`) at ``out`` (a file for graphml/jsonl, a folder for
    neo4j-csv/parquet); returns node and edge counts and seconds. ``embeddings``: default only for parquet."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    t0 = time.perf_counter()
    tables = read_tables(store)
    tables.pop("Meta", None)
    path = Path(out)
    if fmt in ("graphml", "jsonl"):
        path.parent.mkdir(parents=True, exist_ok=True)
    counts = FORMATS[fmt](tables, path, embeddings if embeddings is not None else fmt == "parquet")
    return {"format": fmt, "out": str(path), **counts, "seconds": round(time.perf_counter() - t0, 2)}


__all__ = ["FORMATS", "NODE_TABLES", "REL_ENDS", "export_store"]
