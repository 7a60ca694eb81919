"""Run the text-to-triples extractor on WebNLG and report precision / recall / F1 (JSON + Markdown).

Each sample's text goes through :class:`~graphrag.extract.analysis.SpacyAnalyzer`; when a resolver is given, triple
ends are replaced by the canonical names of their resolved entities (as ingestion stores them). Predicted
triples are deduplicated per sample, then scored against the gold triples with
:mod:`graphrag.eval.triple_metrics`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.table import Table

from graphrag.eval.triple_metrics import MATCHINGS, PRF, normalise_triple, score_sample
from graphrag.eval.webnlg import WebNLGSample, load_webnlg, samples
from graphrag.extract.analysis import SpacyAnalyzer
from graphrag.extract.entity_resolution import EntityResolver
from graphrag.extract.records import ChunkAnalysis
from graphrag.extract.schema_mapping import SchemaRefiner

N_EXAMPLES = 12
#: The ``embedder`` value that resolves entities by name alone.
NO_EMBEDDER = "none"
_BATCH = 256


def predicted_triples(analysis: ChunkAnalysis, resolver: EntityResolver | None) -> list[tuple[str, str, str]]:
    """The sample's predicted (subject, predicate, object), ends mapped to canonical names; duplicates and
    self-loops dropped."""
    names: dict[str, str] = {}
    if resolver is not None:
        names = {surface: e.name for surface, e in resolver.resolve(analysis.mentions).items()}
    seen: dict[tuple[str, str, str], None] = {}
    for t in analysis.triples:
        subject, obj = names.get(t.subject, t.subject), names.get(t.object, t.object)
        if subject != obj:  # two forms of one entity: resolution turned the triple into a self-loop
            seen.setdefault((subject, t.predicate, obj), None)
    return list(seen)


def _misses(sample: WebNLGSample, pred: list[tuple[str, str, str]]) -> dict[str, Any]:
    pred_pairs = {(s, o) for s, _, o in map(normalise_triple, pred)}
    missed = [
        list(t) for t in sample.triples if (lambda n: (n[0], n[2]))(normalise_triple(t)) not in pred_pairs
    ]
    return {
        "eid": sample.eid,
        "category": sample.category,
        "text": sample.text,
        "gold_missed_entity_pair": missed,
        "predicted": [list(t) for t in pred],
    }


def evaluate(
    gold: str | Path,
    analyzer: SpacyAnalyzer,
    resolver: EntityResolver | None = None,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    refiner: SchemaRefiner | None = None,
) -> dict[str, Any]:
    """Score ``analyzer`` (and ``resolver``) on the gold file; returns the report as a JSON-ready dict. With a
    schema ``refiner``, predicates are mapped onto the schema's relations first (as ``ingest --schema`` does)."""
    t0 = time.perf_counter()
    todo = samples(load_webnlg(gold), limit)
    totals = {m: PRF(0, 0, 0) for m in MATCHINGS}
    per_cat: dict[str, dict[str, PRF]] = {}
    examples: list[dict[str, Any]] = []
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        texts = [s.text for s in batch]
        analyses = analyzer.analyse(texts)
        if refiner is not None:
            analyses = refiner.refine(texts, analyses)
        for sample, analysis in zip(batch, analyses, strict=True):
            pred = predicted_triples(analysis, resolver)
            cat = per_cat.setdefault(sample.category, {m: PRF(0, 0, 0) for m in MATCHINGS})
            for m in MATCHINGS:
                score = score_sample(sample.triples, pred, m)
                totals[m] = totals[m] + score
                cat[m] = cat[m] + score
            if len(examples) < N_EXAMPLES and score_sample(sample.triples, pred, "entity_pair").tp < len(
                sample.triples
            ):
                examples.append(_misses(sample, pred))
        if on_progress is not None:
            on_progress(min(start + _BATCH, len(todo)), len(todo))
    elapsed = time.perf_counter() - t0
    return {
        "gold": str(gold),
        "n_samples": len(todo),
        "n_gold": totals["strict"].n_gold,
        "n_pred": totals["strict"].n_pred,
        "micro": {m: totals[m].as_dict() for m in MATCHINGS},
        "per_category": {c: {m: v[m].as_dict() for m in MATCHINGS} for c, v in sorted(per_cat.items())},
        "examples_of_misses": examples,
        "settings": {
            "spacy_model": analyzer.config.model,
            "rules": {k: getattr(analyzer.rules, k) for k in analyzer.rules.__dataclass_fields__},
            "resolver": None
            if resolver is None
            else {
                "embedder": getattr(resolver.embedder, "name", None),
                "alias_merge": resolver.config.alias_merge,
                "similarity_threshold": resolver.config.similarity_threshold,
            },
            "limit": limit,
            "schema": None if refiner is None else refiner.report(),
        },
        "elapsed_s": round(elapsed, 2),
        "samples_per_s": round(len(todo) / elapsed, 2) if elapsed > 0 else None,
    }


