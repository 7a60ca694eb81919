"""``graphrag serve``: one long-lived process that loads the models once and answers over HTTP.

Endpoints (OpenAPI at ``/docs``): ``POST /ask`` (``"stream": true`` for server-sent events; ``"full": true`` adds
the whole record under ``"record"``, for clients that redraw an answer), ``POST /retrieve``, ``POST /cypher``
(read-only), ``GET /entities?q=`` (search by name or alias), ``GET /entities/{id}``,
``GET /entities/{id}/neighbourhood``, ``POST /ingest`` (refused unless started with ``--allow-writes``),
``GET /health`` (also says where identities come from), ``GET /metrics`` (Prometheus text).
:class:`~graphrag.serve.client.ServerClient` is the client half (the explorer's ``--server``).

Who is asking: the identity the server was started with (``--as``), else, with ``--identity-headers``, the
``X-Forwarded-User`` / ``X-Forwarded-Groups`` headers an authenticating proxy sets (a request without them is
refused, 401), else the store's owner. Each principal gets its own :class:`~graphrag.api.GraphRAG` over its view
of the store (see :mod:`graphrag.access`), kept between requests.

Bad requests get a 4xx and change nothing: malformed JSON or wrong fields 422, a body over ``max_body_kb`` 413, a
question over the configured length or a Cypher query the engine rejects 400, a writing Cypher query or a write by
a principal 403, an unknown entity 404, the store locked by a writer 503, a request over ``timeout_s`` 504 (its
work finishes in the background).
"""

# No ``from __future__ import annotations`` here: FastAPI reads the endpoints' annotations (Request, the bodies),
# which are imported inside create_app, at definition time.
import contextlib
import json
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from graphrag.acl import Principal
from graphrag.embed import Embedder
from graphrag.errors import (
    AccessDenied,
    GraphRAGError,
    InputError,
    ReadOnlyViolation,
    StoreError,
    StoreLockedError,
)
from graphrag.serve.metrics import Metrics

USER_HEADER, GROUPS_HEADER = "X-Forwarded-User", "X-Forwarded-Groups"
#: Every response says where the server took the request's identity from (``owner``, ``fixed`` or ``headers``),
#: so a client that passes one on sees at once when a restarted server no longer reads it.
IDENTITY_HEADER = "X-Graphrag-Identity"


@dataclass(frozen=True)
class ServeSettings:
    """How the server runs: which store, who may write, where identities come from, and request limits."""

    allow_writes: bool = False
    identity_headers: bool = False
    principal: Principal | None = None
    llm: str | None = "extractive"  # the default answerer of /ask (a request may ask for another)
    max_body_kb: int = 256
    timeout_s: float = 60.0
    workers: int = 1  # GraphRAG objects per principal answering at once (each holds its own indexes in memory)


