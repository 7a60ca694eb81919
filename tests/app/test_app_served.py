"""The explorer answering through ``graphrag serve`` (``--server``): a real server in a child process over the tiny
Lovelace store, and an explorer that opens no store and loads no model in its own process — Ask, Explore and
Cypher go over HTTP; the pages that need the store itself are left out; a server that is down, or that would
answer as someone else, is one sentence on the page."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
from streamlit.testing.v1 import AppTest  # noqa: E402

from graphrag.api import GraphRAG  # noqa: E402
from graphrag.api.loaded_models import LoadedModels  # noqa: E402
from graphrag.store import KuzuGraphStore  # noqa: E402

TIMEOUT_S = 120
QUESTION = "Where was Ada Lovelace born?"


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tiny_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``graphrag serve --llm none`` on a copy of the tiny store, in a child process; yields its address."""
    db = tmp_path_factory.mktemp("served") / "graph.kuzu"
    (shutil.copytree if tiny_db_template.is_dir() else shutil.copy2)(tiny_db_template, db)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphrag", "serve", "--db", str(db), "--port", str(port), "--llm", "none"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, f"the server did not start: {proc.stderr.read() if proc.stderr else ''}"
                assert time.monotonic() < deadline, "the server did not start within 120 s"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.fixture
def no_local_store(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Whatever the explorer would open or load in this process: a GraphRAG object, its models, a store."""
    built: list[str] = []

    def refuse(name: str):  # noqa: ANN202
        def init(self, *args: object, **kwargs: object) -> None:
            built.append(name)
            raise AssertionError(f"the served explorer made a {name} in its own process")

        return init

    for cls in (GraphRAG, LoadedModels, KuzuGraphStore):
        monkeypatch.setattr(cls, "__init__", refuse(cls.__name__))
    return built


def _app(app_path: Path, monkeypatch: pytest.MonkeyPatch, server: str, tmp_path: Path, **env: str) -> AppTest:
    for key in ("GRAPHRAG_USER", "GRAPHRAG_GROUPS", "GRAPHRAG_APP_READ_ONLY", "GRAPHRAG_APP_IDENTITY_HEADERS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GRAPHRAG_DB", str(tmp_path / "not-here.kuzu"))  # the explorer's own store: never opened
    monkeypatch.setenv("GRAPHRAG_APP_SERVER", server)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S)


def _served_asks(server: str) -> int:
    with urllib.request.urlopen(server + "/metrics") as r:
        for line in r.read().decode().splitlines():
            if line.startswith('graphrag_requests_total{endpoint="ask",status="200"}'):
                return int(float(line.split()[-1]))
    return 0


def test_the_ask_page_answers_through_the_server(
    app_path: Path, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_local_store: list[str]
) -> None:
    asked = _served_asks(server)
    at = _app(app_path, monkeypatch, server, tmp_path).run()
    assert not at.exception and not at.error
    side = _texts(at.sidebar.caption)
    assert f"Answering through `graphrag serve` at {server}" in side and "Database `" in side
    assert "not-here" not in side  # the server's database, not the explorer's
    at.text_area(key="ask_question").input(QUESTION)
    assert at.radio(key="ask_llm").value == "server"  # the server's default answerer (here: none)
    at.get("form_submit_button")[0].click()
    at = at.run()
    assert not at.exception and not at.error
    assert "Best passage [1] Ada Lovelace" in _texts(at.markdown)
    assert any(e.label.startswith("[1] Ada Lovelace") for e in at.expander)
    assert f"Answered by: none · via {server}" in _texts(at.caption)
    fused = next(d.value for d in at.dataframe if "fused rank" in d.value.columns)  # every retriever's list came
    assert fused.iloc[0]["passage"] == "Ada Lovelace" and len(fused.columns) > 3
    assert _served_asks(server) == asked + 1  # the server answered it
    assert no_local_store == []  # and nothing was opened or loaded here
    assert "Mode" not in [r.label for r in at.radio]  # no whole-corpus mode: community reports are not served


def test_explore_and_cypher_go_to_the_server_and_store_pages_are_left_out(
    app_path: Path, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_local_store: list[str]
) -> None:
    at = _app(app_path, monkeypatch, server, tmp_path).run()
    at = at.switch_page("pages/explore.py").run()
    at.text_input(key="explore_search").input("babage").run()  # a typo
    assert at.radio[0].options == ["Charles Babbage · PERSON · fuzzy word"]
    at.radio[0].set_value(at.radio[0].options[0]).run()
    assert not at.exception and not at.error
    assert at.header[0].value == "Charles Babbage"
    assert {m.label: m.value for m in at.metric}["Relations out"] == "2"
    frames = at.get("iframe")
    graph = json.loads(frames[0].proto.srcdoc.split("const data = ", 1)[1].split(";\n", 1)[0])
    assert {n["label"] for n in graph["nodes"]} == {"Charles Babbage", "Ada Lovelace", "Analytical Engine", "London"}
    assert not [t for t in at.toggle if t.key == "explore_by_community"]

    at = at.switch_page("pages/cypher.py").run()
    at.text_area(key="cypher_query").input("MATCH (e:Entity) RETURN e.name AS name ORDER BY name")
    at.get("form_submit_button")[0].click()
    at = at.run()
    assert not at.exception and not at.error
    assert "Ada Lovelace" in str([d.value for d in at.dataframe])
    at.text_area(key="cypher_query").input("MATCH (d:Document) DETACH DELETE d")
    at.get("form_submit_button")[0].click()
    at = at.run()
    assert "would change the database" in _texts(at.error)  # refused by the server, shown as locally

    for page in ("Ingest", "Communities", "Evaluate"):  # not among a served explorer's pages; a direct visit:
        at = at.switch_page(f"pages/{page.lower()}.py").run()
        assert not at.exception and not at.button and not at.get("form_submit_button")
        assert _texts(at.info) == (
            f"{page} needs the store itself, and this explorer answers through the server at {server}: run "
            "`graphrag app --db DIR` where the store is for it."
        )
    assert no_local_store == []


def test_a_server_that_is_down_or_would_answer_as_someone_else_is_one_sentence(
    app_path: Path, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_local_store: list[str]
) -> None:
    down = f"http://127.0.0.1:{_free_port()}"
    at = _app(app_path, monkeypatch, down, tmp_path).run()
    assert not at.exception
    assert _texts(at.error).splitlines()[0] == (
        f"The server at {down} is not answering (Connection refused): start it with `graphrag serve`, "
        "or check the address given to --server."
    )
    assert not at.get("form_submit_button")  # no question box without a server

    # bob's explorer and a server that reads everything (no --identity-headers): refused before any data moves
    at = _app(app_path, monkeypatch, server, tmp_path, GRAPHRAG_USER="bob").run()
    assert not at.exception
    assert "answers as the store's owner, who reads everything, not as bob (no groups)" in _texts(at.sidebar.error)
    at.text_area(key="ask_question").input(QUESTION)
    at.get("form_submit_button")[0].click()
    at = at.run()
    assert not at.exception and "Best passage" not in _texts(at.markdown)
    assert "start it with --identity-headers" in _texts(at.error)
    assert no_local_store == []
