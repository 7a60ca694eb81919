"""What retrievers are built from: the store's chunks, entities and graph, loaded once and shared, and the
embedder that matches the store's own embeddings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphrag.config import RetrieveConfig
from graphrag.errors import ConfigError
from graphrag.retrieve.questions import QueryEncoder

if TYPE_CHECKING:
    from graphrag.embed import Embedder
    from graphrag.retrieve.corpus import ChunkCorpus
    from graphrag.retrieve.graph import EntityChunkGraph
    from graphrag.retrieve.question_linking import EntityIndex, EntityLinker, TitleMatcher
    from graphrag.store import KuzuGraphStore


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

    def shared(self, key: str, factory: Callable[[], Any]) -> Any:
        """The object built by ``factory`` under ``key``, built on first use; lets components above this
        package (GNN-RAG's KG index) share what they load the same way."""
        if key not in self._built:
            self._built[key] = factory()
        return self._built[key]

    def corpus(self) -> ChunkCorpus:
        """Every chunk with its title, text and embedding."""
        from graphrag.retrieve.corpus import ChunkCorpus

        return self.shared("corpus", lambda: ChunkCorpus.from_store(self.store))

    def encoder(self) -> QueryEncoder:
        """The shared question encoder."""
        return self.shared("encoder", lambda: QueryEncoder(self.embedder, cache_size=self.config.query_cache_size))

    def entities(self) -> EntityIndex:
        """Every entity with its names, aliases and embedding."""
        from graphrag.retrieve.question_linking import EntityIndex

        return self.shared("entities", lambda: EntityIndex.from_store(self.store))

    def linker(self) -> EntityLinker:
        """Links question text to entities and to passage titles."""
        from graphrag.retrieve.question_linking import EntityLinker

        return self.shared(
            "linker", lambda: EntityLinker(self.entities(), self.corpus(), encoder=self.encoder())
        )

    def about(self) -> list[tuple[int, int, str]]:
        """``(chunk row, entity row, source)`` for every passage and the entity it is about (the store's
        ``ABOUT`` edges; none for a store without them); ``source`` says how the topic was found (``title``,
        ``title-hint``, ``subject``, or ``document`` for a later chunk of the document)."""

        def load() -> list[tuple[int, int, str]]:
            reader = getattr(self.store, "retrieval_about", None)
            if reader is None:
                return []
            t = reader()
            corpus, entities = self.corpus(), self.entities()
            columns = (t.column(k).to_pylist() for k in ("chunk_id", "entity_id", "source"))
            return [
                (corpus.row_of[c], entities.row_of[e], src or "")
                for c, e, src in zip(*columns, strict=True)
                if c in corpus.row_of and e in entities.row_of
            ]

        return self.shared("about", load)

    def title_matcher(self) -> TitleMatcher:
        """Finds the passages a text names: by title, or -- for passages whose topic came from their first
        sentence because their title names nothing (a file name, an id) -- by the topic's name and its
        multi-word aliases (a person's also without middle names or with their initials). Where a title names
        the topic the title is enough: adding the topic's other names there linked more wrong passages than
        right ones (measured on the 2Wiki tuning questions)."""
        from graphrag.retrieve.person_names import name_variants
        from graphrag.retrieve.question_linking import TitleMatcher

        def build() -> TitleMatcher:
            about = self.about()
            entities = self.entities()
            untitled = {erow for _, erow, source in about if source == "subject"}
            names: dict[int, list[str]] = {}
            for row, erow, _ in about:
                if erow in untitled:
                    aliases = [a for a in entities.aliases[erow] if len(a.split()) >= 2]
                    found = [entities.names[erow], *aliases]
                    if entities.types[erow] == "PERSON":  # "Frank Wright Tuttle" is cited as "Frank Tuttle"
                        found += [v for name in found for v in name_variants(name)]
                    names.setdefault(row, []).extend(found)
            return TitleMatcher(self.corpus().titles, topics=names)

        return self.shared("title_matcher", build)

    def graph(self) -> EntityChunkGraph:
        """The entity-chunk graph (mentions, relations, title links) as sparse matrices."""
        from graphrag.retrieve.graph import EntityChunkGraph

        return self.shared(
            "graph",
            lambda: EntityChunkGraph.from_store(
                self.store,
                self.corpus(),
                self.entities(),
                self.title_matcher(),
                about=[(row, erow) for row, erow, _ in self.about()],
                skip_rules=self.config.graph_skip_rules,
            ),
        )


__all__ = ["RetrievalResources", "embedder_for_store"]
