"""Writing KGQA reports: JSON, a Markdown table, a per-hop bar chart and a latency histogram.

Plots are drawn with matplotlib's object API on an Agg canvas (no pyplot, no global backend switch); when
matplotlib is not installed the JSON and Markdown are still written and the report says the plots were
skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from graphrag.eval.kgqa import KGQAReport

METRICS = (
    ("hits1", "Hits@1"),
    ("f1", "F1"),
    ("candidate_recall", "cand. recall"),
    ("path_coverage", "path cov."),
)


def markdown_table(report: dict[str, Any]) -> str:
    """A Markdown summary of a report dict (from :meth:`KGQAReport.to_dict`)."""
    s = report.get("settings", {})
    lines = [
        f"# KGQA evaluation: {s.get('scorer', '?')}",
        "",
        f"Questions: {', '.join(map(str, s.get('questions', []))) or '?'}  ",
        f"Model: {s.get('model') or '(zero-shot)'}  ",
        f"KB: {s.get('kb', '?')}; wall time {report.get('wall_s', 0):.1f} s",
        "",
        "| hops | questions | Hits@1 | F1 | cand. recall | mean cand. | path cov. | subgraph p50/p95 ms | "
        "GNN p50/p95 ms | paths p50/p95 ms | retrieval p50/p95 ms (embedding batched) | "
        "end to end p50/p95 ms (single question, embedding included) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(h, m) for h, m in report.get("by_hops", {}).items()]
    if len(rows) != 1:
        rows.append(("all", {**report.get("overall", {}), "end_to_end_latency_ms":
                             report.get("end_to_end_latency_ms", {})}))  # fmt: skip
    for hops, m in rows:
        if not m.get("questions"):
            continue
        lat = m["latency_ms"]
        e2e = m.get("end_to_end_latency_ms") or {}
        lines.append(
            f"| {hops} | {m['questions']:,} | {m['hits1']:.2f} | {m['f1']:.2f} | "
            f"{m['candidate_recall']:.2f} | "
            f"{m['mean_candidates']:.1f} | {m['path_coverage']:.2f} | "
            + " | ".join(
                f"{lat[p]['p50']:.1f} / {lat[p]['p95']:.1f}" for p in ("subgraph", "gnn", "paths", "total")
            )
            + (
                f" | {e2e['total']['p50']:.1f} / {e2e['total']['p95']:.1f} (n={e2e['questions']})"
                if e2e.get("questions")
                else " | -"
            )  # fmt: skip
            + " |"
        )
    e2e = report.get("end_to_end_latency_ms", {})
    if e2e.get("questions"):
        lines += [
            "",
            f"End-to-end latency of single questions ({e2e['questions']} sampled, "
            "question embedding included): "
            f"p50 {e2e['total']['p50']:.1f} ms, p95 {e2e['total']['p95']:.1f} ms "
            f"(embedding p50 {e2e['embed']['p50']:.1f} / p95 {e2e['embed']['p95']:.1f} ms).",
        ]
    llm_rows = [(h, m["llm"]) for h, m in report.get("by_hops", {}).items() if "llm" in m]
    if llm_rows:
        lines += [
            "",
            "| hops | GNN+LLM questions | LLM Hits@1 | LLM F1 | GNN Hits@1 (same questions) "
            "| LLM p50/p95 ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for hops, m in llm_rows:
            lines.append(
                f"| {hops} | {m['questions']} | {m['hits1']:.2f} | {m['f1']:.2f} | "
                f"{m['gnn_hits1_same_questions']:.2f} "
                f"| {m['latency_ms']['p50']:.0f} / {m['latency_ms']['p95']:.0f} |"
            )
    plots = report.get("plots") or []
    if plots:
        lines += ["", *[f"![{Path(p).stem}]({Path(p).name})" for p in plots]]
    return "\n".join(lines) + "\n"


def bar_chart(by_hops: dict[str, dict[str, Any]], path: Path, *, title: str) -> Path:
    """Grouped bars of Hits@1, F1, candidate recall and path coverage per hop count (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    hops = [h for h, m in by_hops.items() if m.get("questions")]
    fig = Figure(figsize=(7, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.8 / len(METRICS)
    x = np.arange(len(hops))
    for i, (key, label) in enumerate(METRICS):
        vals = [by_hops[h][key] for h in hops]
        bars = ax.bar(x + i * width - 0.4 + width / 2, vals, width, label=label)
        ax.bar_label(bars, fmt="%.2f", fontsize=6, padding=1)
    ax.set_xticks(x, [f"{h}-hop" if h.isdigit() else h for h in hops])
    ax.set_ylabel("%")
    lo = min([by_hops[h][k] for h in hops for k, _ in METRICS] + [100.0])
    ax.set_ylim(max(0.0, lo - 10), 101)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def latency_histogram(report: KGQAReport, path: Path, *, title: str) -> Path:
    """Histogram of per-question retrieval latency (ms), and of end-to-end latency when measured (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    retrieval = np.array([r.timings_s.get("total", 0.0) for r in report.results]) * 1000
    series: list[tuple[np.ndarray, str]] = [(retrieval, "subgraph + GNN + paths (embedding batched)")]
    if report.end_to_end:
        series.append(
            (
                np.array([t.get("total", 0.0) for t in report.end_to_end]) * 1000,
                "end to end, single question (embedding included)",
            )
        )
    hi = (
        max(float(np.percentile(s, 99)) for s, _ in series if len(s))
        if any(len(s) for s, _ in series)
        else 1.0
    )
    bins = np.linspace(0, max(hi, 1.0), 50)
    for values, label in series:
        ax.hist(np.clip(values, 0, bins[-1]), bins=bins, alpha=0.6, label=label, density=True)
    ax.set_xlabel("ms per question (values above p99 are in the last bin)")
    ax.set_ylabel("density")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def write_report(report: KGQAReport, out: str | Path, *, plots: bool = True) -> dict[str, Any]:
    """Write ``out`` (JSON), ``out`` with ``.md`` and, with ``plots``, ``*_hops.png`` and ``*_latency.png``.

    Returns the report dict that was written.
    """
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    data = report.to_dict()
    written: list[str] = []
    if plots:
        try:
            title = str(report.settings.get("scorer", "KGQA"))
            written.append(
                str(
                    bar_chart(
                        data["by_hops"],
                        out_path.with_name(out_path.stem + "_hops.png"),
                        title=f"{title}: answer quality per hop count",
                    )
                )
            )
            written.append(
                str(
                    latency_histogram(
                        report,
                        out_path.with_name(out_path.stem + "_latency.png"),
                        title=f"{title}: latency per question",
                    )
                )
            )
        except ImportError:
            data["plots_skipped"] = "matplotlib is not installed (pip install matplotlib)"
    data["plots"] = written
    out_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out_path.with_suffix(".md").write_text(markdown_table(data), encoding="utf-8")
    return data


__all__ = ["bar_chart", "latency_histogram", "markdown_table", "write_report"]
