"""``graphrag serve``'s HTTP API in-process (FastAPI's test client) over the tiny Lovelace store: every endpoint,
bad input answered with a clear 4xx that changes nothing, writes only when allowed, identities from a proxy's
headers seeing only their documents."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from graphrag import GraphRAG  # noqa: E402
from graphrag.acl import Principal  # noqa: E402
from graphrag.serve.app import ServeSettings, create_app, iter_sse  # noqa: E402


def client(db: Path, **settings: object) -> TestClient:
    def factory(principal: Principal | None, read_only: bool) -> GraphRAG:
        return GraphRAG(db, principal=principal, read_only=read_only)

    return TestClient(create_app(factory, ServeSettings(**settings)))  # type: ignore[arg-type]


def test_ask_retrieve_cypher_entity_health_and_metrics(tiny_db: Path) -> None:
    c = client(tiny_db, llm="none")
    assert c.get("/health").json()["status"] == "ok"
    r = c.post("/ask", json={"question": "Where was Ada Lovelace born?", "k": 2})
    assert r.status_code == 200 and r.json()["citations"][0]["title"] == "Ada Lovelace"
    r = c.post("/retrieve", json={"question": "Who designed the Analytical Engine?", "k": 3})
    assert r.status_code == 200 and len(r.json()["hits"]) == 3 and "links" in r.json()
    r = c.post("/cypher", json={"query": "MATCH (e:Entity {name: $n}) RETURN e.type", "params": {"n": "London"}})
    assert r.json() == {"columns": ["e.type"], "rows": [["GPE"]]}
    eid = c.post("/cypher", json={"query": "MATCH (e:Entity {name: 'London'}) RETURN e.id"}).json()["rows"][0][0]
    page = c.get(f"/entities/{eid}").json()
    assert page["entity"]["name"] == "London" and page["n_in"] >= 2
    metrics = c.get("/metrics").text
    assert (
        'graphrag_requests_total{endpoint="ask",status="200"} 1' in metrics and "graphrag_resident_memory_mb" in metrics
    )
    assert c.get("/openapi.json").json()["paths"].keys() >= {"/ask", "/retrieve", "/cypher", "/ingest"}


def test_streamed_answer(tiny_db: Path) -> None:
    c = client(tiny_db, llm="none")
    with c.stream("POST", "/ask", json={"question": "Where was Ada Lovelace born?", "stream": True}) as r:
        events = list(iter_sse(r.iter_lines()))
    assert [e for e, _ in events] == ["status", "answer", "result", "done"]
    assert events[1][1]["text"] == events[2][1]["answer"] and events[2][1]["citations"]


def test_bad_requests_get_clear_4xx_and_change_nothing(tiny_db: Path) -> None:
    c = client(tiny_db, max_body_kb=1)
    before = GraphRAG(tiny_db).stats()
    assert c.post("/ask", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    assert c.post("/ask", json={"question": ""}).status_code == 422
    assert c.post("/ask", json={"question": "x", "k": 0}).status_code == 422
    assert c.post("/ask", json={"question": "x" * 2000}).status_code == 413
    r = c.post("/cypher", json={"query": "MATCH (d:Document) DETACH DELETE d"})
    assert r.status_code == 403 and "would change the database" in r.json()["error"]
    assert c.post("/cypher", json={"query": "LOAD FROM '/etc/passwd' RETURN *"}).status_code == 403
    r = c.post("/cypher", json={"query": "MATCH (n RETURN n"})
    assert r.status_code == 400 and r.json()["kind"] == "CypherError"
    assert c.get("/entities/no-such-id").status_code == 404
    r = c.post("/ingest", json={"documents": [{"title": "X", "text": "Grace Hopper wrote COBOL."}]})
    assert r.status_code == 403 and "--allow-writes" in r.json()["error"]
    assert GraphRAG(tiny_db).stats() == before


def test_ingest_when_writes_are_allowed(tiny_db: Path) -> None:
    c = client(tiny_db, allow_writes=True)
    r = c.post("/ingest", json={"documents": [{"title": "Grace Hopper", "text": "Grace Hopper wrote COBOL."}],
                                "acl": "navy"})  # fmt: skip
    assert r.status_code == 200 and r.json()["documents_new"] == 1
    assert GraphRAG(tiny_db).stats()["nodes"]["Document"] == 4
    rows = GraphRAG(tiny_db).cypher("MATCH (d:Document {title: 'Grace Hopper'}) RETURN d.acl").rows
    assert rows == (("navy",),)


def test_identities_from_proxy_headers(restricted: Path) -> None:
    c = client(restricted, identity_headers=True, llm="none", allow_writes=True)
    assert c.post("/cypher", json={"query": "RETURN 1"}).status_code == 401
    q = {"query": "MATCH (c:Chunk) RETURN c.text"}
    bob = c.post("/cypher", json=q, headers={"X-Forwarded-User": "bob"}).json()
    sam = c.post("/cypher", json=q, headers={"X-Forwarded-User": "sam", "X-Forwarded-Groups": "staff"}).json()
    assert len(bob["rows"]) == 2 and len(sam["rows"]) == 3
    assert "Alan Turing cited" not in str(bob)
    r = c.post("/ingest", json={"documents": [{"title": "X", "text": "Y z."}]}, headers={"X-Forwarded-User": "bob"})
    assert r.status_code == 403  # a principal never writes, even on a server that allows writes


def test_graphrag_serve_answers_over_real_http(tiny_db: Path) -> None:
    """The command itself: a child process listening on 127.0.0.1, its cold start, /health and /ask."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphrag", "serve", "--db", str(tiny_db), "--port", str(port), "--llm", "none"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        r = httpx.post(f"http://127.0.0.1:{port}/ask", json={"question": "Where was Ada Lovelace born?"}, timeout=60)
        assert r.status_code == 200 and r.json()["citations"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "models loaded in" in err and "cold start" in err


def test_workers_answer_at_once_and_are_reused() -> None:
    """``--workers 2``: two requests of one identity get two objects at once; later ones reuse them."""
    from graphrag.serve.app import Graphs

    made: list[object] = []

    def factory(principal: Principal | None, read_only: bool) -> object:
        made.append(object())
        return made[-1]

    graphs = Graphs(factory, allow_writes=False, workers=2)
    with graphs.use(None) as a, graphs.use(None) as b:
        assert a is not b
    with graphs.use(None) as c:
        assert c in (a, b)
    with graphs.use(Principal.of("bob")) as d:
        assert d not in (a, b)
    assert len(made) == 3


@pytest.mark.timeout(60)
def test_health_answers_while_every_worker_is_busy(tiny_db: Path) -> None:
    def factory(principal: Principal | None, read_only: bool) -> GraphRAG:
        return GraphRAG(tiny_db, principal=principal, read_only=read_only)

    app = create_app(factory, ServeSettings(workers=1))
    with TestClient(app) as c, app.state.graphs.use(None):  # the only worker is taken
        assert c.get("/health").json()["exists"] is True
