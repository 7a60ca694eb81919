"""The evaluations a :class:`~graphrag.api.GraphRAG` object runs (``rag.evaluate(kind, **options)``), by name.

Each entry says what it measures, the options it takes (the same names as the pipeline step's keys and, with
dashes, the CLI's flags; :attr:`Evaluation.usage` is the CLI synopsis the explorer shows) and the job that runs
it. The jobs themselves live in :mod:`graphrag.eval`; this module only ties them to a store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphrag.api.community_eval import communities_job
from graphrag.errors import ConfigError, UnknownBackendError

if TYPE_CHECKING:
    from graphrag.api.graphrag import GraphRAG
    from graphrag.config import RetrieveConfig
    from graphrag.extract.progress import IngestProgress


@dataclass(frozen=True)
class Evaluation:
    """One kind of evaluation.

    Args:
        name: what ``evaluate`` and ``graphrag eval`` call it.
        summary: one line on what it measures.
        usage: the ``graphrag eval NAME`` arguments, as the CLI spells them.
        uses_store: whether it reads this object's database (``--db``).
        required: options without a default.
        job: ``job(rag, **options) -> summary``.
    """

    name: str
    summary: str
    usage: str
    uses_store: bool
    required: tuple[str, ...]
    job: Callable[..., dict[str, Any]]

    def run(self, rag: GraphRAG, **options: Any) -> dict[str, Any]:
        """Run the job; a missing required option is a :class:`ConfigError` naming it."""
        missing = [k for k in self.required if options.get(k) is None]
        if missing:
            raise ConfigError(f"evaluation {self.name!r} needs " + ", ".join(f"`{k}`" for k in missing))
        return self.job(rag, **options)


def retrieval_job(
    rag: GraphRAG,
    *,
    corpus: str | Path,
    questions: str | Path,
    gold: str | Path,
    out: str | Path,
    limit: int = 0,
    ingest: bool = True,
    hide_titles: bool = False,
    retrieve: RetrieveConfig | None = None,
    ingest_progress: IngestProgress | None = None,
    progress_factory: Callable[[str, int], Callable[[int], None]] | None = None,
    log: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """Recall@2/@5 and latency of BM25, dense, fused, graph and hybrid retrieval on 2WikiMultiHopQA-style
    questions, in one run on this store (the corpus is ingested first unless ``ingest`` is false).

    With ``hide_titles`` the store gets an untitled copy of the corpus (titles replaced by opaque ids, gold map
    rewritten; :mod:`graphrag.eval.untitled`), written beside the store, so retrieval is measured from the text
    alone: use a store of its own for it.
    """
    from graphrag.eval.retrieval import run_retrieval_benchmark
    from graphrag.eval.twowiki import load_gold, load_questions

    if hide_titles:
        from graphrag.eval.untitled import untitled_copy

        copy = untitled_copy(corpus, gold, rag.db.parent / f"{rag.db.name}-untitled-input")
        corpus, gold = copy.corpus, copy.gold
        log(f"titles hidden: {copy.corpus} ({copy.titles} maps the titles to their ids)")

    qs = load_questions(questions, load_gold(gold))
    if limit > 0:
        qs = qs[:limit]
    if ingest:
        log(f"ingesting {corpus} into {rag.db} (documents already stored are skipped)")
        report = rag.ingest([corpus], progress=ingest_progress)
        log(f"ingest: {report.documents_loaded} document(s) loaded, {report.documents_unchanged} unchanged")
    rag.runtime.before_questions()  # after ingest, which may use every core: latency is per question
    with rag.released() as db:  # the benchmark opens the store itself (Kuzu's indexes are built)
        bench = run_retrieval_benchmark(
            questions=qs, db=db, config=retrieve or rag.config.retrieve, log=log, progress_factory=progress_factory
        )
    bench.meta.update(corpus=str(corpus), titles="hidden" if hide_titles else "shown")
    json_path, md_path = bench.write(out)
    return {
        "report": str(json_path),
        "table": str(md_path),
        "questions": len(qs),
        "titles": "hidden" if hide_titles else "shown",
        "systems": {s.name: {**s.recall, **{f"{k}_ms": v for k, v in s.latency_ms.items()}} for s in bench.systems},
    }


def kgqa_job(
    rag: GraphRAG,
    *,
    questions: list[str | Path],
    out: str | Path,
    kb: str | Path | None = None,
    models: list[str | Path] | tuple[str | Path, ...] = (),
    zero_shot: bool = False,
    zero_shot_scorer: str = "paths",
    llm: str = "none",
    llm_model: str = "",
    llm_sample: int = 50,
    latency_sample: int = 200,
    limit: int | None = None,
    skip: int = 0,
    embedder: str | None = None,
    plots: bool = True,
    progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """GNN-RAG (a trained checkpoint, or the zero-shot scorer) on KGQA question files over this store's KG:
    Hits@1, F1, candidate recall, path coverage and latency per hop count."""
    from graphrag.eval.kgqa_job import run_kgqa_eval

    emb = None
    if embedder:
        from graphrag.embed import make_embedder

        emb = make_embedder(embedder)
    with rag.released() as db:
        return run_kgqa_eval(
            db=db,
            questions=list(questions),
            out=out,
            kb=kb,
            models=list(models),
            zero_shot=zero_shot,
            zero_shot_scorer=zero_shot_scorer,
            skip=skip,
            llm=llm,
            llm_model=llm_model,
            llm_sample=llm_sample,
            latency_sample=latency_sample,
            limit=limit,
            embedder=emb,
            plots=plots,
            progress=progress,
            **({"log": log} if log is not None else {}),
        )


def triples_job(
    rag: GraphRAG,
    *,
    gold: str | Path,
    out: str | Path,
    limit: int | None = None,
    embedder: str = "minilm",
    batch_size: int = 64,
    on_progress: Callable[[int, int], None] | None = None,
    schema: str | Path | None = None,
    schema_mode: str = "strict",
) -> dict[str, Any]:
    """Precision / recall / F1 of the text-to-triples extractor on the WebNLG 2020 test set (strict and
    entity-pair matching), predicates mapped onto ``schema`` when one is given; needs no store."""
    from graphrag.eval.triple_eval import run_triples_eval

    del rag  # the extractor is scored on the gold texts, not on a store
    return run_triples_eval(
        gold,
        out,
        limit=limit,
        embedder=embedder,
        batch_size=batch_size,
        on_progress=on_progress,
        schema=schema,
        schema_mode=schema_mode,
    )


def kg_job(
    rag: GraphRAG,
    *,
    questions: str | Path,
    out: str | Path,
    title_map: str | Path | None = None,
    schema: str | Path | None = None,
) -> dict[str, Any]:
    """How many of a question file's gold evidence triples the store's graph holds (entity-pair recall, and
    where the rest is lost), and 100 random triples with their sentences to judge for precision
    (``<out>.sample.md``); ``title_map`` for a store of an untitled corpus; ``schema`` (a TOML file whose
    relations are named like the gold ones) adds strict recall, predicates mapped with the store's embedder."""
    import json

    from graphrag.eval.kg_recall import kg_recall, load_evidence, triple_sample, write_report

    facts = load_evidence(questions)
    mapping = None
    if title_map is not None:
        mapping = json.loads(Path(title_map).read_text(encoding="utf-8"))
    with rag.reading() as store:
        mapper = None
        if schema is not None:
            from graphrag.extract.schema import load_schema
            from graphrag.extract.schema_mapping import SchemaMapper
            from graphrag.retrieve.resources import embedder_for_store

            mapper = SchemaMapper(load_schema(schema), embedder_for_store(store, threads=None))
        data = kg_recall(store, facts, title_map=mapping, mapper=mapper).as_dict()
        sample = triple_sample(store, 100)
    json_path, md_path = write_report(data, out, sample=sample)
    return {**data, "report": str(json_path), "table": str(md_path)}


