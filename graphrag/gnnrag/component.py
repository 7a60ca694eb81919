"""GNN-RAG as the graph component of the hybrid retriever ("GNN-RAG + RA").

When the store holds a KG with a trained GNN (``graphrag train-gnn`` names the checkpoint in the store's meta,
key :data:`~graphrag.gnnrag.jobs.META_CHECKPOINT`), the hybrid retriever gets a component named ``gnn``. For each
question it returns

* the GNN's answer candidates with their probabilities and verbalised shortest reasoning paths (the evidence
  the answer prompt shows as "Reasoning paths:"), and
* for KGs extracted from text, the passages behind them as ranked hits
  (:class:`~graphrag.gnnrag.passages.ChunkProvenance`), fused with the BM25, vector and graph hits by
  reciprocal rank.

Imported KGs have no passages: the component then returns no hits, only candidates and paths, and the answer
is built from those.

:func:`load_gnn_component` resolves the ``[retrieve] gnn`` setting (``auto``, ``off`` or a checkpoint path),
checks the checkpoint against the store's embedder, and loads the KG index and the model once.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from graphrag.errors import ConfigError, GraphRAGError, InputError
from graphrag.gnnrag.passages import ChunkProvenance
from graphrag.types import Candidate, Hit, ReasoningPath

if TYPE_CHECKING:
    from graphrag.config import RetrieveConfig
    from graphrag.embed import Embedder
    from graphrag.gnnrag.checkpoint import GNNCheckpoint
    from graphrag.gnnrag.retriever import GNNRAGRetriever, GraphTrace
    from graphrag.gnnrag.subgraph import KGIndex
    from graphrag.gnnrag.topics import TopicLinker
    from graphrag.retrieve.fusion import Reranker
    from graphrag.retrieve.hybrid import HybridRetriever
    from graphrag.retrieve.question_linking import EntityLinker, Link
    from graphrag.retrieve.questions import QueryEncoder
    from graphrag.retrieve.resources import RetrievalResources

GNN_COMPONENT = "gnn"
OFF = "off"
AUTO = "auto"
#: Store meta key naming the most recently trained checkpoint for the KG in that store.
META_CHECKPOINT = "gnn_checkpoint"


@dataclass(frozen=True)
class GNNEvidence:
    """What the GNN component found for one question: passage hits (text KGs only) with the reasoning path
    that led to each, the topic entities as links, every candidate with its probability and paths, all paths
    deduplicated (``kg_paths``, best candidate first) and seconds per GNN stage."""

    hits: tuple[Hit, ...]
    paths: dict[str, ReasoningPath]
    links: tuple[Link, ...]
    candidates: tuple[Candidate, ...]
    kg_paths: tuple[ReasoningPath, ...]
    timings_s: dict[str, float] = field(default_factory=dict)


class _EntityTopics:
    """A :data:`~graphrag.gnnrag.retriever.TopicLinker` over the hybrid's entity linker (names, aliases, titles,
    and embedding matches unless ``exact_only``), plus the all-lowercase names ``extra`` finds that it did not link
    (the KG's exact lowercase multi-word names, such as MetaQA's tags, which the entity linker skips). A span that
    names passages (by title) but no entity stands for the entities those passages are about (``about``: chunk row
    -> entity rows), so "Aylwin (Film)" finds the entity "Aylwin" of the passage titled "Aylwin (film)"."""

    def __init__(
        self,
        linker: EntityLinker,
        *,
        exact_only: bool = False,
        extra: TopicLinker | None = None,
        about: Mapping[int, tuple[int, ...]] | None = None,
    ) -> None:
        self.linker = linker
        self.exact_only = exact_only
        self.extra = extra
        self.about = about or {}

    def __call__(self, question: str) -> list[tuple[str, str]]:
        links = self.linker.exact_links(question)[0] if self.exact_only else self.linker.link(question)
        ids = self.linker.entities.ids
        found = [
            (link.surface, ids[r])
            for link in links
            for r in link.entity_rows or dict.fromkeys(e for c in link.chunk_rows for e in self.about.get(c, ()))
        ]
        if self.extra is not None:
            linked = " ".join(surface.lower() for surface, _ in found)
            found += [(s, e) for s, e in self.extra(question) if s.islower() and s not in linked]
        return found


class _SharedEncoder:
    """The hybrid's question encoder as an :class:`~graphrag.embed.Embedder`, so the GNN's (masked) question is
    embedded in the hybrid's one batched model call and cached with it."""

    def __init__(self, encoder: QueryEncoder, name: str) -> None:
        self.encoder = encoder
        self.name = name
        self.dim = encoder.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit embeddings of ``texts``."""
        return self.encoder.encode_many(list(texts))


class GNNComponent:
    """The GNN-RAG retriever as a hybrid component (see the module docstring).

    Args:
        gnn: the GNN-RAG retriever (KG index, model, topic linker).
        checkpoint: the checkpoint file it was loaded from (shown to users).
        provenance: passages behind KG edges and entities; ``None`` for a KG without passages.
        prefetch_linker: finds topic entities without embedding anything, so :meth:`texts_to_embed` can name
            the masked question up front; ``None`` when the GNN does not embed through the shared encoder.
        entity_rows: entity id -> row of the hybrid's entity index (for the links shown to users).
        name: the name hits carry.
    """

    def __init__(
        self,
        gnn: GNNRAGRetriever,
        *,
        checkpoint: str,
        provenance: ChunkProvenance | None = None,
        prefetch_linker: TopicLinker | None = None,
        entity_rows: Mapping[str, int] | None = None,
        name: str = GNN_COMPONENT,
    ) -> None:
        self.gnn = gnn
        self.checkpoint = checkpoint
        self.provenance = provenance
        self.prefetch_linker = prefetch_linker
        self.entity_rows = entity_rows or {}
        self.name = name

    def texts_to_embed(self, question: str) -> list[str]:
        """The masked question the GNN will embed (topic entities found by exact name match)."""
        if self.prefetch_linker is None:
            return []
        from graphrag.gnnrag.topics import resolve_topics

        mask = self.gnn.settings.question_mask
        topics, text = resolve_topics(self.gnn.index, question, mask=mask, linker=self.prefetch_linker)
        return [text] if topics else []

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """Passages behind the GNN's candidates and paths (none for a KG without passages)."""
        return list(self.evidence(question, k).hits)

    def evidence(self, question: str, k: int) -> GNNEvidence:
        """Candidates, reasoning paths, topic links and, for text KGs, the passages behind them."""
        trace = self.gnn.trace(question)
        got = trace.retrieval
        timings = {key: v for key, v in got.timings_s.items() if key != "total"}
        hits: tuple[Hit, ...] = ()
        paths: dict[str, ReasoningPath] = {}
        if self.provenance is not None and got.candidates:
            t0 = time.perf_counter()
            hits, paths = self.provenance.hits(trace, k, self.name, self._name_of)
            timings["passages"] = time.perf_counter() - t0
        return GNNEvidence(hits, paths, self._links(trace), got.candidates, got.paths, timings)

    def _name_of(self, entity_id: str) -> str:
        index = self.gnn.index
        return index.names[index.id_to_index[entity_id]]

    def _links(self, trace: GraphTrace) -> tuple[Link, ...]:
        from graphrag.retrieve.question_linking import Link

        index = self.gnn.index
        out = []
        for eid in trace.topic_ids:
            row = self.entity_rows.get(eid)
            out.append(Link(index.names[index.id_to_index[eid]], "kg topic", 1.0, (row,) if row is not None else ()))
        return tuple(out)


