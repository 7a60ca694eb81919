"""Benchmark: one question at a time in process against the same through ``graphrag serve`` (maintainers only).

What an explorer started with ``--server`` pays for not loading the models itself. The questions are asked, one
after another, by a :class:`~graphrag.api.GraphRAG` object in this process (new, then again: the second time their
embeddings are cached), then by a :class:`~graphrag.serve.client.ServerClient` against ``graphrag serve`` started on
127.0.0.1 in a child process with the same settings (new, then again; then again as a plain ``POST /ask`` that asks
for no record and decodes nothing). Prints the medians in ms and the load average, as JSON. Run from the
repository root::

    python -m graphrag.serve.client_bench --db data/work/bench15/2wiki-titled.kuzu [--gnn off] [--n 60] \
        [--questions ../shared/data/2wikimultihopqa/questions.json]
"""

import argparse
import dataclasses
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

WARM_UP = 5  # questions asked first by each side, not timed (loading, first-call costs)


def _median_ms(call: Callable[[str], Any], questions: Sequence[str]) -> float:
    times = []
    for q in questions:
        t0 = time.perf_counter()
        call(q)
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--gnn", default="off")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--n", type=int, default=60, help="questions timed (after the warm-up ones)")
    ap.add_argument("--questions", default="../shared/data/2wikimultihopqa/questions.json")
    args = ap.parse_args(argv)

    from graphrag.api import GraphRAG
    from graphrag.config import GraphRAGConfig
    from graphrag.serve.client import ServerClient

    data = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    sample = [q["question"] for q in random.Random(0).sample(data, min(args.n + WARM_UP, len(data)))]
    warm, questions = sample[:WARM_UP], sample[WARM_UP:]
    out: dict[str, Any] = {"n": len(questions), "gnn": args.gnn, "load_start": round(os.getloadavg()[0], 2)}

    cfg = GraphRAGConfig()
    cfg = dataclasses.replace(cfg, retrieve=dataclasses.replace(cfg.retrieve, gnn=args.gnn))
    rag = GraphRAG(args.db, config=cfg)

    def local(q: str) -> Any:
        return rag.ask(q, llm="none", k=args.k)

    for q in warm:
        local(q)
    out["in_process_new_ms"] = _median_ms(local, questions)
    out["in_process_again_ms"] = _median_ms(local, questions)
    rag.close()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "graphrag", "serve", "--db", args.db, "--port", str(port), "--llm", "none"]
    proc = subprocess.Popen([*cmd, "--gnn", args.gnn], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("graphrag serve did not start") from None
                time.sleep(0.5)
        client = ServerClient(url)

        def served(q: str) -> Any:
            return client.ask(q, k=args.k)

        def plain(q: str) -> Any:
            body = json.dumps({"question": q, "k": args.k}).encode()
            request = urllib.request.Request(url + "/ask", data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as r:
                return r.read()

        for q in warm:
            served(q)
        out["client_new_ms"] = _median_ms(served, questions)
        out["client_again_ms"] = _median_ms(served, questions)  # the server's question cache now holds them all
        out["plain_ask_again_ms"] = _median_ms(plain, questions)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out["load_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
