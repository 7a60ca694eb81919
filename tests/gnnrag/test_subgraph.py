"""Question subgraphs: the KG index read from a real Kuzu store, k-hop extraction, PPR pruning."""

from __future__ import annotations

import numpy as np
import pytest

from graphrag.gnnrag.subgraph import KGIndex, SubgraphConfig, SubgraphExtractor
from graphrag.importers import TripleImporter
from graphrag.store import KuzuGraphStore

# A small film KG: "Hub Genre" is shared by many films, so its neighbours should be pruned first.
TRIPLES = [
    ("Alpha", "directed_by", "Dana"),
    ("Alpha", "starred_actors", "Eve"),
    ("Beta", "directed_by", "Dana"),
    ("Beta", "starred_actors", "Finn"),
    ("Gamma", "starred_actors", "Finn"),
    ("Gamma", "release_year", "1999"),
    ("Alpha", "has_genre", "Hub Genre"),
    *[(f"Filler {i}", "has_genre", "Hub Genre") for i in range(30)],
    ("Lonely", "directed_by", "Nobody"),
]


@pytest.fixture()
def kg_store(tmp_path):
    kb = tmp_path / "kb.txt"
    kb.write_text("".join(f"{h}|{r}|{t}\n" for h, r, t in TRIPLES), encoding="utf-8")
    with KuzuGraphStore(tmp_path / "db") as store:
        TripleImporter(store).import_file(kb, fmt="metaqa")
        yield store


def names(index: KGIndex, sub, local=None) -> set[str]:
    nodes = sub.nodes if local is None else sub.nodes[local]
    return set(index.names_of(np.atleast_1d(nodes)))


def test_index_from_store_reads_every_entity_and_triple(kg_store):
    index = KGIndex.from_store(kg_store)
    assert index.num_nodes == len({x for h, _, t in TRIPLES for x in (h, t)})
    assert index.num_edges == len(TRIPLES)
    assert set(index.predicates) == {"directed_by", "starred_actors", "release_year", "has_genre"}
    (alpha,) = index.lookup_name("Alpha")
    assert index.ids[alpha].startswith("e")  # the importer's entity ids
    assert index.lookup_name("alpha") == []
    assert index.lookup_name("alpha", case_sensitive=False) == [alpha]
    assert index.degree[alpha] == 3


def test_duplicate_edges_are_merged():
    index = KGIndex.from_triples([("a", "r", "b"), ("a", "r", "b"), ("a", "s", "b")])
    assert index.num_edges == 2


def test_k_hop_extraction_follows_edges_in_both_directions(kg_store):
    index = KGIndex.from_store(kg_store)
    alpha = index.lookup_name("Alpha")
    one = SubgraphExtractor(index, SubgraphConfig(max_hops=1)).extract(alpha)
    assert names(index, one) == {"Alpha", "Dana", "Eve", "Hub Genre"}
    assert names(index, one, one.seeds) == {"Alpha"}
    two = SubgraphExtractor(index, SubgraphConfig(max_hops=2)).extract(alpha)
    assert {"Beta", "Filler 0"} <= names(index, two)  # Beta via Dana (reverse directed_by)
    assert "Finn" not in names(index, two)  # three hops away
    three = SubgraphExtractor(index, SubgraphConfig(max_hops=3)).extract(alpha)
    assert "Finn" in names(index, three)
    assert not {"Lonely", "Nobody"} & names(index, three)  # another component


def test_edges_keep_kg_direction_and_are_induced(kg_store):
    index = KGIndex.from_store(kg_store)
    sub = SubgraphExtractor(index, SubgraphConfig(max_hops=2)).extract(index.lookup_name("Dana"))
    got = {
        (index.names[sub.nodes[s]], index.predicates[p], index.names[sub.nodes[d]])
        for s, d, p in zip(sub.src, sub.dst, sub.pred, strict=True)
    }
    local = set(index.names_of(sub.nodes))
    expected = {t for t in TRIPLES if t[0] in local and t[2] in local}
    assert got == expected


def test_size_cap_prunes_hub_neighbours_by_ppr_and_keeps_seeds(kg_store):
    index = KGIndex.from_store(kg_store)
    alpha = index.lookup_name("Alpha")
    full = SubgraphExtractor(index, SubgraphConfig(max_hops=3)).extract(alpha)
    assert full.num_nodes > 30
    capped = SubgraphExtractor(index, SubgraphConfig(max_hops=3, max_nodes=8)).extract(alpha)
    kept = names(index, capped)
    assert capped.num_nodes == 8
    assert "Alpha" in kept and names(index, capped, capped.seeds) == {"Alpha"}
    # The one-hop neighbours and Beta (reached through the low-degree director) outrank the hub's 30 fillers.
    assert {"Dana", "Eve", "Hub Genre", "Beta"} <= kept
    assert sum(n.startswith("Filler") for n in kept) <= 8 - 5
    # PPR scores are returned for the kept nodes and the seed has the highest.
    assert capped.ppr.shape == (8,)
    assert capped.ppr[capped.seeds[0]] == capped.ppr.max()


def test_multiple_seeds_and_local_lookup(kg_store):
    index = KGIndex.from_store(kg_store)
    seeds = index.lookup_name("Eve") + index.lookup_name("Gamma")
    sub = SubgraphExtractor(index, SubgraphConfig(max_hops=1)).extract(seeds)
    assert names(index, sub, sub.seeds) == {"Eve", "Gamma"}
    far = index.lookup_name("Nobody")[0]
    loc = sub.local([seeds[0], far])
    assert loc[0] >= 0 and sub.nodes[loc[0]] == seeds[0]
    assert loc[1] == -1


def test_empty_and_invalid_seeds(kg_store):
    index = KGIndex.from_store(kg_store)
    ex = SubgraphExtractor(index, SubgraphConfig(max_hops=2))
    empty = ex.extract([])
    assert empty.num_nodes == 0 and empty.num_edges == 0
    with pytest.raises(ValueError, match="out of range"):
        ex.extract([index.num_nodes + 5])


@pytest.mark.parametrize(
    "kwargs",
    [{"max_hops": 0}, {"max_nodes": 0}, {"restart_prob": 0.0}, {"restart_prob": 1.0}, {"push_epsilon": -1}],
)
def test_config_rejects_bad_values(kwargs):
    with pytest.raises(ValueError):
        SubgraphConfig(**kwargs)
