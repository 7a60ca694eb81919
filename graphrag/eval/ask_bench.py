"""Benchmark: MetaQA test questions answered the way ``graphrag ask --llm none`` answers them (maintainers only).

One answerer is built as ``graphrag ask`` builds it (hybrid retriever with the GNN-RAG component the store's meta
names, or ``--gnn``), then N seeded test questions per hop count are answered twice: as written (``[Topic]`` in
brackets) and with the brackets removed, so the hybrid's entity linker has to find the topic. Prints, as JSON,
the Hits@1 of the top GNN candidate and wall-time percentiles per question. Run from the repository root::

    python -m graphrag.eval.ask_bench --db data/work/gnn/metaqa.kuzu [--n 100] [--gnn auto|off|CKPT] \
        [--metaqa ../shared/data/metaqa]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=100, help="questions per hop count")
    ap.add_argument("--gnn", default="auto")
    ap.add_argument("--metaqa", default="../shared/data/metaqa")
    args = ap.parse_args()

    from graphrag.runtime import Runtime

    Runtime().before_questions()  # as `graphrag ask` does, before torch loads
    import numpy as np

    from graphrag.config import AnswerConfig, RetrieveConfig
    from graphrag.generate.answer import build_answerer
    from graphrag.store import KuzuGraphStore

    t0 = time.perf_counter()
    with KuzuGraphStore(args.db, read_only=True) as store:
        answerer = build_answerer(store, RetrieveConfig(gnn=args.gnn), AnswerConfig(llm="none"), llm=None)
    out: dict = {"load_s": round(time.perf_counter() - t0, 2), "gnn": args.gnn, "by_hop": {}}
    for hop in (1, 2, 3):
        path = Path(args.metaqa) / f"{hop}-hop" / "vanilla" / "qa_test.txt"
        sample = random.Random(0).sample(path.read_text(encoding="utf-8").splitlines(), args.n)
        for style in ("brackets", "plain"):
            hits, times = 0, []
            for line in sample:
                question, gold = line.split("\t")
                if style == "plain":
                    question = question.replace("[", "").replace("]", "")
                t = time.perf_counter()
                cands = answerer.answer(question).answer.candidates
                times.append(time.perf_counter() - t)
                hits += bool(cands) and cands[0].name in set(gold.split("|"))
            out["by_hop"][f"{hop}-hop {style}"] = {
                "questions": args.n,
                "hits1": round(100 * hits / args.n, 1),
                "ms_p50": round(float(np.percentile(times, 50)) * 1000, 1),
                "ms_p95": round(float(np.percentile(times, 95)) * 1000, 1),
            }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
