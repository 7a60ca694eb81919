"""Recall of a retrieval report on two parts of its questions: the part settings were tuned on, and the rest.

Benchmarks here are tuned on the first questions of a set and the rest are reported apart, as the check that a
change generalises. ``python -m graphrag.eval.split_report REPORT.json --at 200`` reads a report written by
``graphrag eval retrieval --out REPORT.json`` and prints R@2/R@5 per retriever on questions ``[:200]`` and
``[200:]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphrag.errors import GraphRAGError


def split_recall(report: dict[str, Any], at: int) -> list[tuple[str, dict[str, float], dict[str, float]]]:
    """``(retriever, recall on questions[:at], recall on questions[at:])``; recall in percent, per k."""
    out = []
    for system in report.get("systems", []):
        rows = system.get("per_question") or []
        if not rows:
            raise GraphRAGError(f"the report has no per-question rows for {system.get('name')!r}")
        keys = [k for k in rows[0] if k.startswith("R@")]
        parts = (rows[:at], rows[at:])
        out.append((system["name"], *({k: _mean(p, k) for k in keys} for p in parts)))
    return out


def _mean(rows: Sequence[dict[str, Any]], key: str) -> float:
    return round(100 * sum(r[key] for r in rows) / len(rows), 1) if rows else float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path, help="a JSON report of `graphrag eval retrieval`")
    ap.add_argument("--at", type=int, default=200, help="questions before this index are the tuning part")
    args = ap.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{args.report}: not a readable JSON report ({e})") from e
    n = len((report.get("systems") or [{}])[0].get("per_question") or [])
    print(f"| retriever | first {args.at}: R@2 | R@5 | other {max(n - args.at, 0)}: R@2 | R@5 |")
    print("|---|---:|---:|---:|---:|")
    for name, tune, rest in split_recall(report, args.at):
        print(f"| {name} | {tune.get('R@2')} | {tune.get('R@5')} | {rest.get('R@2')} | {rest.get('R@5')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
