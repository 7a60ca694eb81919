"""The ``eval-triples`` step: text-to-triples precision / recall / F1 on WebNLG.

Options (a spec's ``[[steps]]`` table)::

    kind = "eval-triples"
    gold = "/path/to/webnlg2020_text2rdf/test_en.jsonl"   # or the original .xml
    out = "data/work/reports/webnlg_triples.json"         # a Markdown summary is written next to it
    limit = 200                                          # optional: only the first N texts
    embedder = "minilm"                                  # entity resolution embedder: minilm, hashing or none
    batch_size = 64                                      # optional: spaCy nlp.pipe batch size
"""

from __future__ import annotations

from typing import Any

from graphrag.errors import ConfigError
from graphrag.pipeline import RunContext, check_options, register_step

_OPTIONS = ("gold", "out", "limit", "embedder", "batch_size")


@register_step("eval-triples")
def eval_triples_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Score the extractor on a WebNLG gold file; returns the overall precision / recall / F1."""
    from graphrag.config import NLPConfig, ResolveConfig
    from graphrag.embed import make_embedder
    from graphrag.eval.triple_eval import evaluate, report_tables, write_report
    from graphrag.extract.nlp import SpacyAnalyzer
    from graphrag.extract.resolve import EntityResolver

    check_options("eval-triples", params, _OPTIONS)
    for key in ("gold", "out"):
        if not isinstance(params.get(key), str):
            raise ConfigError(f"eval-triples step needs `{key}`, a path")
    limit = params.get("limit")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ConfigError(f"eval-triples step: `limit` must be a positive integer, got {limit!r}")
    name = str(params.get("embedder", "minilm"))
    embedder = None if name == "none" else ctx.cached(f"embedder:{name}", lambda: make_embedder(name))
    batch_size = int(params.get("batch_size", NLPConfig().batch_size))
    analyzer = ctx.cached(f"spacy:{batch_size}", lambda: SpacyAnalyzer(NLPConfig(batch_size=batch_size)))
    report = evaluate(
        ctx.path(params["gold"]), analyzer, EntityResolver(embedder, ResolveConfig()), limit=limit
    )
    json_path, md_path = write_report(report, ctx.path(params["out"]))
    for table in report_tables(report):
        ctx.out.print(table)
    ctx.out.print(f"wrote {json_path} and {md_path}", markup=False)
    return {"micro": report["micro"], "n_samples": report["n_samples"], "report": str(json_path)}
