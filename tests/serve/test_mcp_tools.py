"""``graphrag mcp``'s tools, called through the MCP SDK's own client over an in-memory transport: ask, retrieve,
cypher (read-only), entity lookup and paths; bad input comes back as a tool error, and a principal's tools see
only its documents."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")
from mcp.shared.memory import create_connected_server_and_client_session  # noqa: E402

from graphrag import GraphRAG  # noqa: E402
from graphrag.acl import Principal  # noqa: E402
from graphrag.serve.mcp_tools import build_mcp  # noqa: E402


def call(rag: GraphRAG, calls: list[tuple[str, dict[str, Any]]]) -> list[tuple[bool, Any]]:
    """``(is_error, structured result or text)`` of each tool call, in one client session."""

    async def session() -> list[tuple[bool, Any]]:
        server = build_mcp(rag, llm="none")
        out = []
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            assert tools == {"ask", "retrieve", "cypher", "entity", "paths"}
            for name, args in calls:
                r = await client.call_tool(name, args)
                text = r.content[0].text if r.content else ""
                out.append((r.isError, r.structuredContent if r.structuredContent is not None else text))
        return out

    return asyncio.run(session())


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_every_tool_answers_from_the_graph(tiny_db: Path) -> None:
    results = call(
        GraphRAG(tiny_db, read_only=True),
        [
            ("ask", {"question": "Where was Ada Lovelace born?", "k": 2}),
            ("retrieve", {"question": "Who designed the Analytical Engine?", "k": 3}),
            ("cypher", {"query": "MATCH (e:Entity {name: $n}) RETURN e.type", "params": {"n": "London"}}),
            ("entity", {"name_or_id": "Babbage"}),
            ("paths", {"source": "Alan Turing", "target": "London"}),
        ],
    )
    assert not any(err for err, _ in results)
    ask, retrieve, cypher, entity, paths = (_json(v) for _, v in results)
    assert ask["citations"][0]["title"] == "Ada Lovelace"
    assert len(retrieve["hits"]) == 3
    assert cypher == {"columns": ["e.type"], "rows": [["GPE"]]}
    assert entity["entity"]["name"] == "Charles Babbage"
    assert paths["paths"] and paths["paths"][0]["entities"][0] == "Alan Turing"
    assert paths["paths"][0]["entities"][-1] == "London" and "born in" in paths["paths"][0]["predicates"]


def test_bad_input_is_a_tool_error_and_writes_are_refused(tiny_db: Path) -> None:
    before = GraphRAG(tiny_db).stats()
    results = call(
        GraphRAG(tiny_db, read_only=True),
        [
            ("cypher", {"query": "MATCH (d:Document) DETACH DELETE d"}),
            ("cypher", {"query": "LOAD FROM '/etc/passwd' RETURN *"}),
            ("entity", {"name_or_id": "Nobody Atall Zzz"}),
            ("ask", {"question": ""}),
            ("paths", {"source": "Ada Lovelace", "target": "Qqqqq Xxxxx"}),
        ],
    )
    assert [err for err, _ in results] == [True] * 5
    assert "would change the database" in str(results[0][1])
    assert GraphRAG(tiny_db).stats() == before


def test_a_principals_tools_see_only_its_documents(tiny_db: Path) -> None:
    owner = GraphRAG(tiny_db)
    turing = next(d["id"] for d in owner.documents() if d["title"] == "Alan Turing")
    owner.set_acl(turing, "staff")
    ((err, rows),) = call(
        GraphRAG(tiny_db, principal=Principal.of("bob")), [("cypher", {"query": "MATCH (c:Chunk) RETURN c.text"})]
    )
    assert not err and "Alan Turing cited" not in str(rows) and "Ada Lovelace was" in str(rows)


def test_the_stdio_transport_in_a_real_process(tiny_db: Path) -> None:
    """``graphrag mcp`` as an agent client starts it: a child process speaking MCP over stdin/stdout."""
    import sys

    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    async def session() -> tuple[list[str], str]:
        params = StdioServerParameters(
            command=sys.executable, args=["-m", "graphrag", "mcp", "--db", str(tiny_db), "--llm", "none"]
        )
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            names = [t.name for t in (await client.list_tools()).tools]
            r = await client.call_tool("cypher", {"query": "MATCH (d:Document) RETURN count(*) AS n"})
            return names, r.content[0].text

    names, text = asyncio.run(session())
    assert "ask" in names and json.loads(text)["rows"] == [[3]]