def render_markdown(report: dict[str, Any]) -> str:
    """A short Markdown summary of a report: overall table, per-category table, a few misses."""
    lines = [
        "# WebNLG text-to-triples evaluation",
        "",
        f"Gold: `{report['gold']}` - {report['n_samples']:,} texts, {report['n_gold']:,} gold triples, "
        f"{report['n_pred']:,} predicted. Time: {report['elapsed_s']} s.",
        "",
        "Terms are normalised (case, underscores, camelCase, punctuation, quotes, articles, a trailing "
        "parenthesised qualifier, accents) before matching, and numbers and dates compare by value (\"98 minutes\" = "
        "\"98.0\", \"May 2, 1908\" = \"1908-05-02\"); matching is one-to-one (multiset), micro-averaged.",
        "",
        "| matching | precision | recall | F1 | TP |",
        "|---|---:|---:|---:|---:|",
    ]
    for m, v in report["micro"].items():
        lines.append(f"| {m} | {v['precision']:.4f} | {v['recall']:.4f} | {v['f1']:.4f} | {v['tp']:,} |")
    lines += [
        "",
        "## Per category",
        "",
        "| category | gold | strict F1 | entity-pair P | entity-pair R | entity-pair F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for cat, v in report["per_category"].items():
        ep = v["entity_pair"]
        lines.append(
            f"| {cat} | {ep['n_gold']:,} | {v['strict']['f1']:.4f} | {ep['precision']:.4f} | "
            f"{ep['recall']:.4f} | {ep['f1']:.4f} |"
        )
    lines += ["", "## Examples of misses", ""]
    for ex in report["examples_of_misses"][:5]:
        lines.append(f"- **{ex['eid']}** ({ex['category']}): {ex['text']}")
        lines.append(f"  - missed: {'; '.join(' | '.join(t) for t in ex['gold_missed_entity_pair'])}")
        lines.append(f"  - predicted: {'; '.join(' | '.join(t) for t in ex['predicted']) or '(none)'}")
    return "\n".join(lines) + "\n"


def report_tables(report: dict[str, Any]) -> list[Table]:
    """Rich tables of a report: overall precision / recall / F1 per matching, then per category."""
    t = Table(
        "matching",
        "precision",
        "recall",
        "F1",
        "TP",
        "predicted",
        "gold",
        title=f"WebNLG text-to-triples ({report['n_samples']:,} texts)",
    )
    for m, v in report["micro"].items():
        t.add_row(
            m,
            f"{v['precision']:.4f}",
            f"{v['recall']:.4f}",
            f"{v['f1']:.4f}",
            f"{v['tp']:,}",
            f"{v['n_pred']:,}",
            f"{v['n_gold']:,}",
        )
    c = Table(
        "category",
        "gold",
        "strict F1",
        "entity-pair P",
        "entity-pair R",
        "entity-pair F1",
        title="Per category",
    )
    for cat, v in report["per_category"].items():
        ep = v["entity_pair"]
        c.add_row(
            cat,
            f"{ep['n_gold']:,}",
            f"{v['strict']['f1']:.4f}",
            f"{ep['precision']:.4f}",
            f"{ep['recall']:.4f}",
            f"{ep['f1']:.4f}",
        )
    return [t, c]


def write_report(report: dict[str, Any], out: str | Path) -> tuple[Path, Path]:
    """Write ``out`` (JSON) and the Markdown summary next to it (same name, ``.md``); returns both paths."""
    json_path = Path(out)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path = json_path.with_suffix(".md")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return json_path, md_path


def run_triples_eval(
    gold: str | Path,
    out: str | Path,
    *,
    limit: int | None = None,
    embedder: str = "minilm",
    batch_size: int = 64,
    on_progress: Callable[[int, int], None] | None = None,
    schema: str | Path | None = None,
    schema_mode: str = "strict",
) -> dict[str, Any]:
    """The whole ``eval triples`` job: check the gold file, load spaCy (and ``embedder`` for entity resolution,
    ``none`` for no embedder), score, and write the JSON report with its Markdown summary. Returns the report
    with the paths written under ``"files"``. ``schema`` maps predicates onto its relations (``schema_mode``
    ``strict`` drops triples no relation fits), by alias and by the embedder's similarity."""
    from graphrag.config import NLPConfig, ResolveConfig
    from graphrag.embed import make_embedder
    from graphrag.errors import ConfigError
    from graphrag.extract.analysis import SpacyAnalyzer
    from graphrag.extract.entity_resolution import EntityResolver

    if Path(out).suffix.lower() != ".json":
        raise ConfigError(f"--out must name a .json file, got {out}")
    load_webnlg(gold)  # fail on a bad gold file before loading any model
    emb = None if embedder == NO_EMBEDDER else make_embedder(embedder)
    refiner = None
    if schema is not None:
        from graphrag.extract.schema import load_schema
        from graphrag.extract.schema_mapping import SchemaMapper

        refiner = SchemaRefiner(SchemaMapper(load_schema(schema), emb), mode=schema_mode)
    analyzer = SpacyAnalyzer(NLPConfig(batch_size=batch_size))
    resolver = EntityResolver(emb, ResolveConfig())
    report = evaluate(gold, analyzer, resolver, limit=limit, on_progress=on_progress, refiner=refiner)
    json_path, md_path = write_report(report, out)
    return {**report, "files": {"json": str(json_path), "markdown": str(md_path)}}


__all__ = [
    "NO_EMBEDDER",
    "evaluate",
    "predicted_triples",
    "render_markdown",
    "report_tables",
    "run_triples_eval",
    "write_report",
]