def _plain(value: Any) -> Any:
    """JSON-ready: dataclasses to dicts, tuples to lists, everything else as it is or as text.

    The exact built-in types are tried first and a dataclass is read field by field (``asdict`` deep-copies
    every record first: ~1 ms of a 2Wiki answer's full record, in the thread that answers); the result is the
    same."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class Graphs:
    """Up to ``workers`` :class:`~graphrag.api.GraphRAG` objects per principal (the owner's read-only unless writes
    are allowed), each with its own opening of the store and its own indexes, so that many requests are answered
    at once (one object answers one request at a time); made on first need."""

    def __init__(self, factory: Callable[[Principal | None, bool], Any], allow_writes: bool, workers: int = 1) -> None:
        self._factory = factory
        self._allow_writes = allow_writes
        self._workers = max(1, workers)
        self._free: dict[str, queue.Queue[Any]] = {}
        self._made: dict[str, int] = {}
        self._lock = threading.Lock()

    def warm(self, principal: Principal | None, prepare: Callable[[Any], Any]) -> None:
        """Make every worker of ``principal`` now and ``prepare`` each (load its indexes and models)."""
        held = [self.use(principal) for _ in range(self._workers)]
        for ctx in held:
            prepare(ctx.__enter__())
        for ctx in held:
            ctx.__exit__(None, None, None)

    @contextlib.contextmanager
    def use(self, principal: Principal | None) -> Iterator[Any]:
        """An object of ``principal`` for the duration of the block (waits for a free one when all are busy)."""
        key = principal.key if principal is not None else ""
        with self._lock:
            free = self._free.setdefault(key, queue.Queue())
            make = free.empty() and self._made.get(key, 0) < self._workers
            if make:
                self._made[key] = self._made.get(key, 0) + 1
        rag = self._factory(principal, not self._allow_writes) if make else free.get()
        try:
            yield rag
        finally:
            free.put(rag)


def create_app(
    factory: Callable[[Principal | None, bool], Any], settings: ServeSettings, *, embedder: Embedder | None = None
) -> Any:
    """The FastAPI application; ``factory(principal, read_only)`` makes the GraphRAG object of a principal.

    ``embedder``, when given, is the question embedder the factory's objects share (a
    :class:`~graphrag.embed.micro_batch.MicroBatchingEmbedder`): a question's texts are then embedded before a
    worker is taken, together with the texts of the requests that arrive meanwhile, while the workers answer
    other questions. The answers are those of a worker embedding them itself, except that a score can differ in
    its last bits when the texts shared a forward pass with longer ones (see that module).
    """
    import anyio
    from fastapi import FastAPI, Query, Request
    from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse

    from graphrag.serve.bodies import AskBody, CypherBody, IngestBody, RetrieveBody

    graphs = Graphs(factory, settings.allow_writes, settings.workers)
    probe = factory(None, True)  # for /health: the store's path and whether it exists (it never reads through it)
    metrics = Metrics()
    started = time.time()
    # where a request's identity comes from, for clients that pass one on (the explorer refuses to ask a server
    # that would answer as someone else)
    identity = "headers" if settings.identity_headers else "fixed" if settings.principal is not None else "owner"
    app = FastAPI(
        title="graphrag",
        description="Questions over a knowledge graph built from text: cited answers, reasoning paths, Cypher.",
        version="0.1.0",
    )
    app.state.graphs = graphs  # the command warms the workers up through it

    def who(request: Request) -> Principal | None:
        if settings.principal is not None:
            return settings.principal
        if settings.identity_headers:
            user = request.headers.get(USER_HEADER)
            if not user:
                raise AccessDenied(f"no {USER_HEADER} header: this server answers only what its proxy let in")
            return Principal.of(user, request.headers.get(GROUPS_HEADER) or "")
        return None

    def on_worker(principal: Principal | None, question: str, call: Callable[[Any], Any]) -> Any:
        """``call(worker)`` on a worker of ``principal``. With a shared embedder, the texts the worker would embed
        for ``question`` are embedded first while no worker is held: the model runs (without the GIL) beside the
        workers' retrieval of other questions, and questions that arrive together share a forward pass. A
        question with nothing new to embed keeps the worker it looked with."""
        with graphs.use(principal) as rag:
            texts = rag.texts_to_embed(question) if embedder is not None else []
            if not texts:
                return call(rag)
        assert embedder is not None
        vectors = embedder.embed(texts)
        with graphs.use(principal) as rag:
            rag.add_embeddings(texts, vectors)
            return call(rag)

    async def run(call: Callable[[], Any]) -> Any:
        with anyio.fail_after(settings.timeout_s):
            return await anyio.to_thread.run_sync(call)

    @app.middleware("http")
    async def limits_and_metrics(request: Request, call_next: Callable[..., Any]) -> Any:
        t0 = time.perf_counter()
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > settings.max_body_kb * 1024):
            response: Any = JSONResponse(
                {"error": f"request body over {settings.max_body_kb} KB (--max-body-kb)"}, status_code=413
            )
        else:
            response = await call_next(request)
        metrics.observe(request.url.path.split("/")[1] or "/", response.status_code, time.perf_counter() - t0)
        response.headers[IDENTITY_HEADER] = identity
        return response

    @app.exception_handler(GraphRAGError)
    async def toolkit_error(request: Request, exc: GraphRAGError) -> Any:
        status = 400
        if isinstance(exc, AccessDenied) and "header" in str(exc):
            status = 401
        elif isinstance(exc, ReadOnlyViolation):
            status = 403
        elif isinstance(exc, StoreLockedError):
            status = 503
        elif isinstance(exc, StoreError):
            status = 500 if "no database" not in str(exc) else 503
        elif isinstance(exc, InputError):
            status = 400
        return JSONResponse({"error": str(exc), "kind": type(exc).__name__}, status_code=status)

    @app.exception_handler(TimeoutError)
    async def timed_out(request: Request, exc: TimeoutError) -> Any:
        return JSONResponse({"error": f"the request took over {settings.timeout_s:g} s (--timeout-s)"}, 504)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        # never waits for a worker: /health must answer while every worker is busy
        return {
            "status": "ok",
            "db": str(probe.db),
            "exists": probe.exists(),
            "uptime_s": round(time.time() - started),
            "identity": identity,
            "writes": settings.allow_writes,
        }

    @app.get("/metrics", response_class=PlainTextResponse)
    async def metrics_text() -> str:
        return metrics.prometheus()

    @app.post("/ask")
    async def ask(request: Request, body: AskBody) -> Any:
        from graphrag.generate.answer_json import ask_result_dict

        principal = who(request)
        llm = body.llm if body.llm is not None else settings.llm

        def answer() -> dict[str, Any]:
            result = on_worker(principal, body.question, lambda rag: rag.ask(body.question, llm=llm, k=body.k))
            return _plain({**ask_result_dict(result), **({"record": result} if body.full else {})})

        if not body.stream:
            return JSONResponse(await run(answer))  # already plain JSON: FastAPI's encoder would copy it again

        async def events() -> Any:
            yield _sse("status", {"stage": "retrieving and answering"})
            try:
                result = await run(answer)
            except GraphRAGError as exc:
                yield _sse("error", {"error": str(exc), "kind": type(exc).__name__})
                return
            except TimeoutError:
                yield _sse("error", {"error": f"over {settings.timeout_s:g} s"})
                return
            yield _sse("answer", {"text": result.get("answer", "")})
            yield _sse("result", result)
            yield _sse("done", {})

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.post("/retrieve")
    async def retrieve(request: Request, body: RetrieveBody) -> Any:
        principal = who(request)

        def found() -> dict[str, Any]:
            r = on_worker(principal, body.question, lambda rag: rag.retrieve(body.question, k=body.k))
            return _plain(
                {
                    "question": r.question,
                    "hits": r.hits,
                    "per_retriever": r.per_retriever,
                    "links": r.links,
                    "paths": r.paths,
                    "candidates": r.candidates,
                    "kg_paths": r.kg_paths,
                    "timings_s": r.timings_s,
                }
            )

        return JSONResponse(await run(found))

    @app.post("/cypher")
    async def cypher(request: Request, body: CypherBody) -> Any:
        principal = who(request)

        def query() -> Any:
            with graphs.use(principal) as rag:
                try:
                    return rag.cypher(body.query, **body.params)
                except StoreError as exc:
                    if isinstance(exc, StoreLockedError) or not rag.exists():
                        raise
                    return exc  # the query's fault, not the store's

        result = await run(query)
        if isinstance(result, StoreError):
            return JSONResponse({"error": str(result), "kind": "CypherError"}, status_code=400)
        return {"columns": list(result.columns), "rows": _plain(list(result.rows))}

    @app.get("/entities")
    async def search_entities(
        request: Request, q: str = Query(min_length=1, max_length=200), limit: int = Query(20, ge=1, le=100)
    ) -> Any:
        principal = who(request)

        def search() -> Any:
            with graphs.use(principal) as rag:
                return rag.search_entities(q, limit=limit)

        return {"matches": _plain(await run(search))}

    @app.get("/entities/{entity_id}/neighbourhood")
    async def neighbourhood(
        request: Request,
        entity_id: str,
        depth: int = Query(1, ge=1, le=3),
        max_nodes: int = Query(60, ge=1, le=500),
    ) -> Any:
        principal = who(request)

        def view() -> Any:
            with graphs.use(principal) as rag:
                return rag.neighbourhood(entity_id, depth=depth, max_nodes=max_nodes)

        return _plain(await run(view))

    @app.get("/entities/{entity_id}")
    async def entity(request: Request, entity_id: str) -> Any:
        principal = who(request)

        def look_up() -> Any:
            with graphs.use(principal) as rag:
                return rag.entity(entity_id)

        page = await run(look_up)
        if page is None:
            return JSONResponse({"error": f"no entity {entity_id!r}"}, status_code=404)
        return _plain(page)

    @app.post("/ingest")
    async def ingest(request: Request, body: IngestBody) -> Any:
        if not settings.allow_writes:
            return JSONResponse({"error": "this server is read-only (start it with --allow-writes)"}, 403)
        principal = who(request)

        def load() -> dict[str, Any]:
            with graphs.use(principal) as rag, tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "request.jsonl"
                path.write_text("".join(json.dumps(d.model_dump(exclude_none=True)) + "\n" for d in body.documents))
                report = rag.ingest([path], separate_process=False, acl=body.acl, mask_pii=body.mask_pii)
            return report.as_dict()

        return await run(load)

    return app


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def iter_sse(lines: Iterator[str]) -> Iterator[tuple[str, Any]]:
    """``(event, data)`` from the lines of a server-sent event stream (for clients and tests)."""
    event = None
    for line in lines:
        if line.startswith("event: "):
            event = line[len("event: ") :].strip()
        elif line.startswith("data: ") and event is not None:
            yield event, json.loads(line[len("data: ") :])
            event = None


__all__ = ["GROUPS_HEADER", "IDENTITY_HEADER", "USER_HEADER", "Graphs", "ServeSettings", "create_app", "iter_sse"]
