"""Every table of a store as Arrow, out and in: the copy behind a principal's view (:mod:`graphrag.access.view`)
and behind ``graphrag migrate`` (a store copied to another engine through Parquet files).

The two engines' native modules cannot share a process, so a migration exports with the source engine here and
imports in a child process with the target engine (``python -m graphrag.store.table_io FOLDER OUT ENGINE``), which
then checks the copy: the same rows per table and the same ids.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa

from graphrag.store.schema import COLUMNS, UPGRADE_DEFAULTS

# One query per table, its columns named (and ordered) as the table's bulk-load columns.
READ_TABLE = {
    "Document": "MATCH (n:Document) RETURN n.id AS id, n.source AS source, n.title AS title, n.hash AS hash, "
    "n.acl AS acl, n.kind AS kind, n.n_chunks AS n_chunks",
    "Chunk": "MATCH (n:Chunk) RETURN n.id AS id, n.doc_id AS doc_id, n.text AS text, n.position AS position, "
    "n.start_char AS start_char, n.end_char AS end_char, n.n_tokens AS n_tokens, n.embedding AS embedding",
    "Entity": "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.type AS type, n.aliases AS aliases, "
    "n.embedding AS embedding",
    "HAS_CHUNK": "MATCH (a:Document)-[:HAS_CHUNK]->(b:Chunk) RETURN a.id AS `from`, b.id AS `to`",
    "MENTIONS": "MATCH (a:Chunk)-[r:MENTIONS]->(b:Entity) RETURN a.id AS `from`, b.id AS `to`, r.doc_id AS doc_id, "
    "r.text AS text, r.label AS label, r.start_char AS start_char, r.end_char AS end_char",
    "ABOUT": "MATCH (a:Chunk)-[r:ABOUT]->(b:Entity) RETURN a.id AS `from`, b.id AS `to`, r.doc_id AS doc_id, "
    "r.source AS source",
    "RELATION": "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.id AS `from`, b.id AS `to`, "
    "r.predicate AS predicate, r.chunk_id AS chunk_id, r.doc_id AS doc_id, r.source AS source, "
    "r.confidence AS confidence, r.start_char AS start_char, r.end_char AS end_char, r.rule AS rule",
    "Community": "MATCH (n:Community) RETURN n.id AS id, n.level AS level, n.parent AS parent, n.size AS size, "
    "n.fingerprint AS fingerprint, n.title AS title, n.summary AS summary, n.report AS report, "
    "n.embedding AS embedding",
    "IN_COMMUNITY": "MATCH (a:Entity)-[:IN_COMMUNITY]->(b:Community) RETURN a.id AS `from`, b.id AS `to`",
    "SUB_COMMUNITY": "MATCH (a:Community)-[:SUB_COMMUNITY]->(b:Community) RETURN a.id AS `from`, b.id AS `to`",
}
#: Load order: nodes before the relationships between them.
TABLES = tuple(READ_TABLE)


def read_table(store: Any, table: str) -> pa.Table:
    """Every row of ``table`` with its bulk-load columns, in order (a column that a store of an earlier schema
    lacks reads as its default)."""
    query = READ_TABLE[table]
    later = {c: v for (t, c), v in UPGRADE_DEFAULTS.items() if t == table}
    have = store.columns(table) if later else set()
    for column, value in later.items():
        if column not in have:
            literal = repr(value) if isinstance(value, str) else str(value)
            query = query.replace(f"r.{column} AS {column}", f"{literal} AS {column}")
    t = store.execute(query)
    return t.select(list(COLUMNS[table])) if t.num_rows else t


def read_tables(store: Any) -> dict[str, pa.Table]:
    """Every table the store has (a store of an older schema may lack the newer ones)."""
    have = store.tables()
    return {t: read_table(store, t) for t in TABLES if t in have}


def fingerprint(tables: dict[str, pa.Table]) -> dict[str, dict[str, Any]]:
    """Rows per table and a digest of its sorted keys (ids, or from/to pairs), to compare two copies."""
    out: dict[str, dict[str, Any]] = {}
    for name, t in tables.items():
        keys = ["id"] if "id" in t.column_names else ["from", "to"]
        rows = sorted(zip(*(t[k].to_pylist() for k in keys), strict=True)) if t.num_rows else []
        out[name] = {"rows": t.num_rows, "keys": hashlib.sha256(repr(rows).encode()).hexdigest()[:16]}
    return out


def export_tables(store: Any, folder: Path) -> dict[str, dict[str, Any]]:
    """Write every table (Parquet) and the meta (JSON) of ``store`` into ``folder``; returns the fingerprint."""
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    tables = read_tables(store)
    for name, t in tables.items():
        pq.write_table(t, folder / f"{name}.parquet")
    meta = {"meta": store.meta(), "embedding_dim": store.embedding_dim, "fingerprint": fingerprint(tables)}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta["fingerprint"]


def import_tables(folder: Path, out: Path, engine: str) -> dict[str, dict[str, Any]]:
    """Create a store at ``out`` with ``engine`` from an :func:`export_tables` folder, then read it back; returns
    the copy's fingerprint."""
    import pyarrow.parquet as pq

    from graphrag.store.kuzu_store import KuzuGraphStore

    meta = json.loads((folder / "meta.json").read_text())
    with KuzuGraphStore(out, embedding_dim=int(meta["embedding_dim"]), engine=engine) as store:
        for key, value in meta["meta"].items():
            store.set_meta(key, value)
        for name in TABLES:
            path = folder / f"{name}.parquet"
            if path.exists():
                t = pq.read_table(path)
                if t.num_rows:
                    store.bulk_load(name, t)
        return fingerprint(read_tables(store))


