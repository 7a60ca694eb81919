"""``graphrag communities build`` and ``graphrag communities show``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import communities_app
from graphrag.cli._common import DEFAULT_DB_PATH, AsOption, DbOption, GroupsOption, console, principal_of


@communities_app.command("build")
def build_command(
    db: DbOption = DEFAULT_DB_PATH,
    full: Annotated[
        bool, typer.Option("--full", help="Cluster everything afresh (default: only what changed).")
    ] = False,
    resolution: Annotated[
        float, typer.Option("--resolution", min=0.01, help="Leiden resolution: higher gives smaller communities.")
    ] = 1.0,
    max_size: Annotated[
        int, typer.Option("--max-size", min=2, help="A community larger than this is split into a finer level.")
    ] = 25,
    levels: Annotated[int, typer.Option("--levels", min=1, max=6, help="Levels of the tree.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON.")] = False,
    llm: Annotated[
        str,
        typer.Option("--llm", help="Write reports with a model: local, gemma, openai or ollama (default: extractive)."),
    ] = "extractive",
    llm_levels: Annotated[int, typer.Option("--llm-levels", min=1, help="Levels whose reports the model writes.")] = 1,
    model: Annotated[str, typer.Option("--model", help="Model name (openai/ollama) or a .gguf path (local).")] = "",
    base_url: Annotated[str, typer.Option("--base-url", help="Endpoint for openai/ollama.")] = "",
) -> None:
    """Find the communities of the entity graph (hierarchical Leiden over triples and passage co-mentions) and
    write an extractive report for each; after an ingest, only the communities that changed are redone."""
    from graphrag.communities import LeidenSettings

    settings = LeidenSettings(resolution=resolution, max_size=max_size, max_levels=levels)
    endpoint = {k: v for k, v in (("model", model), ("base_url", base_url)) if v}
    report = GraphRAG(db).communities.build(full=full, settings=settings, llm=llm, llm_levels=llm_levels, **endpoint)
    if as_json:
        console().print(json.dumps(report.as_dict(), indent=2), markup=False)
        return
    levels_text = ", ".join(f"level {k}: {v}" for k, v in report.by_level.items())
    out = console()
    out.print(f"{report.mode} build: {report.entities:,} entities, {report.edges:,} edges", markup=False)
    out.print(f"communities: {levels_text}; modularity (level 0) {report.modularity}", markup=False)
    out.print(
        f"kept {report.kept:,}, added {report.added:,}, removed {report.removed:,}; reports written "
        f"{report.reports_written:,}; entities clustered {report.clustered:,}",
        markup=False,
    )
    out.print("seconds: " + ", ".join(f"{k} {v}" for k, v in report.timings_s.items()), markup=False)


@communities_app.command("show")
def show_command(
    db: DbOption = DEFAULT_DB_PATH,
    level: Annotated[int, typer.Option("--level", min=0, help="Which level (0 is the coarsest).")] = 0,
    community: Annotated[str, typer.Option("--id", help="Show one community in full.")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many communities to list.")] = 20,
    as_user: AsOption = None,
    groups: GroupsOption = None,
) -> None:
    """List the communities of a level, largest first, with their titles; ``--id`` prints one report."""
    views = GraphRAG(db, principal=principal_of(as_user, groups)).communities.list()
    out = console()
    if not views:
        out.print(f"no communities in {db}: run `graphrag communities build --db {db}` first", markup=False)
        raise typer.Exit(1)
    if community:
        match = [v for v in views if v.community.id == community]
        if not match:
            out.print(f"no community {community!r} in {db}", markup=False)
            raise typer.Exit(1)
        v = match[0]
        c = v.community
        subs = [x.community.id for x in views if x.community.parent == c.id]
        out.print(f"{c.id} (level {c.level}, {c.size} entities, parent {c.parent or '-'})", markup=False)
        out.print(c.summary, markup=False, soft_wrap=True)
        if subs:
            out.print("sub-communities: " + ", ".join(subs), markup=False, soft_wrap=True)
        return
    at = [v for v in views if v.community.level == level]
    out.print(f"{len(at):,} communities at level {level}:", markup=False)
    for v in at[:limit]:
        out.print(f"  {v.community.id}  {v.community.size:>6}  {v.community.title}", markup=False, soft_wrap=True)
