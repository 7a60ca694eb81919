"""Ingest benchmark: end-to-end ``graphrag ingest`` time and the dense retrieval quality of what it stored.

Run it as ``python -m graphrag.eval.ingest_bench --corpus C --questions Q --gold G [--work DIR]``. For each mode
(``default`` and ``fast``) it runs the real CLI in a fresh process on a fresh database, timing it from the
outside, then measures dense Recall@k on the questions: each question is embedded with plain float32 MiniLM,
every stored chunk embedding is scored by exact cosine similarity, each passage counts with its best chunk,
and Recall@k is the share of a question's gold passage titles among the top k passages, averaged over
questions. ``--baseline`` also embeds the raw passages (``title`` newline ``text``) with plain
sentence-transformers MiniLM in float32, the reference that the default mode must stay within one point of.

Inputs: the corpus is a JSON list (optionally gzipped) of ``{title, text}``; questions a JSON list of ``{id,
question}``; gold a JSON object ``question id -> [passage titles]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODES = {"default": [], "fast": ["--fast"]}
# The measured child process runs exactly what the `graphrag` command runs.
_CLI = "import sys; from graphrag.cli import main; sys.exit(main(sys.argv[1:]))"


def _load_json(path: Path) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def recall_at_k(
    question_vecs: np.ndarray,
    passage_vecs: np.ndarray,
    passage_titles: Sequence[str],
    gold: Sequence[Sequence[str]],
    ks: Sequence[int] = (2, 5),
) -> dict[int, float]:
    """Mean share of gold titles among the top-k passages by cosine (rows of both matrices are unit vectors).

    ``passage_vecs`` may hold several rows per title (chunks): a passage scores with its best row.
    """
    titles = sorted(set(passage_titles))
    col = {t: i for i, t in enumerate(titles)}
    owner = np.array([col[t] for t in passage_titles])
    sims = question_vecs @ passage_vecs.T
    best = np.full((len(question_vecs), len(titles)), -np.inf, dtype=np.float32)
    np.maximum.at(best.T, owner, sims.T)  # best chunk per passage
    order = np.argsort(-best, axis=1, kind="stable")[:, : max(ks)]
    out = {}
    for k in ks:
        scores = [len(set(g) & {titles[j] for j in order[i, :k]}) / len(set(g)) for i, g in enumerate(gold)]
        out[k] = float(np.mean(scores))
    return out


def stored_chunk_vectors(db: Path) -> tuple[np.ndarray, list[str]]:
    """Every chunk embedding in the database with its document's title."""
    from graphrag.store import KuzuGraphStore

    with KuzuGraphStore(db, read_only=True) as store:
        t = store.execute(
            "MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk) RETURN d.title AS title, c.embedding AS v"
        )
    vecs = np.asarray(t.column("v").to_pylist(), dtype=np.float32)
    return vecs, t.column("title").to_pylist()


def run_cli(corpus: Path, db: Path, extra: list[str]) -> dict[str, Any]:
    """``graphrag ingest corpus --db db --json`` in a fresh process; its report plus the outside wall time."""
    shutil.rmtree(db, ignore_errors=True)
    cmd = [sys.executable, "-c", _CLI, "ingest", str(corpus), "--db", str(db), "--json", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout)
    report["process_wall_s"] = round(wall, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; prints a Markdown summary and writes JSON to ``--out``."""
    ap = argparse.ArgumentParser(prog="python -m graphrag.eval.ingest_bench", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--questions", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("data/work/bench-ingest"))
    ap.add_argument("--modes", default="default,fast", help="comma-separated: default, fast")
    ap.add_argument(
        "--baseline", action="store_true", help="also embed raw passages with plain float32 MiniLM"
    )
    ap.add_argument("--out", type=Path, default=None, help="JSON results (default: WORK/results.json)")
    args = ap.parse_args(argv)

    from graphrag.embed.minilm import MiniLMEmbedder

    questions = {q["id"]: q["question"] for q in _load_json(args.questions)}
    gold_map: dict[str, list[str]] = _load_json(args.gold)
    qids = [q for q in gold_map if q in questions]
    gold = [gold_map[q] for q in qids]
    n_passages = len(_load_json(args.corpus))
    results: dict[str, Any] = {"passages": n_passages, "questions": len(qids), "modes": {}}
    plain = MiniLMEmbedder()
    qvecs = plain.embed([questions[q] for q in qids])
    args.work.mkdir(parents=True, exist_ok=True)
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        if mode not in MODES:
            raise SystemExit(f"unknown mode {mode!r}; choose from {sorted(MODES)}")
        report = run_cli(args.corpus, args.work / f"{mode}.kuzu", MODES[mode])
        vecs, titles = stored_chunk_vectors(args.work / f"{mode}.kuzu")
        rec = recall_at_k(qvecs, vecs, titles, gold)
        results["modes"][mode] = {
            "process_wall_s": report["process_wall_s"],
            "pipeline_wall_s": report["wall_s"],
            "passages_per_s": round(n_passages / report["process_wall_s"], 1),
            "recall@2": round(100 * rec[2], 2),
            "recall@5": round(100 * rec[5], 2),
            "timings_s": report["timings_s"],
            "counts": {k: report[k] for k in ("documents_new", "chunks", "entities", "mentions", "triples")},
        }
        print(f"{mode}: {json.dumps(results['modes'][mode])}", flush=True)
    if args.baseline:
        corpus = _load_json(args.corpus)
        t0 = time.perf_counter()
        pvecs = plain.embed([f"{p['title']}\n{p['text']}" for p in corpus])
        rec = recall_at_k(qvecs, pvecs, [p["title"] for p in corpus], gold)
        results["baseline_plain_minilm"] = {
            "embed_s": round(time.perf_counter() - t0, 1),
            "recall@2": round(100 * rec[2], 2),
            "recall@5": round(100 * rec[5], 2),
        }
        print(f"baseline: {json.dumps(results['baseline_plain_minilm'])}", flush=True)
    out = args.out or args.work / "results.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