def qa_job(
    rag: GraphRAG,
    *,
    questions: str | Path,
    out: str | Path,
    answerers: Sequence[str] = ("extractive",),
    gold: str | Path | None = None,
    corpus: str | Path | None = None,
    limit: int = 0,
    skip: int = 0,
    absent: bool = False,
    workers: int = 1,
    model: str | None = None,
    base_url: str | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """``workers`` questions are asked at a time (for remote models); ``model`` and ``base_url`` set the
    endpoint of ``openai`` / ``ollama`` answerers (or a ``.gguf`` file for ``local``).

    ``absent`` also asks each question with the names it is about replaced by invented ones
    (:mod:`graphrag.eval.absent`), to measure abstention where nothing can answer.

    Answer quality through the whole ``ask`` path: exact match, F1, cited text holding the answer, citation
    precision / recall (with ``gold`` titles), abstention and latency, for each answerer (an LLM backend name:
    ``none``, ``local``, ``openai``, ``ollama``), side by side. ``corpus`` is ingested into the store first."""
    from graphrag.eval.qa import Reply, evaluate_qa, load_qa_items, write_report
    from graphrag.eval.twowiki import load_gold

    items = load_qa_items(questions, load_gold(gold) if gold is not None else None)[skip:]
    if limit > 0:
        items = items[:limit]
    if corpus is not None:
        rag.ingest([corpus])

    def ask(question: str, answerer: str) -> Reply:
        result = rag.ask(question, llm=answerer, model=model, base_url=base_url)
        cited = result.answer.citations
        return Reply(
            result.text,
            tuple(c.title for c in cited),
            tuple(p for c in cited for p in c.all_passages),
            support=result.support.as_dict() if result.support is not None else None,
            withheld=result.withheld,
        )

    reports = evaluate_qa(items, answerers, ask, workers=workers, on_progress=on_progress)
    absent_reports = []
    if absent:
        from graphrag.eval.absent import absent_entity_questions

        absent_items = absent_entity_questions(items)
        absent_reports = evaluate_qa(absent_items, answerers, ask, workers=workers, on_progress=on_progress)
    data = write_report(
        reports,
        out,
        question_file=str(questions),
        db=str(rag.db),
        settings={
            "answerers": list(answerers),
            "limit": limit,
            "skip": skip,
            "gnn": rag.config.retrieve.gnn,
            "gold": str(gold) if gold else None,
            "workers": workers,
            "model": model,
            "base_url": base_url,
        },  # fmt: skip
        absent=absent_reports,
    )
    return {**data, "report": str(out), "table": str(Path(out).with_suffix(".md"))}


def ceiling_job(
    rag: GraphRAG,
    *,
    kb: str | Path,
    questions: list[str | Path],
    qtypes: list[str | Path],
    format: str = "metaqa",  # noqa: A002 - the CLI's --format
    out: str | Path | None = None,
) -> dict[str, Any]:
    """The best Hits@1 any model can expect on MetaQA question files: a model that follows exactly the right
    relations and picks at random among what they reach; needs no store."""
    from graphrag.eval.kgqa_ceiling import ceiling_job as run_ceiling

    del rag
    return run_ceiling(kb, questions, qtypes, fmt=format, out=out)


EVALUATIONS: Mapping[str, Evaluation] = {
    e.name: e
    for e in (
        Evaluation(
            "retrieval",
            "Recall@2/@5 and latency of BM25, dense, fused, graph and hybrid retrieval (2WikiMultiHopQA).",
            "--corpus FILE --questions FILE --gold FILE --out REPORT.json [--db DIR] [--limit N] [--no-ingest] "
            "[--hide-titles]",
            True,
            ("corpus", "questions", "gold", "out"),
            retrieval_job,
        ),
        Evaluation(
            "kgqa",
            "GNN-RAG Hits@1, F1, candidate recall, path coverage and latency on KGQA questions (MetaQA).",
            "--questions FILE... (--model CKPT | --zero-shot) --out REPORT.json [--db DIR] [--kb FILE] [--limit N] "
            "[--llm local|openai|ollama]",
            True,
            ("questions", "out"),
            kgqa_job,
        ),
        Evaluation(
            "triples",
            "Text-to-triples precision / recall / F1, strict and entity-pair (WebNLG 2020).",
            "--gold FILE --out REPORT.json [--limit N] [--embedder minilm|hashing|none] [--schema FILE]",
            False,
            ("gold", "out"),
            triples_job,
        ),
        Evaluation(
            "kg",
            "How many gold evidence triples the extracted graph holds: entity-pair recall (2WikiMultiHopQA).",
            "--questions FILE --out REPORT.json [--db DIR] [--title-map titles.json] [--schema schema.toml]",
            True,
            ("questions", "out"),
            kg_job,
        ),
        Evaluation(
            "qa",
            "Answer quality through `ask`: EM / F1, citations, abstention and latency, answerers side by side.",
            "--questions FILE --out REPORT.json [--db DIR] [--gold FILE] [--corpus FILE] "
            "[--answerer none|extractive|local|openai|ollama ...] [--limit N] [--absent]",
            True,
            ("questions", "out"),
            qa_job,
        ),
        Evaluation(
            "kgqa-ceiling",
            "The best Hits@1 any model can expect on MetaQA question files (the data's ceiling).",
            "--kb FILE --questions FILE --qtypes FILE [--questions FILE --qtypes FILE ...] [--out FILE.json]",
            False,
            ("kb", "questions", "qtypes"),
            ceiling_job,
        ),
        Evaluation(
            "communities",
            "Are the communities meaningful (modularity, purity, gold passages together), and do global answers "
            "cover what they should.",
            "[--db DIR] [--questions FILE] [--label-predicate P] [--gold-titles FILE] [--level N] [--out FILE.json]",
            True,
            (),
            communities_job,
        ),
    )
}


def get_evaluation(name: str) -> Evaluation:
    """The evaluation called ``name``; an error listing the valid names otherwise."""
    try:
        return EVALUATIONS[name]
    except KeyError:
        raise UnknownBackendError("evaluation", name, list(EVALUATIONS)) from None


__all__ = ["EVALUATIONS", "Evaluation", "get_evaluation"]
