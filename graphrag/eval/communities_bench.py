"""Full against incremental community builds, repeated: ``python -m graphrag.eval.communities_bench``.

Each repetition copies the store to a temporary folder, builds its communities in full, ingests the ``--add``
files, and builds again (incrementally); it prints both builds' own ``total`` times, their ratio, and what the
incremental build redid. The store itself is never written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path

from graphrag.communities import build_communities
from graphrag.extract.embedding import recorded_embedder
from graphrag.extract.ingest import ingest
from graphrag.store import KuzuGraphStore


def run(db: Path, add: list[Path], repeat: int) -> dict[str, object]:
    """The repetitions' figures and their medians."""
    rows = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / db.name
            (shutil.copytree if db.is_dir() else shutil.copy2)(db, copy)
            with KuzuGraphStore(copy) as store:
                full = build_communities(store, full=True)
                embedder = recorded_embedder(store.meta().get("embedder", ""))
            ingest(add, db=copy, embedder=embedder)
            with KuzuGraphStore(copy) as store:
                inc = build_communities(store)
            rows.append(
                {
                    "full_s": full.timings_s["total"],
                    "incremental_s": inc.timings_s["total"],
                    "ratio": round(inc.timings_s["total"] / full.timings_s["total"], 3),
                    "redone": inc.added,
                    "kept": inc.kept,
                    "modularity": [full.modularity, inc.modularity],
                }
            )
    full_med = statistics.median(r["full_s"] for r in rows)
    inc_med = statistics.median(r["incremental_s"] for r in rows)
    return {"runs": rows, "median_full_s": full_med, "median_incremental_s": inc_med,
            "ratio_of_medians": round(inc_med / full_med, 3)}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="the store (copied, never written)")
    ap.add_argument("--add", type=Path, nargs="+", required=True, help="files to ingest between the builds")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.db, args.add, args.repeat), indent=2))


if __name__ == "__main__":
    main()
