"""The ``communities`` step: build (or update) the community tree, then answer global questions from it."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from graphrag.api.steps.context import RunContext, check_options


def communities_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """``full = false`` (rebuild everything), ``questions = [...]`` (answered with ``ask --mode global``)."""
    check_options("communities", params, ("full", "questions", "level"))
    report = ctx.rag.communities.build(full=bool(params.get("full", False)))
    t = Table("level", "communities", title=f"Communities ({report.mode} build, modularity {report.modularity})")
    for level, n in report.by_level.items():
        t.add_row(str(level), f"{n:,}")
    ctx.out.print(t)
    ctx.out.print(
        f"reports written {report.reports_written:,}, kept {report.kept:,}; {report.timings_s.get('total', 0)} s",
        markup=False,
    )
    answers = []
    for q in params.get("questions", []):
        a = ctx.rag.communities.ask(str(q), level=int(params.get("level", 0)))
        ctx.out.print(f"\nQ: {q}\n{a.text}", markup=False, soft_wrap=True)
        answers.append({"question": q, "answer": a.text, "communities": [c for c, _ in a.communities]})
    return {"build": report.as_dict(), "answers": answers}


__all__ = ["communities_step"]
