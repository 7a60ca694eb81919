"""The client half of ``graphrag serve`` against a real server (uvicorn on 127.0.0.1, in a thread) over the tiny
Lovelace store: the same records a local GraphRAG returns, identities passed on and checked before any data is
asked for, and every failure (down, slow, refused, not graphrag) as one sentence."""

from __future__ import annotations

import contextlib
import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

from graphrag import GraphRAG  # noqa: E402
from graphrag.acl import Principal  # noqa: E402
from graphrag.errors import AccessDenied, ConfigError, ReadOnlyViolation, ServerError, StoreError  # noqa: E402
from graphrag.explore import result_graph  # noqa: E402
from graphrag.serve import reply_records  # noqa: E402
from graphrag.serve.app import ServeSettings, _plain, create_app  # noqa: E402
from graphrag.serve.client import ServerClient, server_url  # noqa: E402

QUESTION = "Where was Ada Lovelace born?"


@contextlib.contextmanager
def serving(db: Path, port: int = 0, **settings: object) -> Iterator[str]:
    """``create_app`` over ``db`` served by uvicorn on 127.0.0.1 (``port``, else a free one) in a thread; yields
    its address."""

    def factory(principal: Principal | None, read_only: bool) -> GraphRAG:
        return GraphRAG(db, principal=principal, read_only=read_only)

    app = create_app(factory, ServeSettings(**settings))  # type: ignore[arg-type]
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart on the same port
    sock.bind(("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def plain_http(reply: bytes, *, status: int = 200, delay_s: float = 0.0) -> Iterator[str]:
    """A web server that is not graphrag: every request gets ``reply`` (after ``delay_s``)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            time.sleep(delay_s)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_served_answer_reads_back_as_the_local_one(tiny_db: Path) -> None:
    local = GraphRAG(tiny_db).ask(QUESTION, llm="none", k=2)
    assert reply_records.ask_result(_plain(local)) == local  # the record survives JSON whole
    with serving(tiny_db, llm="none") as url:
        client = ServerClient(url)
        health = client.health()
        assert health.exists and health.db == str(tiny_db) and health.identity == "owner" and not health.writes
        served = client.ask(QUESTION, k=2)
    assert served.answer.text == local.answer.text and served.answer.citations == local.answer.citations
    assert served.sources == local.sources and served.llm == "none"
    assert served.retrieval.hits == local.retrieval.hits
    assert served.retrieval.per_retriever == local.retrieval.per_retriever  # the explorer's fusion table
    assert served.answer.timings_s  # the server's own


def test_retrieve_cypher_and_entities_over_http(tiny_db: Path) -> None:
    rag = GraphRAG(tiny_db)
    with serving(tiny_db, llm="none") as url:
        client = ServerClient(url + "/")  # a trailing slash is fine
        r = client.retrieve("Who designed the Analytical Engine?", k=3)
        assert len(r.hits) == 3 and r.per_retriever and r.hits == rag.retrieve(r.question, k=3).hits
        result = client.cypher("MATCH (e:Entity {name: $n}) RETURN e.type", n="London")
        assert result.columns == ("e.type",) and result.rows == (("GPE",),)
        graph = client.cypher("MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a, r, b LIMIT 5")
        assert not result_graph(graph).empty  # nodes and relationships come back drawable
        (match, *_) = client.search_entities("Lovelace", limit=5)
        assert match.name == "Ada Lovelace" and match == rag.search_entities("Lovelace", limit=5)[0]
        page = client.entity(match.id)
        assert page == rag.entity(match.id)
        assert client.entity("no-such-id") is None
        view = client.neighbourhood(match.id, depth=1, max_nodes=20)
        local = rag.neighbourhood(match.id, depth=1, max_nodes=20)
        assert not view.empty and set(view.nodes) == set(local.nodes) and set(view.edges) == set(local.edges)


def test_a_streamed_answer(tiny_db: Path) -> None:
    with serving(tiny_db, llm="none") as url:
        events = list(ServerClient(url).ask_stream(QUESTION, k=2))
    assert [e for e, _ in events] == ["status", "answer", "result"]
    assert events[1][1] == events[2][1].answer.text and events[2][1].answer.citations


def test_refusals_are_the_toolkits_own_errors(tiny_db: Path) -> None:
    with serving(tiny_db, llm="none", max_body_kb=1) as url:
        client = ServerClient(url)
        with pytest.raises(ReadOnlyViolation, match="would change the database"):
            client.cypher("MATCH (d:Document) DETACH DELETE d")
        with pytest.raises(StoreError) as bad:
            client.cypher("MATCH (n RETURN n")
        assert not isinstance(bad.value, ServerError)  # as a local cypher() would raise
        with pytest.raises(ServerError, match=r"refused the request \(k: Input should be greater") as refused:
            client.ask(QUESTION, k=0)
        assert refused.value.status == 422
        with pytest.raises(ServerError, match="refused /ask: request body over 1 KB"):
            client.ask("x" * 2000)
    assert GraphRAG(tiny_db).stats()["nodes"]["Document"] == 3


def test_a_server_that_is_down_slow_or_not_graphrag_is_one_sentence() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(ServerError) as down:
        ServerClient(closed).ask(QUESTION)
    assert str(down.value) == (
        f"the server at {closed} is not answering (Connection refused): start it with `graphrag serve`, "
        "or check the address given to --server"
    )
    with plain_http(b"<html>hello</html>") as url, pytest.raises(ServerError, match="as graphrag serve does"):
        ServerClient(url).health()
    with plain_http(b"oops", status=500) as url, pytest.raises(ServerError, match="with HTTP 500"):
        ServerClient(url).health()
    with plain_http(b"{}", delay_s=1.0) as url, pytest.raises(ServerError, match=r"/health within 0\.2 s"):
        ServerClient(url).health(timeout_s=0.2)


def test_identities_travel_as_headers_and_are_checked_first(restricted: Path) -> None:
    q = "MATCH (c:Chunk) RETURN c.text"
    with serving(restricted, identity_headers=True, llm="none") as url:
        bob = ServerClient(url, principal=Principal.of("bob")).cypher(q)
        sam = ServerClient(url, principal=Principal.of("sam", "staff")).cypher(q)
        assert len(bob.rows) == 2 and len(sam.rows) == 3 and "Alan Turing" not in str(bob.rows)
        with pytest.raises(AccessDenied, match="answers only requests that say who is asking"):
            ServerClient(url).cypher(q)
    with serving(restricted, llm="none") as url:  # a server that reads everything: never asked as bob
        client = ServerClient(url, principal=Principal.of("bob"))
        with pytest.raises(AccessDenied, match=r"answers as the store's owner, who reads everything, not as bob"):
            client.cypher(q)
        import urllib.request

        with urllib.request.urlopen(url + "/metrics") as r:
            assert 'endpoint="cypher"' not in r.read().decode()  # the data was never asked for
    with serving(restricted, identity_headers=True) as url:
        port = int(url.rsplit(":", 1)[1])
        bob = ServerClient(url, principal=Principal.of("bob"))
        assert len(bob.cypher(q).rows) == 2
    with serving(restricted, port=port) as again:  # restarted without --identity-headers: bob's next answer refused
        assert again == url
        with pytest.raises(AccessDenied, match="answers as the store's owner"):
            bob.cypher(q)
    with serving(restricted, principal=Principal.of("sam", "staff")) as url:
        health = ServerClient(url).health()
        assert ServerClient(url).identity_problem(health) is None  # no principal: the server's own identity
        assert "answers as its own --as identity" in str(
            ServerClient(url, principal=Principal.of("bob")).identity_problem(health)
        )


def test_server_addresses_are_checked() -> None:
    assert server_url(" http://127.0.0.1:8000/ ") == "http://127.0.0.1:8000"
    for bad in ("127.0.0.1:8000", "ftp://host", "http://", "http://h:1/?q=1"):
        with pytest.raises(ConfigError, match="--server must be the address of graphrag serve"):
            server_url(bad)


def test_the_client_imports_no_web_framework_and_no_model() -> None:
    code = (
        "import sys, graphrag.serve.client\n"
        "heavy = {'fastapi', 'starlette', 'uvicorn', 'httpx', 'torch', 'sentence_transformers', 'spacy', 'llama_cpp'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
