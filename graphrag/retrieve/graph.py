"""Graph retrieval: personalised PageRank over the entity-chunk graph, seeded at the question's entities
(HippoRAG).

The graph has one node per chunk and one per entity, and three kinds of undirected, weighted edges:

* **mention** -- a chunk and each entity it mentions (weight 1);
* **title** -- an entity and the chunks *about* it (weight ``title_weight``): those of the document titled
  with its name, and those the store's ``ABOUT`` edges tie to it (a topic found from the first sentence, so a
  corpus without meaningful titles has these edges too); facts about an entity live there;
* **relation** -- the two entities of an extracted triple (weight ``relation_weight``);
* **passage link** -- a chunk and the chunks of another document whose title its text names (weight
  ``title_weight``), found by :class:`~graphrag.retrieve.question_linking.TitleMatcher`; this reaches "directed by
  Charlie Day" -> *Charlie Day* even when NER missed the name.

A question's linked entities (and the passages whose titles it names) are the restart distribution of a random
walk; each seed entity is weighted by its *specificity*, ``1 / (number of chunks it touches)``, so a rare name
pulls harder than "American". The walk's stationary mass ranks the chunks, so a passage two hops from the
question's entities (question entity -> its passage -> an entity mentioned there -> that entity's passage) is
found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from graphrag.retrieve.corpus import ChunkCorpus, top_rows
from graphrag.retrieve.question_linking import EntityIndex, EntityLinker, Link, TitleMatcher
from graphrag.retrieve.text import name_keys
from graphrag.types import CLASS_PREDICATE, Hit, ReasoningPath

if TYPE_CHECKING:
    from scipy import sparse

    from graphrag.retrieve.link_context import LinkContextWeigher
    from graphrag.store import KuzuGraphStore


@dataclass(frozen=True, eq=False)
class EntityChunkGraph:
    """The entity-chunk graph as sparse matrices. Node ``i < n_chunks`` is chunk ``i``; node ``n_chunks + e``
    is entity ``e``.

    ``transition`` is column-stochastic (``transition[:, j]`` is where a walker at ``j`` goes next);
    ``chunk_entity`` is the ``(n_chunks, n_entities)`` incidence of mention and title edges, used for
    provenance; ``specificity[e]`` is ``1 / (chunks entity e touches)``; ``triples`` maps a chunk row to the
    ``(subject, predicate, object)`` names extracted from it.
    """

    corpus: ChunkCorpus
    entities: EntityIndex
    adjacency: sparse.csr_matrix
    transition: sparse.csr_matrix
    chunk_entity: sparse.csr_matrix
    title_of: dict[int, tuple[int, ...]]
    specificity: np.ndarray
    triples: dict[int, tuple[tuple[str, str, str], ...]]

    @property
    def n_chunks(self) -> int:
        """Number of chunk nodes."""
        return len(self.corpus)

    @property
    def n_nodes(self) -> int:
        """Chunk plus entity nodes."""
        return len(self.corpus) + len(self.entities)

    @classmethod
    def build(
        cls,
        corpus: ChunkCorpus,
        entities: EntityIndex,
        mentions: Sequence[tuple[int, int]],
        relations: Sequence[tuple[int, str, int, int]] = (),
        passage_links: Sequence[tuple[int, int]] = (),
        *,
        about: Sequence[tuple[int, int]] = (),
        title_weight: float = 4.0,
        relation_weight: float = 1.0,
    ) -> EntityChunkGraph:
        """Build from row-indexed edges: ``mentions`` as ``(chunk row, entity row)``, ``relations`` as
        ``(subject row, predicate, object row, chunk row or -1)``, ``passage_links`` as ``(chunk row, chunk
        row)``, ``about`` as ``(chunk row, entity row)``. Class triples ("X is a film") are left out: every
        film would share one neighbour."""
        from scipy import sparse

        c, e = len(corpus), len(entities)
        n = c + e
        title_rows: dict[str, list[int]] = {}
        for row, title in enumerate(corpus.titles):
            for key in name_keys(title):
                title_rows.setdefault(key, []).append(row)
        about_rows: dict[int, set[int]] = {}
        for crow, erow in about:
            about_rows.setdefault(erow, set()).add(crow)
        title_of: dict[int, tuple[int, ...]] = {}
        for erow, name in enumerate(entities.names):
            rows = sorted({r for key in name_keys(name) for r in title_rows.get(key, ())} | about_rows.get(erow, set()))
            if rows:
                title_of[erow] = tuple(rows)
        m = np.asarray(mentions, dtype=np.int64).reshape(-1, 2)
        t_pairs = np.asarray(
            [(cr, er) for er, crs in title_of.items() for cr in crs], dtype=np.int64
        ).reshape(-1, 2)
        ce_rows = np.concatenate([m[:, 0], t_pairs[:, 0]])
        ce_cols = np.concatenate([m[:, 1], t_pairs[:, 1]])
        ce_vals = np.concatenate([np.ones(len(m)), np.full(len(t_pairs), title_weight)])
        chunk_entity = sparse.coo_matrix((ce_vals, (ce_rows, ce_cols)), shape=(c, e)).tocsr()
        chunk_entity.data = np.minimum(
            chunk_entity.data, max(title_weight, 1.0)
        )  # repeated mentions count once

        relations = [r for r in relations if r[1] != CLASS_PREDICATE]
        r_src = np.asarray([s for s, _, o, _ in relations if s != o], dtype=np.int64) + c
        r_dst = np.asarray([o for s, _, o, _ in relations if s != o], dtype=np.int64) + c
        pl = np.asarray([(a, b) for a, b in passage_links if a != b], dtype=np.int64).reshape(-1, 2)
        ce = chunk_entity.tocoo()
        rows = np.concatenate([ce.row, ce.col + c, r_src, r_dst, pl[:, 0], pl[:, 1]])
        cols = np.concatenate([ce.col + c, ce.row, r_dst, r_src, pl[:, 1], pl[:, 0]])
        vals = np.concatenate(
            [ce.data, ce.data, np.full(len(r_src) * 2, relation_weight), np.full(len(pl) * 2, title_weight)]
        )
        adjacency = sparse.coo_matrix((vals.astype(np.float32), (rows, cols)), shape=(n, n)).tocsc()
        out_weight = np.asarray(adjacency.sum(axis=0)).ravel()
        inv = np.divide(1.0, out_weight, out=np.zeros_like(out_weight), where=out_weight > 0)
        transition = (adjacency @ sparse.diags(inv.astype(np.float32))).tocsr().astype(np.float32)

        touched = np.asarray((chunk_entity > 0).sum(axis=0)).ravel()
        specificity = np.divide(1.0, touched, out=np.ones(e), where=touched > 0)
        triples: dict[int, list[tuple[str, str, str]]] = {}
        for s, pred, o, crow in relations:
            if crow >= 0:
                triples.setdefault(crow, []).append((entities.names[s], pred, entities.names[o]))
        return cls(
            corpus=corpus,
            entities=entities,
            adjacency=adjacency.tocsr(),
            transition=transition,
            chunk_entity=chunk_entity,
            title_of=title_of,
            specificity=specificity,
            triples={k: tuple(v) for k, v in triples.items()},
        )

    @classmethod
    def from_store(
        cls,
        store: KuzuGraphStore,
        corpus: ChunkCorpus,
        entities: EntityIndex,
        matcher: TitleMatcher | None = None,
        *,
        about: Sequence[tuple[int, int]] = (),
        skip_rules: Sequence[str] = (),
    ) -> EntityChunkGraph:
        """Load mention and relation edges from the store, find passage links, and build the graph (``about``:
        the store's ABOUT edges as row pairs, see :meth:`RetrievalResources.about`; ``skip_rules``: leave out
        the triples those extraction rules found)."""
        m = store.retrieval_mentions()
        mentions = [
            (corpus.row_of[c], entities.row_of[e])
            for c, e in zip(m.column("chunk_id").to_pylist(), m.column("entity_id").to_pylist(), strict=True)
            if c in corpus.row_of and e in entities.row_of
        ]
        r = store.retrieval_relations()
        skip = set(skip_rules)
        relations = []
        for s, p, o, cid, rule in zip(
            *(r.column(k).to_pylist() for k in ("subject", "predicate", "object", "chunk_id", "rule")), strict=True
        ):
            if s in entities.row_of and o in entities.row_of and (rule or "") not in skip:
                relations.append(
                    (entities.row_of[s], p or "", entities.row_of[o], corpus.row_of.get(cid or "", -1))
                )
        return cls.build(corpus, entities, mentions, relations, passage_links(corpus, matcher), about=about)

    def personalised_pagerank(
        self,
        seeds: np.ndarray,
        *,
        damping: float = 0.5,
        iterations: int = 10,
        tol: float = 1e-6,
        node_weights: np.ndarray | None = None,
    ) -> np.ndarray:
        """Stationary distribution of a walk that follows an edge with probability ``damping`` and otherwise
        restarts at ``seeds`` (a non-negative vector over all nodes; normalised here). Mass reaching a node
        with no edges returns to the seeds.

        ``node_weights`` (positive, one per node) bias the walk: from any node, the step to neighbour ``j`` is
        taken with probability proportional to ``edge weight * node_weights[j]`` (a question-aware walk).
        """
        total = float(seeds.sum())
        if total <= 0:
            return np.zeros(self.n_nodes, dtype=np.float32)
        if node_weights is None:
            step = self.transition.__matmul__
        else:
            w = np.asarray(node_weights, dtype=np.float32)
            out = self.adjacency @ w  # the adjacency is symmetric: row sums of A * w are column sums of w * A
            inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
            step = lambda v: w * (self.adjacency @ (v * inv))  # noqa: E731
        s = (seeds / total).astype(np.float32)
        p = s.copy()
        for _ in range(iterations):
            moved = step(p)
            lost = 1.0 - float(moved.sum())  # mass on nodes without edges
            nxt = (1.0 - damping) * s + damping * (moved + lost * s)
            if float(np.abs(nxt - p).sum()) < tol:
                p = nxt
                break
            p = nxt
        return p


def passage_links(corpus: ChunkCorpus, matcher: TitleMatcher | None = None) -> list[tuple[int, int]]:
    """``(chunk row, chunk row)`` pairs where the first chunk's text names the second one's document title."""
    matcher = matcher or TitleMatcher(corpus.titles)
    pairs = []
    for row, text in enumerate(corpus.texts):
        doc = corpus.doc_ids[row]
        pairs += [(row, other) for other in sorted(matcher.find(text)) if corpus.doc_ids[other] != doc]
    return pairs


@dataclass(frozen=True)
class GraphEvidence:
    """What the graph retriever found for one question: links, ranked hits, and reasoning paths to the top
    hits
    (``chunk id -> path``)."""

    links: tuple[Link, ...]
    hits: tuple[Hit, ...]
    paths: dict[str, ReasoningPath]


class GraphRetriever:
    """HippoRAG-style retrieval: link the question, run personalised PageRank, rank chunks by their mass.

    Args:
        graph: the entity-chunk graph.
        linker: finds the question's entities and titled passages.
        damping: probability of following an edge rather than restarting.
        iterations: power-iteration cap.
        context: if given, steers the walk towards passages named in sentences that match the question
            (:class:`~graphrag.retrieve.link_context.LinkContextWeigher`).
        name: the name hits carry as their ``retriever``.
    """

    def __init__(
        self,
        graph: EntityChunkGraph,
        linker: EntityLinker,
        *,
        damping: float = 0.5,
        iterations: int = 10,
        context: LinkContextWeigher | None = None,
        name: str = "graph",
    ) -> None:
        if not 0.0 < damping < 1.0:
            raise ValueError(f"damping must be between 0 and 1 (exclusive), got {damping}")
        self.graph = graph
        self.linker = linker
        self.damping = damping
        self.iterations = iterations
        self.context = context
        self.name = name

    def seeds(self, links: Sequence[Link]) -> np.ndarray:
        """The restart vector: each link's entities weighted by specificity, and its titled passages."""
        g = self.graph
        s = np.zeros(g.n_nodes)
        for link in links:
            for erow in link.entity_rows:
                s[g.n_chunks + erow] += link.score * g.specificity[erow]
            for crow in link.chunk_rows:
                s[crow] += link.score / len(link.chunk_rows)
        return s

    def texts_to_embed(self, question: str) -> list[str]:
        """What answering ``question`` will embed: unmatched name spans, and the linking sentences of the
        passages the question names. The hybrid embeds them with the question in one batch."""
        links, _ = self.linker.exact_links(question)
        texts = self.linker.pending_texts(question)
        if self.context is not None:
            rows = sorted({r for link in links for r in link.chunk_rows})
            texts += self.context.pending_texts(rows)
        return texts

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """Up to ``k`` chunks ranked by personalised PageRank (none when nothing in the question links)."""
        return list(self.evidence(question, k, max_paths=0).hits)

    def evidence(self, question: str, k: int, *, max_paths: int = 10) -> GraphEvidence:
        """Hits plus the links that seeded them and, for the first ``max_paths`` hits, a path from a seed."""
        if self.context is not None:  # one model call for the question and everything this will embed
            self.context.encoder.encode_many([question, *self.texts_to_embed(question)])
        links = tuple(self.linker.link(question))
        seeds = self.seeds(links)
        if not links or seeds.sum() <= 0:
            return GraphEvidence(links, (), {})
        node_weights = None
        if self.context is not None:
            boost = self.context.weights(question, np.flatnonzero(seeds[: self.graph.n_chunks] > 0).tolist())
            if boost:
                node_weights = np.ones(self.graph.n_nodes)
                for row, w in boost.items():
                    node_weights[row] = w
        ppr = self.graph.personalised_pagerank(
            seeds, damping=self.damping, iterations=self.iterations, node_weights=node_weights
        )
        chunk_scores = ppr[: self.graph.n_chunks]
        rows = top_rows(chunk_scores, k, min_score=0.0)
        hits = tuple(self._hit(r, chunk_scores[r], ppr) for r in rows)
        paths = {self.graph.corpus.ids[r]: self._path(r, ppr, seeds) for r in rows[:max_paths]}
        return GraphEvidence(links, hits, paths)

    def _hit(self, row: int, score: float, ppr: np.ndarray) -> Hit:
        g = self.graph
        lo, hi = g.chunk_entity.indptr[row], g.chunk_entity.indptr[row + 1]
        ents = g.chunk_entity.indices[lo:hi]
        best = ents[np.argsort(-ppr[g.n_chunks + ents], kind="stable")][:5]
        names = tuple(g.entities.names[e] for e in best)
        rels = tuple(t for t in g.triples.get(row, ()) if t[0] in names or t[2] in names)[:5]
        return g.corpus.hit(row, score, self.name, entities=names, relations=rels)

    def _path(self, row: int, ppr: np.ndarray, seeds: np.ndarray, max_hops: int = 4) -> ReasoningPath:
        """Walk back from chunk ``row`` to a seed, each step to the neighbour holding the most PageRank
        mass."""
        g = self.graph
        t = g.transition
        node, seen = row, {row}
        nodes, rels = [self._label(row)], []
        for _ in range(max_hops):
            if seeds[node] > 0:
                break
            nbrs = t.indices[t.indptr[node] : t.indptr[node + 1]]
            nbrs = np.asarray([x for x in nbrs if x not in seen])
            if nbrs.size == 0:
                break
            nxt = int(nbrs[np.argmax(ppr[nbrs])])
            rels.append(self._relation(nxt, node))
            nodes.append(self._label(nxt))
            seen.add(nxt)
            node = nxt
        return ReasoningPath(nodes=tuple(reversed(nodes)), relations=tuple(reversed(rels)))

    def _label(self, node: int) -> str:
        g = self.graph
        if node < g.n_chunks:
            return f"passage '{g.corpus.titles[node] or g.corpus.ids[node]}'"
        return g.entities.names[node - g.n_chunks]

    def _relation(self, src: int, dst: int) -> str:
        """How a walker moved from ``src`` to ``dst``."""
        g = self.graph
        if src >= g.n_chunks and dst >= g.n_chunks:
            return "related to"
        if src < g.n_chunks and dst < g.n_chunks:
            return "names"
        ent, chunk = (src, dst) if src >= g.n_chunks else (dst, src)
        erow = ent - g.n_chunks
        if chunk in g.title_of.get(erow, ()):
            return "described in" if src == ent else "is about"
        return "mentioned in" if src == ent else "mentions"