def _family(name: str) -> str:
    """An embedder's registry name from its instance name (``hashing-384`` -> ``hashing``)."""
    if name.startswith("hashing"):
        return "hashing"
    return "minilm" if "minilm" in name.lower() else name


def checkpoint_embedder(
    ckpt: GNNCheckpoint, store_embedder: Embedder, *, store_records_embedder: bool, threads: int | None = 1
) -> Embedder | None:
    """The embedder the GNN needs for questions: ``None`` when it is the store's own (shared with the hybrid),
    a separate one when the store records no embedder (an imported KG; MiniLM with ``threads`` torch threads);
    a :class:`ConfigError` when the store was embedded with a different model than the checkpoint was trained
    with."""
    want, dim = ckpt.retriever.embedder, ckpt.model.question_dim
    if want == _family(store_embedder.name) and dim == int(store_embedder.dim):
        return None
    if store_records_embedder:
        raise ConfigError(
            f"the checkpoint was trained with the {want!r} embedder ({dim}-d) but this store's text is embedded "
            f"with {store_embedder.name!r} ({store_embedder.dim}-d); train a GNN on this store "
            "(graphrag train-gnn --db ...) or answer without it (--gnn off)"
        )
    from graphrag.embed import HashingEmbedder, make_embedder

    if want == "hashing":
        return HashingEmbedder(dim)
    return make_embedder(want, threads=threads) if want == "minilm" else make_embedder(want)


