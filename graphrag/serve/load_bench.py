"""Benchmark: ``graphrag serve`` under load (maintainers only).

Starts ``graphrag serve`` on 127.0.0.1 in a child process, waits for ``/health`` (the cold start), then runs
``--clients`` threads that POST ``/ask`` (``llm`` as given, default ``none``) with seeded 2Wiki questions for
``--seconds``, and prints, as JSON, the cold start, requests per second, latency percentiles, errors, and the
server's resident memory at the start and the end of the run (from ``/metrics``); also the latencies of the
requests that asked a question for the first time in the run (new to the server's caches), the server's CPU time
per request (Linux; what a busy shared machine changes least) and the load average at the end. Run from the
repository root::

    python -m graphrag.serve.load_bench --db data/work/bench15/2wiki-titled.kuzu [--clients 4] [--seconds 60] \
        [--gnn auto|off] [--llm none] [--questions ../shared/data/2wikimultihopqa/questions.json] [--config TOML]

The ``--n`` questions repeat round-robin, so after the first ``--n`` requests the server has seen every question
(its question-embedding cache, ``[retrieve] query_cache_size``, then skips the model); a ``--config`` with a small
``query_cache_size`` measures questions that are all new to the server.
"""

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss(client: Any, base: str) -> float:
    for line in client.get(f"{base}/metrics").text.splitlines():
        if line.startswith("graphrag_resident_memory_mb "):
            return float(line.split()[1])
    return 0.0


def _cpu_s(pid: int) -> float | None:
    """The process's user + system CPU seconds (Linux ``/proc``; ``None`` elsewhere): CPU per request is what a
    busy shared machine changes least."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--gnn", default="auto")
    ap.add_argument("--llm", default="none")
    ap.add_argument("--questions", default="../shared/data/2wikimultihopqa/questions.json")
    ap.add_argument("--n", type=int, default=200, help="distinct questions, asked round-robin")
    ap.add_argument("--workers", type=int, default=1, help="graphrag serve --workers")
    ap.add_argument("--config", default=None, help="graphrag serve --config (a TOML file)")
    args = ap.parse_args(argv)

    import httpx
    import numpy as np

    data = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    questions = [q["question"] for q in random.Random(0).sample(data, min(args.n, len(data)))]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "graphrag", "serve", "--db", args.db, "--port", str(port), "--llm", args.llm,
           "--gnn", args.gnn, "--workers", str(args.workers)]  # fmt: skip
    if args.config:
        cmd += ["--config", args.config]
    t0 = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(timeout=120) as c:
            while True:
                try:
                    if c.get(f"{base}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    if server.poll() is not None:
                        why = server.stderr.read() if server.stderr else ""
                        raise RuntimeError(f"the server stopped: {why}") from None
                    time.sleep(0.2)
            cold = time.perf_counter() - t0
            c.post(f"{base}/ask", json={"question": questions[0]})  # the first question loads what is lazy
            rss_start = _rss(c, base)
        latencies: list[float] = []
        first_asks: list[float] = []  # requests whose question the server had not been asked before in the run
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def client(offset: int) -> None:
            i = offset
            with httpx.Client(timeout=120) as c:
                while time.perf_counter() < stop:
                    q = questions[i % len(questions)]
                    new = 0 < i < len(questions)  # questions[0] was asked before the run
                    i += args.clients
                    t = time.perf_counter()
                    r = c.post(f"{base}/ask", json={"question": q})
                    dt = time.perf_counter() - t
                    with lock:
                        latencies.append(dt)
                        if new:
                            first_asks.append(dt)
                        if r.status_code != 200:
                            errors.append(f"{r.status_code}: {r.text[:200]}")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        cpu_start = _cpu_s(server.pid)
        t_run = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t_run
        cpu_end = _cpu_s(server.pid)
        with httpx.Client(timeout=60) as c:
            rss_end = _rss(c, base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = np.array(latencies) * 1000
    first = np.array(first_asks or [0.0]) * 1000
    cpu = None if cpu_start is None or cpu_end is None else (cpu_end - cpu_start) / max(1, len(latencies)) * 1000
    out = {
        "db": args.db,
        "clients": args.clients,
        "seconds": round(wall, 1),
        "gnn": args.gnn,
        "llm": args.llm,
        "workers": args.workers,
        "config": args.config,
        "cold_start_s": round(cold, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / wall, 1),
        "ms": {f"p{q}": round(float(np.percentile(ms, q)), 1) for q in (50, 95, 99)},
        "first_asks": len(first_asks),
        "first_asks_ms": {f"p{q}": round(float(np.percentile(first, q)), 1) for q in (50, 95)},
        "server_cpu_ms_per_request": None if cpu is None else round(cpu, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "errors": len(errors),
        "first_errors": errors[:3],
        "rss_mb": {"start": rss_start, "end": rss_end},
    }
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
