"""``graphrag ask QUESTION``: hybrid retrieval, a cited answer, the graph evidence and the time of each
step. When the store names a trained GNN (``graphrag train-gnn``), GNN-RAG joins the hybrid retriever and its
answer candidates and reasoning paths are shown too (``--gnn auto|off|PATH``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from graphrag.api import LLM_CHOICES, GraphRAG
from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, AsOption, DbOption, GroupsOption, console, principal_of
from graphrag.config import GraphRAGConfig
from graphrag.errors import ConfigError, InputError


def _config(config: Path | None, llm: str, k: int, model: str, base_url: str, gnn: str = "") -> GraphRAGConfig:
    """The ``--config`` file's sections with the command's flags applied on top."""
    cfg = GraphRAGConfig.from_toml(config) if config else GraphRAGConfig()
    if llm not in LLM_CHOICES:
        raise ConfigError(f"unknown --llm {llm!r}; choose one of: {', '.join(LLM_CHOICES)}")
    if k <= 0:
        raise ConfigError(f"--k must be positive, got {k}")
    changes = {"llm": llm, "top_k": k}
    if model:
        changes["model"] = model
    if base_url:
        changes["base_url"] = base_url
    retrieve = dataclasses.replace(cfg.retrieve, gnn=gnn.strip()) if gnn.strip() else cfg.retrieve
    return dataclasses.replace(cfg, retrieve=retrieve, answer=dataclasses.replace(cfg.answer, **changes))


def _check_gnn_path(setting: str) -> None:
    """A checkpoint path the user named must exist (checked before anything heavy loads)."""
    from graphrag.gnnrag.component import resolve_checkpoint

    path, explicit = resolve_checkpoint(setting, {})
    if explicit and path is not None and not path.is_file():
        raise InputError(
            "no such GNN checkpoint (train one with `graphrag train-gnn`, or use --gnn auto|off)", path=str(path)
        )


def _print_global(rag: GraphRAG, question: str, level: int, llm: str, as_json: bool) -> None:
    answer = rag.communities.ask(question, level=level, llm=llm)
    out = console()
    if as_json:
        body = {
            "mode": "global",
            "question": question,
            "answer": answer.text,
            "communities": [{"id": c, "title": t} for c, t in answer.communities],
            "facet": answer.facet,
            "similarity": answer.similarity,
            "entities": [{"name": n, "count": k} for n, k in answer.entities],
            "passages": list(answer.passages),
        }
        out.print(json.dumps(body, indent=2, ensure_ascii=False), markup=False)
        return
    out.print(answer.text, markup=False, soft_wrap=True)
    if answer.communities:
        out.print("\nCommunities cited:", markup=False)
        for cid, title in answer.communities:
            out.print(f"  [{cid}] {title}", markup=False, soft_wrap=True)
    if answer.passages:
        out.print("\nPassages (a representative sentence of each cited community):", markup=False)
        for s in answer.passages:
            out.print(f"  [{s['doc']}] {s['text']}", markup=False, soft_wrap=True)


def _short(text: str, limit: int = 300) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[:limit].rsplit(" ", 1)[0] + " ..."


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    db: DbOption = DEFAULT_DB_PATH,
    llm: Annotated[
        str,
        typer.Option(
            "--llm",
            help="extractive (default: a short answer read out of the passages, no model), local (the packaged "
            "SmolLM2 GGUF model), gemma (the packaged Gemma 3 270M base model), none (the evidence), openai "
            "(any OpenAI-compatible server) or ollama.",
        ),
    ] = "extractive",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    k: Annotated[int, typer.Option("--k", help="Passages given to the model (and shown).")] = 5,
    model: Annotated[str, typer.Option("--model", help="Model name (openai/ollama) or a .gguf path (local).")] = "",
    base_url: Annotated[str, typer.Option("--base-url", help="Endpoint for openai/ollama.")] = "",
    config: Annotated[Path | None, typer.Option("--config", help="TOML with [retrieve] / [answer].")] = None,
    gnn: Annotated[
        str,
        typer.Option(
            "--gnn",
            help="GNN-RAG: auto (the checkpoint the store names, if any), off, or a checkpoint .pt path. "
            "Default: [retrieve] gnn, else auto.",
        ),
    ] = "",
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="local (passages and paths), global (a question about the whole corpus, answered from the "
            "community reports: `graphrag communities build` first) or auto (global when the question names no "
            "entity and asks about the collection as a whole).",
        ),
    ] = "local",
    level: Annotated[int, typer.Option("--level", min=0, help="Community level for --mode global.")] = 0,
    as_user: AsOption = None,
    groups: GroupsOption = None,
) -> None:
    """Answer a question from the graph: cited passages, graph evidence and per-step timings."""
    from graphrag.generate.answer_json import ask_result_dict

    if mode not in ("local", "global", "auto"):
        raise ConfigError(f"unknown --mode {mode!r}; choose one of: local, global, auto")
    cfg = _config(config, llm, k, model, base_url, gnn)
    _check_gnn_path(cfg.retrieve.gnn)  # before loading anything heavy
    rag = GraphRAG(db, config=cfg, principal=principal_of(as_user, groups))
    if mode == "auto":
        mode = rag.communities.route(question)
    if mode == "global":
        _print_global(rag, question, level, llm, as_json)
        return
    result = rag.ask(question, k=k)
    if as_json:
        out = ask_result_dict(result)
        out["timings_s"]["load"] = round(result.load_s, 4)
        console().print(json.dumps(out, indent=2, ensure_ascii=False), markup=False)
        return
    _print(result, result.load_s)


def _print(result, load_s: float) -> None:  # noqa: ANN001 - an AskResult
    out = console()
    a = result.answer
    out.print(f"[bold]Question:[/] {escape(a.question if len(a.question) < 400 else a.question[:400] + ' ...')}")
    out.print(f"[bold]Answer[/] ({escape(result.llm)}): {escape(a.text)}")
    if result.support is not None:
        s = result.support
        out.print(
            f"[dim]support {s.score:.2f} (type fit {s.type_fit:.1f}, grounding {s.grounding:.2f}, "
            f"linking {s.linking:.2f})[/]"
        )
    for note in result.notes:
        out.print(f"[yellow]note:[/] {escape(note)}")
    cited = {c.number for c in a.citations}
    title = "Cited passages" if a.citations else "Passages given to the model (none cited)"
    if result.llm == "none":
        title = "Passages"
    if result.sources or not result.gnn_checkpoint:
        out.print(f"\n[bold]{title}[/]")
    else:
        out.print("\n[bold]Passages[/]: none (the answer comes from the knowledge graph's reasoning paths)")
    for c in result.sources:
        if a.citations and c.number not in cited:
            continue
        passages = c.all_passages
        if len(passages) == 1:
            out.print(f"  [{c.number}] [bold]{escape(c.title)}[/]: {escape(_short(passages[0]))}")
            continue
        out.print(f"  [{c.number}] [bold]{escape(c.title)}[/] ({len(passages)} passages)")
        for text in passages:
            out.print(f"      - {escape(_short(text))}")
    if result.gnn_checkpoint:
        _print_gnn(result)
    hits_by_chunk = {h.chunk_id: h for h in result.retrieval.hits}
    out.print("\n[bold]Graph evidence[/]")
    if result.retrieval.links:
        linked = ", ".join(f"{escape(link.surface)} ({link.method})" for link in result.retrieval.links)
        out.print(f"  linked in the question: {linked}")
    else:
        out.print("  nothing in the question was linked to the graph")
    kg = set(result.retrieval.kg_paths)
    for p in [p for p in a.paths if p not in kg][:5]:
        out.print(f"  path: {escape(p.verbalise())}")
    for c in result.sources[:3]:
        relations = [r for cid in c.all_chunk_ids if (h := hits_by_chunk.get(cid)) is not None for r in h.relations]
        if relations:
            facts = "; ".join(" -> ".join(r) for r in relations[:3])
            out.print(f"  facts in [{c.number}]: {escape(facts)}")
    steps = {"load": load_s, **{k: v for k, v in a.timings_s.items() if "/" not in k}}
    out.print("\n[bold]Timings[/] " + " · ".join(f"{k} {v * 1000:.0f} ms" for k, v in steps.items()))
    stages: dict[str, list[str]] = {}
    for key, v in a.timings_s.items():
        if "/" in key:
            comp, stage = key.split("/", 1)
            stages.setdefault(comp, []).append(f"{stage} {v * 1000:.1f} ms")
    for comp, parts in stages.items():
        out.print(f"  {comp}: " + " · ".join(parts))


def _print_gnn(result, shown: int = 10) -> None:  # noqa: ANN001 - an AskResult
    """The GNN's candidates with probabilities and each one's first path, then its reasoning paths."""
    out = console()
    cands, paths = result.answer.candidates, result.retrieval.kg_paths
    out.print(f"\n[bold]GNN-RAG[/] (checkpoint {escape(result.gnn_checkpoint)})")
    if not cands:
        out.print("  no answer candidates (no entity of the question is in the knowledge graph)")
        return
    out.print(f"  candidates ({len(cands)}, best first):")
    for i, c in enumerate(cands[:shown], 1):
        out.print(f"  {i:>3}. {escape(c.name)}  p={c.score:.3f}")
    if len(cands) > shown:
        out.print(f"       ... and {len(cands) - shown} more (--json lists them all)")
    out.print(f"  reasoning paths ({min(shown, len(paths))} of {len(paths)}):")
    for p in paths[:shown]:
        out.print(f"    {escape(p.verbalise())}")
