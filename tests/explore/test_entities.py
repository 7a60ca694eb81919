"""graphrag.explore: entity search, entity pages, neighbourhoods and drawable graphs, on a tiny real Kuzu
store."""

from __future__ import annotations

import pytest
from lovelace_graph import build_tiny_db

from graphrag.explore import GraphExplorer, display_value, paths_graph, result_graph
from graphrag.store import KuzuGraphStore
from graphrag.types import Candidate, ReasoningPath


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    path = build_tiny_db(tmp_path_factory.mktemp("explore") / "graph.kuzu")
    with KuzuGraphStore(path, read_only=True) as s:
        yield s


def test_search_ranks_exact_prefix_substring_alias_then_fuzzy(store: KuzuGraphStore) -> None:
    ex = GraphExplorer(store)
    assert [(m.name, m.matched) for m in ex.search("London")] == [("London", "exact")]
    assert [(m.name, m.matched) for m in ex.search("  ada ")] == [("Ada Lovelace", "prefix")]
    assert [(m.name, m.matched) for m in ex.search("LOVELACE")] == [("Ada Lovelace", "name")]
    assert [(m.name, m.matched) for m in ex.search("augusta")] == [("Ada Lovelace", "alias")]
    assert [(m.name, m.matched) for m in ex.search("Londn")] == [("London", "fuzzy")]
    assert [(m.name, m.matched) for m in ex.search("babage")] == [("Charles Babbage", "fuzzy word")]
    assert ex.search("qqqqqq") == []
    assert ex.search("   ") == []
    scores = [m.score for m in ex.search("a", limit=10)]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


def test_search_text_is_a_parameter_not_cypher(store: KuzuGraphStore) -> None:
    ex = GraphExplorer(store)
    assert ex.search("' OR 1=1 //") == []
    assert ex.search("x}) DETACH DELETE e //") == []
    assert store.stats()["nodes"]["Entity"] == 5


def test_search_limit(store: KuzuGraphStore) -> None:
    ex = GraphExplorer(store)
    assert len(ex.search("a", limit=2)) == 2
    with pytest.raises(ValueError, match="limit"):
        ex.search("a", limit=0)


def test_entity_page(store: KuzuGraphStore) -> None:
    ex = GraphExplorer(store)
    ada = ex.search("Ada Lovelace")[0]
    page = ex.entity(ada.id)
    assert page is not None
    assert page.entity.name == "Ada Lovelace" and page.entity.type == "PERSON"
    assert set(page.entity.aliases) == {"Lovelace", "Augusta Ada King"}
    assert (page.n_out, page.n_in, page.n_passages) == (3, 1, 2)
    assert {(r.predicate, r.other_name) for r in page.relations_out} == {
        ("born in", "London"),
        ("worked with", "Charles Babbage"),
        ("wrote program for", "Analytical Engine"),
    }
    assert [(r.direction, r.predicate, r.other_name) for r in page.relations_in] == [
        ("in", "cited", "Alan Turing")
    ]
    assert all(r.chunk_id and r.doc_id for r in page.relations_out)  # provenance kept
    assert {p.title for p in page.passages} == {"Ada Lovelace", "Alan Turing"}
    assert all(p.mentions == ("Lovelace",) for p in page.passages)
    capped = ex.entity(ada.id, max_relations=1, max_passages=1)
    assert (
        capped is not None
        and len(capped.relations_out) == 1
        and capped.n_out == 3
        and len(capped.passages) == 1
    )
    assert ex.entity("no-such-id") is None