def resolve_checkpoint(setting: str, meta: Mapping[str, str]) -> tuple[Path | None, bool]:
    """The checkpoint named by ``setting`` (``auto``: the store's meta; ``off``: none; else a path) and
    whether the user named it explicitly."""
    value = (setting or AUTO).strip()
    if value.lower() == OFF:
        return None, False
    if value.lower() == AUTO:
        recorded = meta.get(META_CHECKPOINT, "")
        return (Path(recorded), False) if recorded else (None, False)
    return Path(value).expanduser(), True


def load_gnn_component(
    resources: RetrievalResources, setting: str | None = None, *, required: bool = False
) -> tuple[GNNComponent | None, tuple[str, ...]]:
    """The GNN component for ``setting`` (default ``resources.config.gnn``), and notes for the user.

    With ``auto`` and no checkpoint in the store's meta: ``(None, ())``, the hybrid is as without GNN-RAG. With
    ``auto`` and a checkpoint that is missing, unreadable or does not fit the store: ``(None, (warning,))``.
    With an explicit path (or ``required``), those problems raise (:class:`InputError` / :class:`ConfigError`).
    """
    setting = resources.config.gnn if setting is None else setting
    meta = resources.store.meta()
    path, explicit = resolve_checkpoint(setting, meta)
    if path is None:
        return None, ()
    try:
        return _load(resources, path, store_records_embedder=bool(meta.get("embedder"))), ()
    except GraphRAGError as exc:
        if explicit or required:
            raise
        why = str(exc).removeprefix(f"{path}: ")
        return None, (
            f"the store names the GNN checkpoint {path}, but it cannot be used ({why}); answering without "
            "GNN-RAG (train one with `graphrag train-gnn`, pass --gnn PATH, or --gnn off to silence this)",
        )


def kg_index(resources: RetrievalResources, *, co_mentions: bool = False) -> KGIndex:
    """The KG's adjacency (entities and relation edges, plus passage co-mentions when asked) in memory, loaded
    once per set of resources."""
    from graphrag.gnnrag.subgraph import KGIndex

    key = "kg_index+co_mentions" if co_mentions else "kg_index"
    return resources.shared(key, lambda: KGIndex.from_store(resources.store, co_mentions=co_mentions))


def question_linker(resources: RetrievalResources, index: KGIndex) -> TopicLinker:
    """How GNN-RAG finds a plain question's topic entities in a store: the hybrid's entity linker (names,
    aliases, titles, embedding matches) plus the KG's exact lowercase multi-word names. Training on a text
    store uses the same linker as answering, so the model sees the topics it will be given."""
    from graphrag.gnnrag.topics import KGNameLinker

    extra = KGNameLinker(index, lowercase_spans=True)
    return _EntityTopics(resources.linker(), extra=extra, about=_passage_topics(resources))


def _passage_topics(resources: RetrievalResources) -> dict[int, tuple[int, ...]]:
    """``chunk row -> entity rows`` of what each passage is about (the store's ABOUT edges)."""
    about: dict[int, tuple[int, ...]] = {}
    for chunk_row, entity_row, _source in resources.about():
        about[chunk_row] = (*about.get(chunk_row, ()), entity_row)
    return about


def _required_component(resources: RetrievalResources) -> GNNComponent:
    """The registry entry for ``gnn`` named in ``[retrieve] components``: the component, or a clear error."""
    component, _ = load_gnn_component(resources, required=True)
    if component is None:
        raise ConfigError(
            "the retriever 'gnn' needs a trained GNN: this store's meta names none and [retrieve] gnn is "
            f"{resources.config.gnn!r}; train one (graphrag train-gnn --db ...) or set [retrieve] gnn = PATH.pt"
        )
    return component


