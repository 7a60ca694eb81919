"""Leak tests: public and restricted documents about the same entities, ingested for real (spaCy, hashing
embedder), a GNN trained and communities built over the whole store; then every read path a principal has --
answers, retrieval, GNN candidates and paths, entity search and pages, neighbourhoods, stats, the document list,
communities and user Cypher -- is probed, and no probe may surface a word that only a restricted document holds.
Positive controls show the same probes do surface those words for a principal allowed to read them, so the
check can fail.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphrag import GraphRAG
from graphrag.acl import Principal
from graphrag.errors import AccessDenied
from graphrag.ids import entity_id

PUBLIC = {
    "Acme Corporation": "Acme Corporation is an aerospace company based in Springfield. Acme Corporation was founded "
    "by Maria Lopez in 1990. The company builds rockets for NASA.",
    "Maria Lopez": "Maria Lopez is an American engineer born in Springfield. She founded Acme Corporation and studied "
    "at Oxford University.",
    "Springfield": "Springfield is a city in Illinois. Springfield is home to Acme Corporation and Lincoln Park.",
    "Oxford University": "Oxford University is a university in England. Maria Lopez studied engineering at Oxford "
    "University.",
}
RESTRICTED: list[tuple[str, Any, str]] = [
    ("Project Falcon", "finance", "Project Falcon is a secret acquisition plan of Acme Corporation. Acme Corporation "
     "will acquire Zenith Dynamics for 40 million dollars. The deal was negotiated by Viktor Hale in Geneva."),
    ("Zenith Dynamics", "finance", "Zenith Dynamics is a robotics company based in Geneva. Zenith Dynamics was "
     "founded by Ingrid Solberg."),
    ("Lopez memo", ["finance", "legal"], "Maria Lopez, codenamed Black Heron, approved Project Falcon. Maria Lopez "
     "met Viktor Hale in Geneva."),
    ("Lopez review", "hr", "Maria Lopez received a performance bonus from Acme Corporation. Her mentor was Ingrid "
     "Solberg."),
    ("Carol note", "user:carol", "Carol Jensen suspects that Acme Corporation overpaid Zenith Dynamics."),
]  # fmt: skip

# Words only restricted documents hold, and who may see them.
FINANCE = ["Project Falcon", "Zenith", "Viktor Hale", "Geneva", "Black Heron", "40 million", "robotics",
           "codenamed", "negotiated", "acquisition", "Solberg"]  # fmt: skip
HR = ["bonus", "mentor", "performance", "Lopez review"]
CAROL = ["Carol Jensen", "overpaid", "suspects", "Carol note"]
EVERY_SECRET = FINANCE + HR + CAROL

QUESTIONS = [
    "What is Project Falcon?",
    "Who negotiated the deal for Acme Corporation?",
    "Which company will Acme Corporation acquire?",
    "Who founded Zenith Dynamics?",
    "What is the codename of Maria Lopez?",
    "Where did Maria Lopez meet Viktor Hale?",
    "Who was the mentor of Maria Lopez?",
    "Did Maria Lopez receive a bonus?",
    "Who founded Acme Corporation?",
    "What does Carol Jensen suspect about Acme Corporation?",
]
TRAINING = [
    ("Who founded Acme Corporation?", "Maria Lopez"),
    ("Which company will Acme Corporation acquire?", "Zenith Dynamics"),
    ("Who founded Zenith Dynamics?", "Ingrid Solberg"),
    ("Where is Acme Corporation based?", "Springfield"),
    ("Where did Maria Lopez study?", "Oxford University"),
    ("Where is Zenith Dynamics based?", "Geneva"),
]


def _dump(value: Any) -> str:
    """Everything a result holds, as text (dataclasses, dicts, lists, query rows)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return " ".join(f"{k} {_dump(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(_dump(v) for v in value)
    if hasattr(value, "rows") and hasattr(value, "columns"):
        return _dump(list(value.rows))
    return str(value)


@pytest.fixture(scope="module")
def leak_store(tmp_path_factory: pytest.TempPathFactory, spacy_analyzer: Any) -> Path:
    """The fixture store: 4 public and 5 restricted documents, a GNN and communities over all of them."""
    root = tmp_path_factory.mktemp("leaks")
    corpus = root / "corpus.jsonl"
    with corpus.open("w") as f:
        for title, text in PUBLIC.items():
            f.write(json.dumps({"title": title, "text": text}) + "\n")
        for title, acl, text in RESTRICTED:
            f.write(json.dumps({"title": title, "text": text, "acl": acl}) + "\n")
    questions = root / "questions.json"
    questions.write_text(json.dumps([{"question": q, "answer": a} for q, a in TRAINING] * 3))
    db = root / "leaks.kuzu"
    rag = GraphRAG(db)
    rag.ingest([corpus], embedder="hashing", analyzer=spacy_analyzer, separate_process=False)
    rag.train_gnn([questions], out=root / "gnn.pt", embedder="hashing", epochs=3, progress=False)
    rag.communities.build(full=True)
    return db


class Probes:
    """Runs read probes as one principal and collects what each returned."""

    def __init__(self, rag: GraphRAG) -> None:
        self.rag = rag
        self.seen: list[tuple[str, str]] = []
        self.asked: dict[str, str] = {}

    def __call__(self, name: str, call: Callable[[], Any], *, asked: str = "") -> str:
        """Run a probe; a secret that ``asked`` (the question) itself names is not counted for it: an echo of
        the asker's own words ("no passage names 'Project Falcon'") is not a leak."""
        text = _dump(call())
        self.seen.append((name, text))
        self.asked[name] = asked.lower()
        return text

    def leaks(self, secrets: list[str]) -> list[tuple[str, str]]:
        return [
            (name, s)
            for name, text in self.seen
            for s in secrets
            if s.lower() in text.lower() and s.lower() not in self.asked[name]
        ]


def run_battery(rag: GraphRAG) -> Probes:
    """At least 50 probes over every read path."""
    p = Probes(rag)
    for q in QUESTIONS:
        p(f"ask none: {q}", lambda q=q: rag.ask(q, llm="none", k=5), asked=q)
        p(f"retrieve: {q}", lambda q=q: rag.retrieve(q, k=10), asked=q)
    for q in QUESTIONS[:4]:
        p(f"ask extractive: {q}", lambda q=q: rag.ask(q, llm="extractive", k=5), asked=q)
    for term in ["Falcon", "Zenith", "Viktor", "Heron", "Geneva", "Solberg", "Carol", "Lopez", "bonus", "a"]:
        p(f"search {term}", lambda term=term: rag.search_entities(term, limit=50))
    for name in ["Acme Corporation", "Maria Lopez", "Springfield", "Zenith Dynamics", "Viktor Hale", "Black Heron"]:
        p(f"entity {name}", lambda name=name: rag.entity(entity_id(name)))
        p(f"neighbourhood {name}", lambda name=name: rag.neighbourhood(entity_id(name), depth=2))
    p("stats", rag.stats)
    p("documents", rag.documents)
    p("communities", rag.communities.list)
    p("global question", lambda: rag.communities.ask("Which companies does the collection describe?"))
    for query in [
        "MATCH (c:Chunk) RETURN c.text",
        "MATCH (d:Document) RETURN d.id, d.title, d.source, d.acl",
        "MATCH (e:Entity) RETURN e.name, e.aliases, e.type",
        "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.name, r.predicate, b.name, r.source",
        "MATCH (c:Chunk)-[m:MENTIONS]->(e:Entity) RETURN m.text, e.name",
        "MATCH (c:Chunk)-[r:ABOUT]->(e:Entity) RETURN e.name, r.source",
        "MATCH (n:Community) RETURN n.title, n.summary, n.report",
        "MATCH (e:Entity) WHERE e.name CONTAINS 'Falcon' OR e.name CONTAINS 'Zenith' RETURN e.name",
        "MATCH p = (a:Entity {name: 'Acme Corporation'})-[:RELATION* SHORTEST 1..4]-(b:Entity) RETURN p",
        "MATCH (n) RETURN labels(n) AS kind, count(*) AS n",
        "MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk) RETURN d.title, c.text",
        "CALL show_tables() RETURN *",
    ]:
        p(f"cypher {query}", lambda query=query: rag.cypher(query))
    p("cypher by restricted id", lambda: rag.cypher("MATCH (e:Entity {id: $id}) RETURN e.name", id=entity_id("Geneva")))
    return p


def test_a_reader_without_groups_sees_nothing_restricted(leak_store: Path) -> None:
    rag = GraphRAG(leak_store, principal=Principal.of("bob"))
    probes = run_battery(rag)
    assert len(probes.seen) >= 50
    assert probes.leaks(EVERY_SECRET) == []
    report = rag.access_report()
    assert report is not None and report.documents == 4 and report.documents_hidden == 5
    assert rag.stats()["nodes"]["Document"] == 4
    assert rag.entity(entity_id("Zenith Dynamics")) is None
    # the public facts are all there: the view is not empty
    answer = rag.ask("Who founded Acme Corporation?", llm="none")
    assert "Maria Lopez" in _dump(answer) and {s.title for s in answer.sources} <= set(PUBLIC)


def test_each_group_sees_its_own_documents_and_no_other(leak_store: Path) -> None:
    finance = run_battery(GraphRAG(leak_store, principal=Principal.of("fiona", "finance")))
    assert finance.leaks(HR + CAROL) == []
    found = {s for _, s in finance.leaks(FINANCE)}
    assert {"Project Falcon", "Zenith", "Viktor Hale", "Geneva"} <= found  # the control: probes do see them
    carol = run_battery(GraphRAG(leak_store, principal=Principal.of("carol")))
    assert carol.leaks([s for s in FINANCE + HR if s != "Zenith"]) == []  # her note names Zenith Dynamics
    assert {s for _, s in carol.leaks(CAROL)} >= {"Carol Jensen", "overpaid"}


def test_the_owner_sees_everything(leak_store: Path) -> None:
    probes = run_battery(GraphRAG(leak_store))
    assert {s for _, s in probes.leaks(EVERY_SECRET)} >= {"Project Falcon", "bonus", "Carol Jensen"}


def test_gnn_candidates_and_paths_stay_in_the_view(leak_store: Path) -> None:
    rag = GraphRAG(leak_store, principal=Principal.of("bob"))
    result = rag.retrieve("Which company will Acme Corporation acquire?", k=5)
    assert result.candidates, "the trained GNN answers over the view"
    text = _dump(result.candidates) + _dump(result.paths)
    assert not [s for s in EVERY_SECRET if s.lower() in text.lower()]
    owner = GraphRAG(leak_store).retrieve("Which company will Acme Corporation acquire?", k=5)
    assert "Zenith Dynamics" in _dump(owner.candidates)


def test_a_principal_cannot_write(leak_store: Path, tmp_path: Path) -> None:
    rag = GraphRAG(leak_store, principal=Principal.of("bob", "finance"))
    for attempt in (
        lambda: rag.write_cypher("MATCH (d:Document) SET d.acl = ''"),
        lambda: rag.ingest([tmp_path]),
        lambda: rag.set_acl(str(leak_store), ""),
        lambda: rag.delete("anything"),
        lambda: rag.communities.build(),
        lambda: rag.train_gnn([tmp_path / "q.json"], out=tmp_path / "g.pt"),
        lambda: rag.unmask("[PERSON_1]"),
    ):
        with pytest.raises(AccessDenied, match="bob"):
            attempt()
    assert GraphRAG(leak_store).stats()["nodes"]["Document"] == 9


def test_changing_an_acl_is_an_update_the_view_follows(leak_store: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "copy.kuzu"
    shutil.copy2(leak_store, db)
    bob = GraphRAG(db, principal=Principal.of("bob"))
    assert "Zenith" not in _dump(bob.cypher("MATCH (c:Chunk) RETURN c.text"))
    owner = GraphRAG(db)
    falcon = next(d["id"] for d in owner.documents() if d["title"] == "Zenith Dynamics")
    assert owner.set_acl(falcon, "") == 1
    rows = bob.cypher("MATCH (c:Chunk) RETURN c.text").rows
    assert any("Zenith Dynamics is a robotics company" in r[0] for r in rows)
    assert bob.access_report().documents == 5
