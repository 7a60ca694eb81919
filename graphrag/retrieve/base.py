"""The retriever seam: a Protocol, the registry of retrievers by name, and the shared resources they are built
from.

A retriever answers ``retrieve(question, k)`` with up to ``k`` ranked :class:`~graphrag.types.Hit` records.
Retrievers are built once (loading what they need from the store) and then reused for every question. Heavy
pieces that several retrievers need -- the chunk corpus, the question encoder, the entity index, the
entity-chunk graph -- are loaded once by :class:`RetrievalResources` and handed to each retriever's
constructor.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from graphrag.config import RetrieveConfig
from graphrag.errors import ConfigError, InputError, UnknownBackendError
from graphrag.types import Hit

if TYPE_CHECKING:
    from graphrag.embed import Embedder
    from graphrag.retrieve.corpus import ChunkCorpus
    from graphrag.retrieve.graph import EntityChunkGraph
    from graphrag.retrieve.linking import EntityIndex, EntityLinker, TitleMatcher
    from graphrag.retrieve.subgraph import KGIndex
    from graphrag.store import KuzuGraphStore


@runtime_checkable
class Retriever(Protocol):
    """Ranks chunks for a question."""

    name: str

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """Up to ``k`` hits, best first, each with its score and provenance."""


def check_question(question: str, *, max_chars: int) -> str:
    """The question stripped of outer whitespace; an :class:`InputError` if it is empty or longer than
    ``max_chars``."""
    if not isinstance(question, str):
        raise InputError(f"a question must be text, got {type(question).__name__}")
    q = question.strip()
    if not q:
        raise InputError(
            'the question is empty; ask something, e.g. graphrag ask "Who directed Gaby: A True Story?"'
        )
    if len(q) > max_chars:
        raise InputError(
            f"the question is {len(q):,} characters long; the limit is {max_chars:,} "
            "(ask a shorter question, or raise max_question_chars in the [retrieve] config)"
        )
    return q


class QueryEncoder:
    """Embeds questions, remembering the last few so the dense retriever and the entity linker share one
    encoding.

    Args:
        embedder: the same embedder the chunks were embedded with.
        cache_size: how many recent questions to remember.
    """

    def __init__(self, embedder: Embedder, *, cache_size: int = 32) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def dim(self) -> int:
        """Embedding size."""
        return int(self.embedder.dim)

    def encode(self, text: str) -> np.ndarray:
        """The unit embedding of ``text``, shape ``(dim,)``."""
        vec = self._cache.get(text)
        if vec is None:
            vec = np.asarray(self.embedder.embed([text])[0], dtype=np.float32)
            self._cache[text] = vec
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        return vec

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """Unit embeddings of ``texts``, shape ``(len(texts), dim)``; uncached ones are embedded in one
        batch."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for t in texts:  # the requested texts become the newest, so evicting below never drops one of them
            if t in self._cache:
                self._cache.move_to_end(t)
        if missing:
            vecs = np.asarray(self.embedder.embed(missing), dtype=np.float32)
            for t, v in zip(missing, vecs, strict=True):
                self._cache[t] = v
            while len(self._cache) > max(self.cache_size, len(texts)):
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def clear(self) -> None:
        """Forget remembered questions (benchmarks clear it so each system pays for its own encoding)."""
        self._cache.clear()