def hybrid_retriever(
    resources: RetrievalResources, config: RetrieveConfig | None = None, *, reranker: Reranker | None = None
) -> HybridRetriever:
    """The hybrid retriever of ``config.components`` plus GNN-RAG: the component named ``gnn`` (fusion weight
    ``config.gnn_weight``) joins when ``config.gnn`` finds a trained checkpoint; ``gnn`` may also be named in
    ``components`` like any other retriever."""
    from graphrag.retrieve.hybrid import Component, HybridRetriever
    from graphrag.retrieve.registry import RETRIEVERS

    cfg = config or resources.config
    if GNN_COMPONENT in cfg.components and cfg.gnn.strip().lower() == OFF:
        raise ConfigError(f"[retrieve] components names {GNN_COMPONENT!r} but gnn = 'off'")
    extra: list[Component] = []
    notes: tuple[str, ...] = ()
    if GNN_COMPONENT not in cfg.components:
        gnn, notes = load_gnn_component(resources, cfg.gnn)
        if gnn is not None:
            extra.append(Component(GNN_COMPONENT, gnn, float(cfg.gnn_weight)))
    registry = {**RETRIEVERS, GNN_COMPONENT: _required_component}
    return HybridRetriever.from_config(resources, cfg, reranker=reranker, registry=registry, extra=extra, notes=notes)


def _load(resources: RetrievalResources, path: Path, *, store_records_embedder: bool) -> GNNComponent:
    from graphrag.gnnrag.checkpoint import load_checkpoint
    from graphrag.gnnrag.data import relation_embeddings
    from graphrag.gnnrag.retriever import GNNRAGRetriever, comparison_reasoner
    from graphrag.gnnrag.scorers import GNNScorer
    from graphrag.gnnrag.subgraph import SubgraphExtractor
    from graphrag.gnnrag.topics import KGNameLinker

    if path.is_file() and not zipfile.is_zipfile(path):  # torch.save writes a zip; spare users torch's essay
        raise InputError("not a GNN checkpoint (written by `graphrag train-gnn`)", path=str(path))
    ckpt = load_checkpoint(path)
    own = checkpoint_embedder(
        ckpt,
        resources.embedder,
        store_records_embedder=store_records_embedder,
        threads=resources.config.query_threads,
    )
    index = kg_index(resources, co_mentions=ckpt.retriever.co_mentions)
    if index.num_edges == 0:
        raise InputError("the store holds no relation triples for the GNN to reason over", path=str(path))
    index.lookup_name("", case_sensitive=False)  # builds the name maps now, not on the first question (0.4 s)
    linker = resources.linker()
    lowercase_names = KGNameLinker(index, lowercase_spans=True)
    raw = own or resources.embedder
    question_embedder = own or _SharedEncoder(resources.encoder(), resources.embedder.name)
    try:
        scorer = GNNScorer(ckpt.build_model(), relation_embeddings(index.predicates, raw))
    except RuntimeError as exc:  # load_state_dict: weights that do not fit the recorded model shape
        raise InputError(f"the checkpoint's weights do not fit its model settings: {exc}", path=str(path)) from None
    extractor = SubgraphExtractor(index, ckpt.subgraph)
    gnn = GNNRAGRetriever(
        index,
        extractor,
        question_embedder,
        scorer,
        ckpt.retriever,
        linker=question_linker(resources, index),
        comparer=comparison_reasoner(index, extractor, raw) if ckpt.retriever.compare else None,
    )
    return GNNComponent(
        gnn,
        checkpoint=str(path),
        provenance=ChunkProvenance.from_resources(resources),
        prefetch_linker=(
            _EntityTopics(linker, exact_only=True, extra=lowercase_names, about=_passage_topics(resources))
            if own is None
            else None
        ),
        entity_rows=resources.entities().row_of,
    )


__all__ = [
    "GNN_COMPONENT",
    "META_CHECKPOINT",
    "hybrid_retriever",
    "kg_index",
    "ChunkProvenance",
    "GNNComponent",
    "GNNEvidence",
    "checkpoint_embedder",
    "load_gnn_component",
    "question_linker",
    "resolve_checkpoint",
]
