"""A report on two parts of its questions: the part settings were tuned on, and the rest.

Benchmarks here are tuned on the first questions of a set and the rest are reported apart, as the check that a
change generalises. ``python -m graphrag.eval.split_report REPORT.json --at 200`` reads a report written by
``graphrag eval retrieval`` (R@2/R@5 per retriever), ``graphrag eval qa`` (EM, F1, abstention and F1 by question
type per answerer) or ``graphrag eval kg`` (entity-pair and strict recall of the evidence facts) and prints each on
questions ``[:200]`` and ``[200:]``.
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


def split_answers(report: dict[str, Any], at: int) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(answerer, scores on questions[:at], scores on questions[at:])`` of an ``eval qa`` report: EM, F1 and
    abstention in percent, and F1 per question type."""
    out = []
    for a in report.get("answerers", []):
        rows = a.get("per_question") or []
        if not rows:
            raise GraphRAGError(f"the report has no per-question rows for {a.get('answerer')!r}")
        parts = []
        for part in (rows[:at], rows[at:]):
            types = sorted({r.get("type") or "all" for r in part})
            by_type = {t: _mean([r for r in part if (r.get("type") or "all") == t], "f1") for t in types}
            parts.append(
                {"n": len(part), "em": _mean(part, "em"), "f1": _mean(part, "f1"),
                 "abstained": _mean(part, "abstained"), "f1_by_type": by_type}
            )  # fmt: skip
        out.append((a["answerer"], parts[0], parts[1]))
    return out


def split_kg(report: dict[str, Any], at: int) -> list[dict[str, Any]]:
    """Evidence recall of an ``eval kg`` report on its questions ``[:at]`` and ``[at:]``: facts, entity-pair and
    strict recall in percent (strict ``None`` when the report had no schema)."""
    rows = report.get("per_question") or []
    if not rows:
        raise GraphRAGError("the report has no per-question rows (written before `eval kg` kept them)")
    out = []
    for part in (rows[:at], rows[at:]):
        facts = sum(r["facts"] for r in part)
        strict = _share(part, "strict", facts) if report.get("strict_recall") is not None else None
        out.append(
            {"questions": len(part), "facts": facts, "entity_pair": _share(part, "recovered", facts), "strict": strict}
        )
    return out


def _share(rows: Sequence[dict[str, Any]], key: str, total: int) -> float:
    return round(100 * sum(r[key] for r in rows) / total, 2) if total else 0.0


def _mean(rows: Sequence[dict[str, Any]], key: str) -> float:
    return round(100 * sum(r[key] for r in rows) / len(rows), 1) if rows else float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path, help="a JSON report of `graphrag eval retrieval`, `eval qa` or `eval kg`")
    ap.add_argument("--at", type=int, default=200, help="questions before this index are the tuning part")
    args = ap.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{args.report}: not a readable JSON report ({e})") from e
    if "entity_pair_recall" in report:
        print("| part | questions | facts | entity-pair recall % | strict recall % |")
        print("|---|---:|---:|---:|---:|")
        for label, p in zip((f"first {args.at}", "the rest"), split_kg(report, args.at), strict=True):
            strict = "—" if p["strict"] is None else p["strict"]
            print(f"| {label} | {p['questions']} | {p['facts']} | {p['entity_pair']} | {strict} |")
        return 0
    if "answerers" in report:
        print("| answerer | part | questions | EM | F1 | abstained % | F1 by type |")
        print("|---|---|---:|---:|---:|---:|---|")
        for name, *parts in split_answers(report, args.at):
            for label, p in zip((f"first {args.at}", "the rest"), parts, strict=True):
                types = ", ".join(f"{t} {v}" for t, v in p["f1_by_type"].items())
                print(f"| {name} | {label} | {p['n']} | {p['em']} | {p['f1']} | {p['abstained']} | {types} |")
        return 0
    n = len((report.get("systems") or [{}])[0].get("per_question") or [])
    print(f"| retriever | first {args.at}: R@2 | R@5 | other {max(n - args.at, 0)}: R@2 | R@5 |")
    print("|---|---:|---:|---:|---:|")
    for name, tune, rest in split_recall(report, args.at):
        print(f"| {name} | {tune.get('R@2')} | {tune.get('R@5')} | {rest.get('R@2')} | {rest.get('R@5')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