def migrate(source: Path, out: Path, engine: str) -> dict[str, Any]:
    """Copy the store at ``source`` into a new store at ``out`` made by ``engine``, check that every table has the
    same rows and ids, and return both fingerprints with the seconds each half took. The PII vault beside the
    store comes along. Raises :class:`~graphrag.errors.StoreError` (and removes ``out``) when the copy differs."""
    import os
    import shutil
    import subprocess
    import tempfile
    import time

    from graphrag.errors import StoreError
    from graphrag.store.engines import ENGINES, detect_engine
    from graphrag.store.kuzu_store import KuzuGraphStore

    if engine not in ENGINES:
        raise StoreError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    found = detect_engine(source)
    if found is None:
        raise StoreError(f"no database at {source}")
    if found == engine:
        raise StoreError(f"the store at {source} is already a {engine} store")
    if out.exists() or Path(f"{out}.wal").exists():
        raise StoreError(f"{out} exists; migrate writes a new store: name another --out or remove it")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".migrate-") as tmp:
        with KuzuGraphStore(source, read_only=True) as store:
            before = export_tables(store, Path(tmp))
        t1 = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "graphrag.store.table_io", tmp, str(out), engine],
            capture_output=True, text=True, env=os.environ.copy(), check=False,
        )  # fmt: skip
    t2 = time.perf_counter()
    if child.returncode != 0:
        _remove(out)
        raise StoreError(f"migrating to {engine} failed: {child.stderr.strip().splitlines()[-1:]}")
    after = json.loads(child.stdout.strip().splitlines()[-1])
    if after != before:
        _remove(out)
        differ = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        raise StoreError(f"the copy at {out} differs from {source} in {', '.join(differ)}; it was removed")
    vault = Path(f"{source}.pii-vault.jsonl")
    if vault.exists():
        shutil.copy2(vault, f"{out}.pii-vault.jsonl")
    return {"from": found, "to": engine, "tables": after, "export_s": round(t1 - t0, 2), "import_s": round(t2 - t1, 2)}


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m graphrag.store.table_io FOLDER OUT ENGINE``: import, print the copy's fingerprint as JSON."""
    folder, out, engine = (argv if argv is not None else sys.argv[1:])[:3]
    print(json.dumps(import_tables(Path(folder), Path(out), engine)))


if __name__ == "__main__":
    main()


__all__ = [
    "READ_TABLE", "TABLES", "export_tables", "fingerprint", "import_tables", "migrate", "read_table", "read_tables",
]  # fmt: skip