def test_neighbourhood_depth_and_cap(store: KuzuGraphStore) -> None:
    ex = GraphExplorer(store)
    babbage = ex.search("Charles Babbage")[0].id
    one = ex.neighbourhood(babbage, depth=1)
    assert {n.label for n in one.nodes} == {"Charles Babbage", "Ada Lovelace", "Analytical Engine", "London"}
    assert [n.role for n in one.nodes if n.role] == ["focus"] and one.nodes[0].label == "Charles Babbage"
    assert not one.truncated
    # Edges among the kept entities, including ones not touching the focus (Ada -> London).
    assert {(e.label) for e in one.edges} == {"born in", "designed", "worked with", "wrote program for"}
    assert len(one.edges) == 5
    two = ex.neighbourhood(babbage, depth=2)
    assert "Alan Turing" in {n.label for n in two.nodes} and len(two.edges) == 6
    capped = ex.neighbourhood(babbage, depth=3, max_nodes=2)
    assert len(capped.nodes) == 2 and capped.truncated
    ids = {n.id for n in capped.nodes}
    assert all(e.source in ids and e.target in ids for e in capped.edges)
    assert ex.neighbourhood("nobody").empty
    with pytest.raises(ValueError, match="depth"):
        ex.neighbourhood(babbage, depth=0)
    with pytest.raises(ValueError, match="max_nodes"):
        ex.neighbourhood(babbage, max_nodes=0)


def test_result_graph_from_nodes_rels_and_paths(store: KuzuGraphStore) -> None:
    res = store.run_user_query("MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a, r, b")
    g = result_graph(res)
    assert len(g.nodes) == 5 and len(g.edges) == 6
    assert {n.group for n in g.nodes} == {"Entity"}
    assert all("embedding" not in n.title for n in g.nodes)  # vectors hidden from tooltips
    paths = result_graph(store.run_user_query("MATCH p = (:Entity)-[:RELATION*2..2]->(:Entity) RETURN p"))
    assert len(paths.edges) >= 2 and not paths.empty
    # A variable-length relationship alone carries only inner nodes: the ends get placeholders.
    rels = result_graph(store.run_user_query("MATCH (:Entity)-[r:RELATION*2..2]->(:Entity) RETURN r"))
    assert rels.edges and any(n.group == "(not returned)" for n in rels.nodes)
    assert result_graph(store.run_user_query("MATCH (e:Entity) RETURN e.name")).empty
    capped = result_graph(res, max_nodes=2)
    assert capped.truncated and len(capped.nodes) == 2
    assert all(e.source in {n.id for n in capped.nodes} for e in capped.edges)


def test_display_value() -> None:
    node = {"_id": {"offset": 0, "table": 0}, "_label": "Entity", "name": "Ada", "embedding": [0.1] * 384}
    rel = {"_src": {"offset": 0, "table": 0}, "_dst": {"offset": 1, "table": 0}, "_label": "RELATION",
           "predicate": "born in"}  # fmt: skip
    assert display_value(node) == "(Entity Ada)"
    assert display_value(rel) == "[born in]"
    assert display_value({"_nodes": [node], "_rels": [rel]}) == "path(1 rels: (Entity Ada))"
    assert display_value([0.5] * 384) == "[384 floats]"
    assert display_value(["a", 1]) == '["a", 1]'
    assert display_value(3) == 3


def test_paths_graph_marks_seeds_and_candidates() -> None:
    paths = [
        ReasoningPath(("Up", "Pete Docter"), ("directed_by",)),
        ReasoningPath(("Up", "Pete Docter", "Monsters, Inc."), ("directed_by", "directed_by (inverse)")),
    ]
    g = paths_graph(
        paths, candidates=[Candidate("e1", "Monsters, Inc.", 0.9), Candidate("e2", "Inside Out", 0.1)]
    )
    roles = {n.label: n.role for n in g.nodes}
    assert roles == {
        "Up": "seed",
        "Pete Docter": "candidate",
        "Monsters, Inc.": "candidate",
        "Inside Out": "candidate",
    }
    # "rel (inverse)" is drawn in the stored direction.
    assert {(e.source, e.label, e.target) for e in g.edges} == {
        ("Up", "directed_by", "Pete Docter"),
        ("Monsters, Inc.", "directed_by", "Pete Docter"),
    }
    small = paths_graph(paths, max_nodes=2)
    assert small.truncated and len(small.nodes) == 2
    assert paths_graph([]).empty