def limit_blas_threads(threads: int = 1) -> None:
    """Cap the BLAS (OpenBLAS/MKL) thread pool numpy uses, for the rest of the process.

    Answering one question multiplies one vector by the chunk matrix: one thread does it in about a
    millisecond. With the default pool, idle BLAS threads spin after each product and slow the question
    encoder that runs next on the same two cores (measured: hybrid p50 74 -> 34 ms). Commands that answer
    questions call this once; the library never does on its own. A no-op without ``threadpoolctl``.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=threads, user_api="blas")


def embedder_for_store(
    store: KuzuGraphStore, default: str = "minilm", *, threads: int | None = 1
) -> Embedder:
    """The embedder that made the store's chunk embeddings (its name is in the store's meta), so questions are
    embedded the same way; ``default`` when the store does not say.

    ``threads`` sets torch's intra-op threads for the MiniLM model (process-wide). One thread is the default:
    a single short question gains little from two, and on a busy 2-core machine two spinning OpenMP threads
    made one question take ~0.5 s instead of ~15 ms (measured). ``None`` keeps torch's
    setting.
    """
    from graphrag.embed import HashingEmbedder, make_embedder

    recorded = store.meta().get("embedder", "")
    if recorded.startswith("hashing-"):
        return HashingEmbedder(dim=int(recorded.removeprefix("hashing-")))
    if recorded and "minilm" not in recorded.lower():
        raise ConfigError(
            f"the store at {store.path} was embedded with {recorded!r}, which this toolkit cannot load"
        )
    name = default if not recorded else "minilm"
    return make_embedder(name, threads=threads) if name == "minilm" else make_embedder(name)


class RetrievalResources:
    """What retrievers are built from, each piece loaded on first use and then shared.

    Args:
        store: the graph store to read chunks, entities and edges from.
        embedder: the embedder the store's chunks were embedded with.
        config: retrieval options.
    """

    def __init__(
        self, store: KuzuGraphStore, embedder: Embedder, config: RetrieveConfig | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.config = config or RetrieveConfig()
        self._built: dict[str, Any] = {}

    def _once(self, key: str, factory: Callable[[], Any]) -> Any:
        if key not in self._built:
            self._built[key] = factory()
        return self._built[key]

    def corpus(self) -> ChunkCorpus:
        """Every chunk with its title, text and embedding."""
        from graphrag.retrieve.corpus import ChunkCorpus

        return self._once("corpus", lambda: ChunkCorpus.from_store(self.store))

    def encoder(self) -> QueryEncoder:
        """The shared question encoder."""
        return self._once("encoder", lambda: QueryEncoder(self.embedder))

    def entities(self) -> EntityIndex:
        """Every entity with its names, aliases and embedding."""
        from graphrag.retrieve.linking import EntityIndex

        return self._once("entities", lambda: EntityIndex.from_store(self.store))

    def linker(self) -> EntityLinker:
        """Links question text to entities and to passage titles."""
        from graphrag.retrieve.linking import EntityLinker

        return self._once(
            "linker", lambda: EntityLinker(self.entities(), self.corpus(), encoder=self.encoder())
        )

    def title_matcher(self) -> TitleMatcher:
        """Finds passage titles named in text."""
        from graphrag.retrieve.linking import TitleMatcher

        return self._once("title_matcher", lambda: TitleMatcher(self.corpus().titles))

    def graph(self) -> EntityChunkGraph:
        """The entity-chunk graph (mentions, relations, title links) as sparse matrices."""
        from graphrag.retrieve.graph import EntityChunkGraph

        return self._once(
            "graph",
            lambda: EntityChunkGraph.from_store(
                self.store, self.corpus(), self.entities(), self.title_matcher()
            ),
        )


    def kg_index(self) -> KGIndex:
        """The KG's adjacency (entities and relation edges) in memory, for the GNN-RAG retriever."""
        from graphrag.retrieve.subgraph import KGIndex

        return self._once("kg_index", lambda: KGIndex.from_store(self.store))


RetrieverFactory = Callable[[RetrievalResources], Retriever]


def _vector(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.vector import ExactVectorIndex, VectorRetriever

    return VectorRetriever(res.corpus(), res.encoder(), ExactVectorIndex(res.corpus().embeddings))


def _vector_kuzu(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.vector import KuzuVectorIndex, VectorRetriever

    return VectorRetriever(
        res.corpus(), res.encoder(), KuzuVectorIndex(res.store, res.corpus()), name="vector-kuzu"
    )


def _bm25(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.keyword import BM25Retriever

    return BM25Retriever(res.corpus())


def _fts_kuzu(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.keyword import KuzuFTSRetriever

    return KuzuFTSRetriever(res.store, res.corpus())


def _graph(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.graph import GraphRetriever

    cfg = res.config
    return GraphRetriever(res.graph(), res.linker(), damping=cfg.ppr_damping, iterations=cfg.ppr_iterations)


def _graph_context(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.context import LinkContextWeigher
    from graphrag.retrieve.graph import GraphRetriever

    cfg = res.config
    weigher = LinkContextWeigher(
        res.corpus(),
        res.encoder(),
        matcher=res.title_matcher(),
        beta=cfg.context_beta,
        window_words=cfg.context_window_words,
    )
    return GraphRetriever(
        res.graph(),
        res.linker(),
        damping=cfg.ppr_damping,
        iterations=cfg.ppr_iterations,
        context=weigher,
        name="graph-context",
    )


def _gnn(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.gnn_component import load_gnn_component

    component, _ = load_gnn_component(res, required=True)
    if component is None:
        raise ConfigError(
            "the retriever 'gnn' needs a trained GNN: this store's meta names none and [retrieve] gnn is "
            f"{res.config.gnn!r}; train one (graphrag train-gnn --db ...) or set [retrieve] gnn = PATH.pt"
        )
    return component


RETRIEVERS: dict[str, RetrieverFactory] = {
    "vector": _vector,
    "vector-kuzu": _vector_kuzu,
    "bm25": _bm25,
    "fts-kuzu": _fts_kuzu,
    "graph": _graph,
    "graph-context": _graph_context,
    "gnn": _gnn,
}


def register_retriever(name: str, factory: RetrieverFactory) -> None:
    """Add a retriever (e.g. the GNN-RAG one) under ``name`` so hybrids and the CLI can use it by name."""
    RETRIEVERS[name] = factory


def make_retriever(name: str, resources: RetrievalResources) -> Retriever:
    """Build the retriever registered as ``name`` from ``resources``."""
    try:
        factory = RETRIEVERS[name]
    except KeyError:
        raise UnknownBackendError("retriever", name, list(RETRIEVERS)) from None
    return factory(resources)
