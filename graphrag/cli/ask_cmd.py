"""``graphrag ask QUESTION``: hybrid retrieval, a cited answer, the graph evidence and the time of each
step."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console
from graphrag.config import AnswerConfig, RetrieveConfig, from_dict, load_toml
from graphrag.errors import ConfigError

LLM_CHOICES = ("local", "none", "openai", "ollama")


def _configs(
    config: Path | None, llm: str, k: int, model: str, base_url: str
) -> tuple[RetrieveConfig, AnswerConfig]:
    data = load_toml(config) if config else {}
    rcfg = from_dict(RetrieveConfig, data.get("retrieve"), section="retrieve")
    acfg = from_dict(AnswerConfig, data.get("answer"), section="answer")
    if llm not in LLM_CHOICES:
        raise ConfigError(f"unknown --llm {llm!r}; choose one of: {', '.join(LLM_CHOICES)}")
    if k <= 0:
        raise ConfigError(f"--k must be positive, got {k}")
    changes = {"llm": llm, "top_k": k}
    if model:
        changes["model"] = model
    if base_url:
        changes["base_url"] = base_url
    return rcfg, AnswerConfig(**{**acfg.__dict__, **changes})


def _short(text: str, limit: int = 300) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[:limit].rsplit(" ", 1)[0] + " ..."


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    db: DbOption = DEFAULT_DB_PATH,
    llm: Annotated[
        str, typer.Option("--llm", help="local (default GGUF model), none, openai or ollama.")
    ] = "local",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    k: Annotated[int, typer.Option("--k", help="Passages given to the model (and shown).")] = 5,
    model: Annotated[
        str, typer.Option("--model", help="Model name (openai/ollama) or a .gguf path (local).")
    ] = "",
    base_url: Annotated[str, typer.Option("--base-url", help="Endpoint for openai/ollama.")] = "",
    config: Annotated[Path | None, typer.Option("--config", help="TOML with [retrieve] / [answer].")] = None,
) -> None:
    """Answer a question from the graph: cited passages, graph evidence and per-step timings."""
    from graphrag.generate.llm import prefer_passive_openmp

    prefer_passive_openmp()  # before torch or llama.cpp load
    from graphrag.generate.answer import ask_result_dict, build_answerer
    from graphrag.retrieve.base import check_question, limit_blas_threads
    from graphrag.store import KuzuGraphStore

    rcfg, acfg = _configs(config, llm, k, model, base_url)
    check_question(question, max_chars=rcfg.max_question_chars)  # before loading anything heavy
    limit_blas_threads(1)
    t0 = time.perf_counter()
    with KuzuGraphStore(db, read_only=True) as store:
        answerer = build_answerer(store, rcfg, acfg)
        load_s = time.perf_counter() - t0
        result = ask_result = answerer.answer(question, k=k)
    if as_json:
        out = ask_result_dict(ask_result)
        out["timings_s"]["load"] = round(load_s, 4)
        console().print(json.dumps(out, indent=2, ensure_ascii=False), markup=False)
        return
    _print(result, load_s)


def _print(result, load_s: float) -> None:  # noqa: ANN001 - an AskResult
    out = console()
    a = result.answer
    out.print(
        f"[bold]Question:[/] {escape(a.question if len(a.question) < 400 else a.question[:400] + ' ...')}"
    )
    out.print(f"[bold]Answer[/] ({escape(result.llm)}): {escape(a.text)}")
    for note in result.notes:
        out.print(f"[yellow]note:[/] {escape(note)}")
    cited = {c.number for c in a.citations}
    title = "Cited passages" if a.citations else "Passages given to the model (none cited)"
    if result.llm == "none":
        title = "Passages"
    out.print(f"\n[bold]{title}[/]")
    for c in result.sources:
        if a.citations and c.number not in cited:
            continue
        out.print(f"  [{c.number}] [bold]{escape(c.title)}[/]: {escape(_short(c.text))}")
    hits_by_chunk = {h.chunk_id: h for h in result.retrieval.hits}
    out.print("\n[bold]Graph evidence[/]")
    if result.retrieval.links:
        linked = ", ".join(f"{escape(link.surface)} ({link.method})" for link in result.retrieval.links)
        out.print(f"  linked in the question: {linked}")
    else:
        out.print("  nothing in the question was linked to the graph")
    for p in a.paths[:5]:
        out.print(f"  path: {escape(p.verbalise())}")
    for c in result.sources[:3]:
        h = hits_by_chunk.get(c.chunk_id)
        if h is not None and h.relations:
            facts = "; ".join(" -> ".join(r) for r in h.relations[:3])
            out.print(f"  facts in [{c.number}]: {escape(facts)}")
    steps = {"load": load_s, **a.timings_s}
    out.print("\n[bold]Timings[/] " + " · ".join(f"{k} {v * 1000:.0f} ms" for k, v in steps.items()))
