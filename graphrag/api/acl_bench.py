"""Benchmark: what access control costs a question, and a leak check at corpus scale (maintainers only).

A copy of a store gets a seeded random ``--fraction`` of its documents restricted to the group ``restricted``.
Then the same questions are asked (``llm="none"``, as ``graphrag ask --llm none``), alternating per question, by
the owner (no principal: the whole store), by a reader without the group (the access-controlled view: about half
the store) and by an auditor in the group (every document readable: the store itself). Prints, as JSON, the
one-off cost of building the reader's view, the first question of each (everything loaded), the warm median and
p95 per question with their ratios to the owner's, and how many of the reader's answers cite a restricted
document (must be 0). Run from the repository root::

    python -m graphrag.api.acl_bench --db data/work/bench15/2wiki-titled.kuzu \
        [--questions ../shared/data/2wikimultihopqa/questions.json] [--n 100] [--fraction 0.5] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path
from typing import Any


def _questions(path: Path, n: int, seed: int) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else list(data.values())
    texts = [q["question"] if isinstance(q, dict) else str(q) for q in items]
    return random.Random(seed).sample(texts, min(n, len(texts)))


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return round(float(np.percentile(values, q)) * 1000, 1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="the store to copy (it is not changed)")
    ap.add_argument("--work", default="data/work/acl_bench.kuzu", help="where the restricted copy goes")
    ap.add_argument("--questions", default="../shared/data/2wikimultihopqa/questions.json")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--fraction", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from graphrag.runtime import Runtime

    Runtime().before_questions()
    from graphrag import GraphRAG
    from graphrag.acl import Principal
    from graphrag.store import KuzuGraphStore

    work = Path(args.work)
    work.parent.mkdir(parents=True, exist_ok=True)
    for p in (work, Path(f"{work}.wal")):
        p.unlink(missing_ok=True)
    shutil.copy2(args.db, work)
    with KuzuGraphStore(work) as store:
        ids = sorted(store.document_acls())
        restricted = set(random.Random(args.seed).sample(ids, round(args.fraction * len(ids))))
        t = time.perf_counter()
        store.set_document_acls({d: "restricted" if d in restricted else "" for d in ids})
        acl_update_s = time.perf_counter() - t
    readers = {
        "owner": GraphRAG(work, llm=None),
        "reader": GraphRAG(work, llm=None, principal=Principal.of("reader")),
        "auditor": GraphRAG(work, llm=None, principal=Principal.of("auditor", "restricted")),
    }
    questions = _questions(Path(args.questions), args.n + 1, args.seed)
    first: dict[str, float] = {}
    for name, rag in readers.items():
        t = time.perf_counter()
        rag.ask(questions[0], llm="none")
        first[name] = round(time.perf_counter() - t, 2)
    view = readers["reader"].access_report()
    times: dict[str, list[float]] = {name: [] for name in readers}
    cited_restricted = 0
    for i, q in enumerate(questions[1:]):
        order = list(readers) if i % 2 == 0 else list(reversed(readers))
        for name in order:
            t = time.perf_counter()
            result = readers[name].ask(q, llm="none")
            times[name].append(time.perf_counter() - t)
            if name == "reader":
                cited_restricted += sum(s.doc_id in restricted for s in result.sources)
    out: dict[str, Any] = {
        "store": str(args.db),
        "documents": len(ids),
        "restricted": len(restricted),
        "acl_update_s": round(acl_update_s, 2),
        "view": None if view is None else view.__dict__,
        "first_question_s": first,
        "questions": len(questions) - 1,
        "ms": {name: {"p50": _percentile(v, 50), "p95": _percentile(v, 95)} for name, v in times.items()},
        "reader_answers_citing_restricted_documents": cited_restricted,
    }
    owner = out["ms"]["owner"]
    out["ratio_to_owner"] = {
        name: {k: round(out["ms"][name][k] / owner[k], 3) for k in ("p50", "p95")}
        for name in readers
        if name != "owner"
    }
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
