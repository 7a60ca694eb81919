"""The client half of ``graphrag serve``: a program that holds no store and loads no model (the explorer started
with ``--server URL``) asks a running server instead, and gets the toolkit's own records back.

:class:`ServerClient` has the reading methods of :class:`~graphrag.api.GraphRAG` that the server exposes —
:meth:`~ServerClient.ask`, :meth:`~ServerClient.retrieve`, :meth:`~ServerClient.cypher`,
:meth:`~ServerClient.search_entities`, :meth:`~ServerClient.entity`, :meth:`~ServerClient.neighbourhood` —
with the same return types (:mod:`graphrag.serve.reply_records` reads the JSON back), so a page draws a served
answer with the code that draws a local one. It speaks HTTP with the standard library (no web framework is
imported here) and keeps no connection or state between calls, so one client serves many threads.

Who is asking: a client made with a ``principal`` sends it as the ``X-Forwarded-User`` / ``X-Forwarded-Groups``
headers, which only a server started with ``--identity-headers`` reads. Before its first request the client asks
``/health`` where the server takes identities from and refuses to go on when the server would answer as someone
else (its own ``--as`` identity, or the owner, who reads everything) — a preview "as bob" must never show the
owner's view; after that, every response says where its identity came from (``X-Graphrag-Identity``), so a server
restarted without ``--identity-headers`` is refused at its first answer, which is dropped unread.

Failures are one-sentence errors: the toolkit's own error when the server names one (a busy store is a
:class:`~graphrag.errors.StoreLockedError`, a writing query a :class:`~graphrag.errors.ReadOnlyViolation`, a bad
query a :class:`~graphrag.errors.StoreError`), otherwise :class:`~graphrag.errors.ServerError` saying which server
and what went wrong (not answering, too slow, a refused request, a reply that is not graphrag's).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphrag.acl import Principal
from graphrag.errors import (
    AccessDenied,
    ConfigError,
    GraphRAGError,
    InputError,
    ModelUnavailableError,
    ReadOnlyViolation,
    RemoteLLMError,
    ServerError,
    StoreError,
    StoreLockedError,
)
from graphrag.serve import reply_records
from graphrag.serve.app import GROUPS_HEADER, IDENTITY_HEADER, USER_HEADER, iter_sse

if TYPE_CHECKING:
    from graphrag.explore import EntityMatch, EntityPage, GraphView
    from graphrag.generate.answer import AskResult
    from graphrag.retrieve.hybrid import HybridResult
    from graphrag.store import QueryResult

# The errors a server names in its reply's "kind" that the client raises as themselves (its own message kept).
_KINDS: dict[str, type[GraphRAGError]] = {
    cls.__name__: cls
    for cls in (
        AccessDenied, ReadOnlyViolation, StoreLockedError, StoreError, InputError, ConfigError,
        ModelUnavailableError, RemoteLLMError,
    )
}  # fmt: skip
_KINDS["CypherError"] = StoreError  # the engine rejected a user's query: what a local cypher() raises


def server_url(url: str) -> str:
    """``url`` checked (``http://`` or ``https://`` with a host) and without a trailing slash; a
    :class:`~graphrag.errors.ConfigError` says what is wrong otherwise."""
    text = (url or "").strip().rstrip("/")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"--server must be the address of graphrag serve, e.g. http://127.0.0.1:8000; got {url!r}")
    return text


@dataclass(frozen=True)
class ServerHealth:
    """What ``GET /health`` says: the store's path and whether it exists, the uptime, where identities come
    from (``owner``: the server reads everything; ``fixed``: as its own ``--as``; ``headers``: each request's
    headers; ``""``: a server that does not say) and whether it accepts writes."""

    db: str
    exists: bool
    uptime_s: float
    identity: str = ""
    writes: bool = False


class ServerClient:
    """Asks a running ``graphrag serve`` over HTTP.

    Args:
        base_url: the server's address, e.g. ``http://127.0.0.1:8000``.
        principal: who is asking, sent as identity headers (the server must take them: ``--identity-headers``);
            ``None`` asks as whoever the server answers as.
        timeout_s: the longest one request may take before it is given up (the server has its own
            ``--timeout-s``).
        opener: makes the HTTP requests (default: the standard library's, with the environment's proxy
            settings).
    """

    def __init__(
        self,
        base_url: str,
        *,
        principal: Principal | None = None,
        timeout_s: float = 120.0,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        self.base_url = server_url(base_url)
        if principal is not None and not (principal.user + "".join(principal.groups)).isascii():
            raise InputError(f"{principal} cannot travel in an HTTP header: use ASCII user and group names")
        self.principal = principal
        self.timeout_s = timeout_s
        self._opener = opener or urllib.request.build_opener()
        self._identity_checked = False

    def __repr__(self) -> str:
        return f"ServerClient({self.base_url!r}, principal={self.principal!s})"

    # -- the server itself -----------------------------------------------------------------------------------
    def health(self, *, timeout_s: float = 5.0) -> ServerHealth:
        """The server's ``/health`` (a short timeout: a health check must not hang a page)."""
        d = self._json("GET", "/health", timeout_s=timeout_s, check_identity=False)
        try:
            return ServerHealth(
                db=str(d["db"]),
                exists=bool(d["exists"]),
                uptime_s=float(d.get("uptime_s", 0.0)),
                identity=str(d.get("identity", "")),
                writes=bool(d.get("writes", False)),
            )
        except (KeyError, TypeError, ValueError):
            raise self._not_graphrag("/health") from None

    def identity_problem(self, health: ServerHealth) -> str | None:
        """Why the server would not answer as this client's principal (or, with no principal, why it will not
        answer at all), in one sentence; ``None`` when it will."""
        if self.principal is None and health.identity == "headers":
            return (
                f"the server at {self.base_url} answers only requests that say who is asking "
                "(it was started with --identity-headers): give the explorer (or this client) an identity "
                "(--as USER, --identity-headers, or the sidebar's View as)"
            )
        if self.principal is not None and health.identity != "headers":
            answers_as = {"fixed": "its own --as identity", "owner": "the store's owner, who reads everything"}
            return (
                f"the server at {self.base_url} answers as {answers_as.get(health.identity, 'its own identity')}, "
                f"not as {self.principal}: start it with --identity-headers so that it reads who is asking"
            )
        return None

    # -- reading, as GraphRAG does ---------------------------------------------------------------------------
    def ask(self, question: str, *, k: int = 5, llm: str | None = None) -> AskResult:
        """Answer ``question`` on the server (``llm``: one of its answerers; ``None``: its default)."""
        d = self._json("POST", "/ask", {"question": question, "k": k, "llm": llm, "full": True})
        return self._read("/ask", reply_records.ask_result, d.get("record") if isinstance(d, dict) else None)

    def ask_stream(self, question: str, *, k: int = 5, llm: str | None = None) -> Iterator[tuple[str, Any]]:
        """The streamed answer as ``(event, data)``: ``("status", stage)``, ``("answer", text)``, then
        ``("result", AskResult)``; an error the server streams is raised like any other."""
        body = {"question": question, "k": k, "llm": llm, "full": True, "stream": True}
        with self._open("POST", "/ask", body, timeout_s=self.timeout_s) as response:
            events = iter_sse(raw.decode("utf-8") for raw in response)
            while True:
                try:
                    event, data = next(events)
                except StopIteration:
                    return
                except TimeoutError:
                    raise self._too_slow("/ask", self.timeout_s) from None
                except (OSError, ValueError) as exc:  # a connection reset, a line that is not JSON
                    raise ServerError(f"the server at {self.base_url} broke off /ask ({_reason(exc)})") from None
                if event == "status":
                    yield "status", data.get("stage", "")
                elif event == "answer":
                    yield "answer", data.get("text", "")
                elif event == "result":
                    yield "result", self._read("/ask", reply_records.ask_result, data.get("record"))
                elif event == "error":
                    raise self._error(data, 200, "/ask")

    def retrieve(self, question: str, *, k: int = 10) -> HybridResult:
        """The hybrid retriever's ``k`` best passages with their graph evidence."""
        d = self._json("POST", "/retrieve", {"question": question, "k": k})
        return self._read("/retrieve", reply_records.hybrid_result, d)

    def cypher(self, query: str, /, **params: Any) -> QueryResult:
        """A read-only Cypher query with ``$parameters`` (the server refuses one that would write)."""
        d = self._json("POST", "/cypher", {"query": query, "params": params})
        return self._read("/cypher", reply_records.query_result, d)

    def search_entities(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Entities whose name or alias matches ``text``, best first."""
        d = self._json("GET", "/entities?" + urllib.parse.urlencode({"q": text, "limit": limit}))
        return self._read("/entities", lambda x: [reply_records.entity_match(m) for m in x["matches"]], d)

    def entity(self, entity_id: str) -> EntityPage | None:
        """An entity's page, or ``None`` when the server has no such entity (for this principal)."""
        path = f"/entities/{urllib.parse.quote(entity_id, safe='')}"
        try:
            d = self._json("GET", path)
        except ServerError as exc:
            if exc.status == 404:
                return None
            raise
        return self._read("/entities", reply_records.entity_page, d)

    def neighbourhood(self, entity_id: str, *, depth: int = 1, max_nodes: int = 60) -> GraphView:
        """The entities within ``depth`` relations of an entity, as a drawable graph."""
        query = urllib.parse.urlencode({"depth": depth, "max_nodes": max_nodes})
        d = self._json("GET", f"/entities/{urllib.parse.quote(entity_id, safe='')}/neighbourhood?{query}")
        return self._read("/entities", reply_records.graph_view, d)

    # -- HTTP ------------------------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.principal is not None:
            headers[USER_HEADER] = self.principal.user
            headers[GROUPS_HEADER] = ",".join(sorted(self.principal.groups))
        return headers

    def _check_identity(self) -> None:
        if self._identity_checked:
            return
        problem = self.identity_problem(self.health())
        if problem is not None:
            raise AccessDenied(_sentence(problem))
        self._identity_checked = True

    def _open(self, method: str, path: str, body: Any = None, *, timeout_s: float, check_identity: bool = True) -> Any:
        """The open response of one request; every failure becomes one sentence."""
        if check_identity:
            self._check_identity()
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = self._headers() | ({"Content-Type": "application/json"} if data is not None else {})
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        endpoint = path.split("?")[0]
        try:
            response = self._opener.open(request, timeout=timeout_s)
        except urllib.error.HTTPError as exc:
            with exc:
                raw = exc.read()
            try:
                reply = json.loads(raw)
            except ValueError:
                reply = None
            raise self._error(reply, exc.code, endpoint) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._too_slow(endpoint, timeout_s) from None
            raise ServerError(
                f"the server at {self.base_url} is not answering ({_reason(exc.reason)}): start it with "
                "`graphrag serve`, or check the address given to --server"
            ) from None
        except TimeoutError:
            raise self._too_slow(endpoint, timeout_s) from None
        except (OSError, ValueError) as exc:  # a connection reset, a bad status line
            raise ServerError(f"the server at {self.base_url} broke off {endpoint} ({_reason(exc)})") from None
        answered_as = response.headers.get(IDENTITY_HEADER)
        if check_identity and answered_as is not None and answered_as != "headers" and self.principal is not None:
            response.close()  # a server restarted without --identity-headers: its answer is not this principal's
            self._identity_checked = False
            problem = self.identity_problem(ServerHealth(db="", exists=True, uptime_s=0.0, identity=answered_as))
            raise AccessDenied(_sentence(problem or ""))
        return response

    def _json(
        self, method: str, path: str, body: Any = None, *, timeout_s: float | None = None, check_identity: bool = True
    ) -> Any:
        timeout = self.timeout_s if timeout_s is None else timeout_s
        endpoint = path.split("?")[0]
        with self._open(method, path, body, timeout_s=timeout, check_identity=check_identity) as response:
            try:
                raw = response.read()
            except TimeoutError:
                raise self._too_slow(endpoint, timeout) from None
            except OSError as exc:
                raise ServerError(f"the server at {self.base_url} broke off {endpoint} ({_reason(exc)})") from None
        try:
            return json.loads(raw)
        except ValueError:
            raise self._not_graphrag(endpoint) from None

    def _read(self, endpoint: str, read: Any, data: Any) -> Any:
        """``read(data)``, a reply of another shape being one sentence instead of a traceback."""
        try:
            return read(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._not_graphrag(endpoint) from None

    def _error(self, reply: Any, status: int, endpoint: str) -> GraphRAGError:
        """The error a refused request stands for: the toolkit's own when the server names it."""
        message = reply.get("error") if isinstance(reply, dict) else None
        kind = reply.get("kind") if isinstance(reply, dict) else None
        if isinstance(message, str) and kind in _KINDS:
            return _KINDS[kind](message)
        if isinstance(reply, dict) and isinstance(reply.get("detail"), list):  # FastAPI's 422: fields it refused
            fields = "; ".join(
                f"{'.'.join(str(p) for p in d.get('loc', ())[1:]) or 'the request'}: {d.get('msg', '')}"
                for d in reply["detail"]
                if isinstance(d, dict)
            )
            message = f"refused the request ({fields})"
        elif isinstance(message, str):
            message = f"refused {endpoint}: {message}"
        elif status == 404:
            message = f"has no {endpoint} (is it graphrag serve, and as recent as this explorer?)"
        else:
            message = f"answered {endpoint} with HTTP {status}"
        return ServerError(f"the server at {self.base_url} {message}", status=status)

    def _too_slow(self, endpoint: str, timeout_s: float) -> ServerError:
        return ServerError(f"the server at {self.base_url} did not answer {endpoint} within {timeout_s:g} s")

    def _not_graphrag(self, endpoint: str) -> ServerError:
        return ServerError(f"the server at {self.base_url} did not answer {endpoint} as graphrag serve does")


def _sentence(text: str) -> str:
    """``text`` as a sentence: a capital first, a full stop last."""
    return f"{text[:1].upper()}{text[1:]}."


def _reason(reason: Any) -> str:
    """A connection failure in a few words (``Connection refused``, not the errno tuple)."""
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


__all__ = ["ServerClient", "ServerHealth", "server_url"]
