"""``graphrag serve``'s workers share one question embedder: the store's own model behind a micro-batcher, so
concurrent questions are embedded together, and each answer is the one a worker with its own embedder gives."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from graphrag import GraphRAG  # noqa: E402
from graphrag.acl import Principal  # noqa: E402
from graphrag.cli.serve_cmd import _shared_embedder  # noqa: E402
from graphrag.config import GraphRAGConfig  # noqa: E402
from graphrag.embed.micro_batch import MicroBatchingEmbedder  # noqa: E402
from graphrag.serve.app import ServeSettings, create_app  # noqa: E402

QUESTIONS = [
    "Where was Ada Lovelace born?",
    "Who was Ada Lovelace's father?",
    "What did Alan Turing study?",
    "Who worked with Charles Babbage?",
    "Where was Alan Turing born?",
    "What is the Analytical Engine?",
]


def test_the_serve_command_shares_the_stores_embedder(tiny_db: Path, tmp_path: Path) -> None:
    shared = _shared_embedder(tiny_db, GraphRAGConfig())
    assert isinstance(shared, MicroBatchingEmbedder)
    own = GraphRAG(tiny_db, read_only=True).question_embedder()
    assert (shared.name, shared.dim) == (own.name, own.dim)
    assert _shared_embedder(tmp_path / "none.kuzu", GraphRAGConfig()) is None  # no store yet: each loads its own
    passed = GraphRAG(tiny_db, embedder=shared)
    assert passed.question_embedder() is shared


@pytest.mark.parametrize("workers", [1, 3])
def test_workers_sharing_one_embedder_answer_as_workers_with_their_own(tiny_db: Path, workers: int) -> None:
    """Twelve requests at once; each question's texts are embedded before a worker is taken (in shared passes),
    and every answer is the one a lone object gives."""
    alone = GraphRAG(tiny_db, read_only=True)
    expected = {q: alone.retrieve(q, k=3) for q in QUESTIONS}
    shared = _shared_embedder(tiny_db, GraphRAGConfig())
    assert shared is not None

    def factory(principal: Principal | None, read_only: bool) -> GraphRAG:
        return GraphRAG(tiny_db, principal=principal, read_only=read_only, embedder=shared)

    app = create_app(factory, ServeSettings(workers=workers, llm="none"), embedder=shared)
    got: dict[str, dict] = {}
    errors: list[BaseException] = []
    with TestClient(app) as c:

        def ask(q: str) -> None:
            try:
                r = c.post("/retrieve", json={"question": q, "k": 3})
                assert r.status_code == 200, r.text
                got[q] = r.json()
                a = c.post("/ask", json={"question": q})
                assert a.status_code == 200 and a.json()["question"] == q, a.text
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=ask, args=(q,)) for q in QUESTIONS * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors
    for q, result in expected.items():
        assert [(h["chunk_id"], h["score"]) for h in got[q]["hits"]] == [(h.chunk_id, h.score) for h in result.hits]
    assert shared.calls >= len(QUESTIONS)  # every worker embedded through the shared one


def _plain_before(value: object) -> object:
    """The server's JSON conversion as it was (asdict first), the reference for the faster one."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return _plain_before(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain_before(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain_before(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def test_the_json_conversion_gives_the_same_bytes_as_before(tiny_db: Path) -> None:
    from enum import StrEnum

    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse

    from graphrag.generate.answer_json import ask_result_dict
    from graphrag.serve.app import _plain

    class Colour(StrEnum):
        RED = "red"

    rag = GraphRAG(tiny_db, read_only=True)
    for q in QUESTIONS:
        result = rag.ask(q, llm="none")
        for value in ({**ask_result_dict(result), "record": result}, rag.retrieve(q, k=3)):
            before = JSONResponse(jsonable_encoder(_plain_before(value))).body  # what FastAPI sent
            assert JSONResponse(_plain(value)).body == before
    odd = {1: (Colour.RED, {2.5, 3}), "p": Path("x"), "n": None, "t": (True, 1.0, "s")}
    assert JSONResponse(_plain(odd)).body == JSONResponse(jsonable_encoder(_plain_before(odd))).body
