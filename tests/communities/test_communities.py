"""Communities: Leiden on a fixture graph, fingerprints, storage and incremental updates on a real Kuzu store,
extractive reports, global search with no LLM and with a fake one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from graphrag.communities import (
    ExtractiveSummarizer,
    LeidenSettings,
    build_communities,
    build_graph,
    hierarchical_leiden,
    modularity,
)
from graphrag.communities.entity_graph import Fingerprinter
from graphrag.communities.global_search import (
    RankedReport,
    global_search,
    is_global_question,
    question_target,
)
from graphrag.communities.summary import CommunityReport, Facet
from graphrag.embed import HashingEmbedder
from graphrag.errors import StoreError
from graphrag.generate.global_answer import llm_global_answer, parse_map_reply
from graphrag.generate.llm import FakeLLM
from graphrag.importers import TripleImporter
from graphrag.store import KuzuGraphStore
from graphrag.store.community_tables import communities_state, read_communities


def film_kb(films: int = 6, extra: str = "") -> str:
    """Two film worlds: Ann Lee's dramas with one cast, Bo Kim's comedies with another, one film in both."""
    lines = []
    for i in range(films):
        lines += [
            f"Drama {i}|directed_by|Ann Lee",
            f"Drama {i}|has_genre|Drama",
            f"Drama {i}|starred_actors|Ava {i % 2}",
        ]
        lines += [f"Joke {i}|directed_by|Bo Kim", f"Joke {i}|has_genre|Comedy", f"Joke {i}|starred_actors|Ben {i % 2}"]
    lines.append("Drama 0|starred_actors|Ben 0")  # the one bridge
    return "\n".join(lines) + "\n" + extra


def film_graph():
    triples = [line.split("|") for line in film_kb().splitlines() if line]
    names = sorted({x for h, _, t in triples for x in (h, t)})
    at = {n: i for i, n in enumerate(names)}
    return build_graph(names, names, [""] * len(names), [(at[h], at[t], r, 1) for h, r, t in triples], {})


def two_cliques():
    ids = [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(5)] + ["lonely"]
    rel = [(i, j, "knows", 1) for i in range(5) for j in range(i + 1, 5)]
    rel += [(5 + i, 5 + j, "knows", 1) for i in range(5) for j in range(i + 1, 5)]
    rel.append((0, 5, "met", 1))
    return build_graph(ids, ids, [""] * len(ids), rel, {})


def test_leiden_finds_the_two_cliques_and_ids_are_stable() -> None:
    g = two_cliques()
    first = hierarchical_leiden(g, LeidenSettings(max_size=10))
    assert sorted(c.members for c in first) == [tuple(f"a{i}" for i in range(5)), tuple(f"b{i}" for i in range(5))]
    assert all(c.level == 0 and c.parent == "" for c in first)  # "lonely" has no edge: in no community
    assert [c.id for c in hierarchical_leiden(g, LeidenSettings(max_size=10))] == [c.id for c in first]
    assert modularity(g, first) > 0.4
    # a community larger than max_size is split into a finer level under it
    deep = hierarchical_leiden(film_graph(), LeidenSettings(max_size=4))
    assert {c.level for c in deep} >= {0, 1}
    assert all(any(p.id == c.parent and p.level == c.level - 1 for p in deep) for c in deep if c.level)
    assert all(set(c.members) <= set(p.members) for c in deep for p in deep if p.id == c.parent)


def test_fingerprints_change_exactly_when_a_member_or_an_edge_touching_one_changes() -> None:
    g = two_cliques()
    fp = Fingerprinter(g)
    a = [f"a{i}" for i in range(5)]
    base = fp(a)
    assert fp(reversed(a)) == base  # order does not matter
    ids = g.ids
    heavier = build_graph(ids, ids, [""] * len(ids), [*g.relations[:-1], (0, 5, "met", 2)], {})
    assert Fingerprinter(heavier)(a) != base  # the bridge to a0 changed weight
    assert Fingerprinter(heavier)([f"b{i}" for i in range(1, 5)]) == fp([f"b{i}" for i in range(1, 5)])
    assert fp(a + ["ghost"]) != base  # a member gone from the graph still counts


def test_extractive_report_names_central_entities_facets_by_role_and_cited_sentences() -> None:
    ids = ["m1", "m2", "d", "x", "us"]
    names = ["Alpha", "Beta", "Dee Director", "Xeno", "American"]
    rel = [(0, 2, "directed_by", 1), (1, 2, "directed_by", 1), (2, 3, "director of", 1)]
    g = build_graph(ids, names, ["", "", "PERSON", "", "NORP"], rel, {"c1": np.array([2, 4]), "c2": np.array([0])})

    def texts(chunk_ids):
        return {"c1": ("Dee Director is an American film maker. Unrelated.", "Dee"), "c2": ("Alpha is old.", "Alpha")}

    from graphrag.communities.leiden import Community

    [r] = ExtractiveSummarizer(g, texts).summarize([Community("c", 0, tuple(ids))])
    assert r.central[0] == "Dee Director" and r.title.startswith("Dee Director")
    facets = {(f.kind, f.label): dict(f.entities) for f in r.facets}
    assert facets[("predicate", "directed_by")] == {"Dee Director": 2}
    assert facets[("subject", "director of")] == {"Dee Director": 1}  # "director of": the subject is the director
    assert facets[("type", "NORP")] == {"American": 1}
    assert r.sentences[0] == {"text": "Dee Director is an American film maker.", "chunk_id": "c1", "doc": "Dee"}
    assert CommunityReport.from_json(r.to_json()) == r
    assert "[Dee]" in r.text()


def _store(path: Path, kb: str) -> Path:
    src = path.parent / f"{path.name}.txt"
    src.write_text(kb)
    with KuzuGraphStore(path) as store:
        TripleImporter(store).import_file(src)
    return src


def test_build_stores_the_tree_and_an_unchanged_store_rebuilds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "g.kuzu"
    _store(db, film_kb())
    with KuzuGraphStore(db) as store:
        first = build_communities(store, settings=LeidenSettings(max_size=6))
        assert first.mode == "full" and first.added == first.reports_written > 0 and first.modularity > 0.3
        stored, members = read_communities(store)
        assert communities_state(store) == "ok" and len(stored) == first.added
        # Ann Lee's films and Bo Kim's films are apart at the top level
        top = [set(members[c.id]) for c in stored if c.level == 0]
        by_name = {r["n"]: r["i"] for r in store.execute("MATCH (e:Entity) RETURN e.name AS n, e.id AS i").to_pylist()}
        assert not any(by_name["Ann Lee"] in t and by_name["Bo Kim"] in t for t in top)
        # the Cypher view: members, parents
        n_in = store.execute("MATCH (:Entity)-[r:IN_COMMUNITY]->(:Community) RETURN count(r) AS n").to_pylist()[0]["n"]
        assert n_in == sum(len(m) for m in members.values())
        again = build_communities(store, settings=LeidenSettings(max_size=6))
        assert (again.mode, again.added, again.removed, again.reports_written) == ("incremental", 0, 0, 0)
        assert again.kept == first.added


def test_incremental_update_redoes_only_the_communities_that_changed(tmp_path: Path) -> None:
    db = tmp_path / "g.kuzu"
    src = _store(db, film_kb())
    settings = LeidenSettings(max_size=6)
    with KuzuGraphStore(db) as store:
        full = build_communities(store, settings=settings)
        before, _ = read_communities(store)
    src.write_text(film_kb(extra="Joke 9|directed_by|Bo Kim\nJoke 9|has_genre|Comedy\n"))
    with KuzuGraphStore(db) as store:
        TripleImporter(store).import_file(src)
        inc = build_communities(store, settings=settings)
        after, members = read_communities(store)
    assert inc.mode == "incremental" and 0 < inc.reports_written < full.reports_written and inc.kept > 0
    # the new film joined Bo Kim's side; Ann Lee's top-level community is the same row as before
    by_id = {c.id: c for c in before}
    unchanged = [c for c in after if c.id in by_id and c.fingerprint == by_id[c.id].fingerprint]
    assert unchanged and len(unchanged) == inc.kept
    with KuzuGraphStore(db, read_only=True) as store:
        joke9 = store.execute("MATCH (e:Entity {name: 'Joke 9'}) RETURN e.id AS i").to_pylist()[0]["i"]
        bo = store.execute("MATCH (e:Entity {name: 'Bo Kim'}) RETURN e.id AS i").to_pylist()[0]["i"]
    top_of = {e: c.id for c in after if c.level == 0 for e in members[c.id]}
    assert top_of[joke9] == top_of[bo]


def test_a_failed_write_leaves_no_half_tree_and_the_next_build_is_full(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "g.kuzu"
    _store(db, film_kb())
    original = KuzuGraphStore.bulk_load

    def failing(self, table, data):
        if table == "IN_COMMUNITY":
            raise StoreError("disk full (simulated)")
        return original(self, table, data)

    with KuzuGraphStore(db) as store:
        monkeypatch.setattr(KuzuGraphStore, "bulk_load", failing)
        with pytest.raises(StoreError, match="simulated"):
            build_communities(store)
        monkeypatch.setattr(KuzuGraphStore, "bulk_load", original)
        assert communities_state(store) == "pending" and read_communities(store) == ([], {})
        report = build_communities(store)
        assert report.mode == "full" and communities_state(store) == "ok"
        assert len(read_communities(store)[0]) == report.added


def test_deleting_documents_still_works_once_entities_belong_to_communities(tmp_path: Path, text_doc) -> None:
    db = tmp_path / "g.kuzu"
    with KuzuGraphStore(db) as store:
        text_doc(store, "Ada", "Ada Lovelace met Charles Babbage in London.",
                 entities=[("Ada Lovelace", "PERSON"), ("Charles Babbage", "PERSON"), ("London", "GPE")],
                 triples=[("Ada Lovelace", "met", "Charles Babbage")])  # fmt: skip
        build_communities(store)
        doc = store.list_documents()[0]["id"]
        removed = store.delete_documents([doc])
        assert removed["Entity"] >= 2  # orphaned entities go, with their community edges


def _report(title: str, size: int, *facets: Facet) -> CommunityReport:
    return CommunityReport(title, size, (title,), (), tuple(facets), ({"text": f"{title} text.", "chunk_id": "c",
                                                                        "doc": title},))  # fmt: skip


def test_global_search_sums_facets_over_communities_and_cites_them() -> None:
    reports = [
        RankedReport("c1", 0, _report("Dramas", 30, Facet("predicate", "has_genre", (("Drama", 9), ("War", 1))))),
        RankedReport("c2", 0, _report("Comedies", 20, Facet("predicate", "has_genre", (("Comedy", 7), ("Drama", 2))))),
        RankedReport("c3", 0, _report("People", 10, Facet("type", "NORP", (("American", 5),)))),
        RankedReport("c9", 1, _report("Finer", 3, Facet("predicate", "has_genre", (("Noir", 99),)))),
    ]
    embed = HashingEmbedder(256).embed
    a = global_search("What are the main genres in the collection?", reports, embed, min_similarity=0.05)
    assert a.entities[:2] == (("Drama", 11), ("Comedy", 7)) and "Noir" not in a.text  # level 0 only
    assert [c for c, _ in a.communities][:2] == ["c1", "c2"] and "[c1]" in a.text
    assert a.passages[0] == {"text": "Dramas text.", "chunk_id": "c", "doc": "Dramas"}  # cited passages too
    themes = global_search("What are the main themes?", reports, embed)
    assert themes.facet == "" and themes.communities[0] == ("c1", "Dramas") and "Dramas text." in themes.text
    assert "run `graphrag communities build`" in global_search("anything?", [], embed).text


def test_routing_and_the_asked_noun() -> None:
    assert is_global_question("What are the main themes of these documents?", linked_entities=0)
    assert is_global_question("Which actors appear most in the collection?", linked_entities=0)
    assert not is_global_question("Which actors appear most in the collection?", linked_entities=1)
    assert not is_global_question("Who directed Kismet?", linked_entities=0)
    assert question_target("What are the main film genres here?") == "genres"
    assert question_target("What kinds of organisations appear?") == "organisations"
    assert question_target("In which languages are the films?") == "languages"


def test_llm_map_reduce_keeps_scored_points_and_only_real_citations() -> None:
    reports = [
        RankedReport("c1a2b3c4", 0, _report("Dramas", 30, Facet("predicate", "has_genre", (("Drama", 9),)))),
        RankedReport("c5d6e7f8", 0, _report("Comedies", 20, Facet("predicate", "has_genre", (("Comedy", 7),)))),
    ]

    def reply(messages):
        user = messages[-1].content
        if user.startswith("Report [c1a2b3c4]"):
            return "SCORE: 80\n- Drama dominates"
        if user.startswith("Report [c5d6e7f8]"):
            return "no idea"  # unparseable: left out
        assert "[c1a2b3c4] Drama dominates" in user and "c5d6e7f8" not in user
        return "Mostly drama [c1a2b3c4], some noir [cdeadbeef]."

    llm = FakeLLM(reply)
    a = llm_global_answer("What are the main genres?", reports, llm)
    assert a.text == "Mostly drama [c1a2b3c4], some noir ." and a.communities == (("c1a2b3c4", "Dramas"),)
    assert len(llm.prompts) == 3
    assert parse_map_reply("SCORE: 250\n* a\n\n- b") == (100, ["a", "b"]) and parse_map_reply("hm") == (0, [])
    none = llm_global_answer("q?", reports, FakeLLM("nothing"))
    assert none.text.startswith("No community report helps") and none.communities == ()


def test_cli_builds_shows_answers_globally_and_evaluates(tmp_path: Path) -> None:
    from graphrag.cli import main

    db = tmp_path / "g.kuzu"
    _store(db, film_kb())
    assert main(["communities", "build", "--db", str(db), "--max-size", "6", "--json"]) == 0
    assert main(["communities", "show", "--db", str(db)]) == 0
    questions = tmp_path / "q.json"
    questions.write_text(json.dumps([{"question": "Which genres are most common here?", "expected": ["Drama"]}]))
    out = tmp_path / "eval.json"
    args = ["eval", "communities", "--db", str(db), "--questions", str(questions), "--label-predicate", "has_genre"]
    assert main([*args, "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    top = report["purity"]["top"]
    assert top["purity"] == 1.0 and top["purity"] > top["chance"] and report["modularity"] > 0.3
    assert report["global"]["questions"][0]["coverage"] == 1.0


def test_an_llm_writes_the_top_reports_once_and_a_broken_reply_keeps_the_extractive_one(tmp_path: Path) -> None:
    from graphrag.generate.community_report import llm_report_writer

    db = tmp_path / "g.kuzu"
    src = _store(db, film_kb())
    calls = {"n": 0}

    def reply(messages):
        calls["n"] += 1
        if calls["n"] == 1:
            return "Sorry, I cannot."  # no JSON: the extractive report stays
        return json.dumps({"title": "A film world", "summary": "Films and their makers.",
                           "findings": [{"text": "One director dominates.", "sources": [1, 9]}]})  # fmt: skip

    settings = LeidenSettings(max_size=6)
    with KuzuGraphStore(db) as store:
        writer = llm_report_writer(FakeLLM(reply))
        report = build_communities(store, settings=settings, writer=writer, writer_levels=1)
        stored, _ = read_communities(store)
    top = [CommunityReport.from_json(c.report) for c in stored if c.level == 0]
    assert calls["n"] == len(top) == report.by_level[0] and writer.failed == 1
    written = [r for r in top if r.written_by == "fake"]
    assert len(written) == len(top) - 1 and all(r.title == "A film world" for r in written)
    assert all(r.facets for r in top)  # global search counts the same facets either way
    # sentence 9 does not exist; an imported KG has no passages, so no sentence 1 either
    assert all(f["sources"] == [s["doc"] for s in r.sentences[:1]] for r in written for f in r.findings)
    assert all(r.written_by == "extractive" for r in (CommunityReport.from_json(c.report) for c in stored if c.level))
    # unchanged communities are never re-written; a changed one is
    with KuzuGraphStore(db) as store:
        build_communities(store, settings=settings, writer=llm_report_writer(FakeLLM(reply)))
    assert calls["n"] == len(top)
    src.write_text(film_kb(extra="Joke 9|directed_by|Bo Kim\n"))
    with KuzuGraphStore(db) as store:
        TripleImporter(store).import_file(src)
        build_communities(store, settings=settings, writer=llm_report_writer(FakeLLM(reply)))
    assert len(top) < calls["n"] < 2 * len(top) + 1


def test_a_report_reply_cites_documents_through_the_numbered_sentences() -> None:
    from graphrag.generate.community_report import parse_report_reply, report_prompt

    r = _report("Dramas", 30, Facet("predicate", "has_genre", (("Drama", 9),)))
    r = CommunityReport(r.title, r.size, r.central, r.relations, r.facets,
                        ({"text": "A is a drama.", "chunk_id": "c1", "doc": "A"},
                         {"text": "B is too.", "chunk_id": "c2", "doc": "B"}))  # fmt: skip
    assert "[2] B is too. (document: B)" in report_prompt(r)[1].content
    reply = 'Here: {"title": "", "summary": "Dramas.", "findings": [{"text": "Both.", "sources": [2, 1, 7]}, 5]}'
    out = parse_report_reply(reply, r, "m")
    assert out is not None and out.title == "Dramas" and out.findings == ({"text": "Both.", "sources": ["B", "A"]},)
    assert "Dramas. Both. [B] [A]" in out.text() and out.written_by == "m"
    assert parse_report_reply('{"title": "x"}', r, "m") is None and parse_report_reply("{oops", r, "m") is None
