"""``graphrag mcp``: the graph as Model Context Protocol tools, for agent clients (stdio or streamable HTTP).

Tools: ``ask`` (a cited answer), ``retrieve`` (passages with their graph evidence), ``cypher`` (read-only),
``entity`` (look an entity up by name or id: relations both ways, aliases, passages) and ``paths`` (the shortest
relation paths between two entities). Every tool reads through one :class:`~graphrag.api.GraphRAG` object, so an
identity given at start-up (``--as``) limits every answer to what it may read, and nothing can write.
"""

from __future__ import annotations

from typing import Any

from graphrag.serve.app import _plain


def build_mcp(rag: Any, *, llm: str | None = "extractive", name: str = "graphrag") -> Any:
    """A FastMCP server whose tools answer from ``rag`` (a read-only :class:`~graphrag.api.GraphRAG`)."""
    from mcp.server.fastmcp import FastMCP

    server = FastMCP(name, instructions="Questions over a knowledge graph built from documents, with citations.")

    @server.tool()
    def ask(question: str, k: int = 5) -> dict[str, Any]:
        """Answer a question from the documents' knowledge graph: the answer, its cited sources and the reasoning
        paths behind it."""
        from graphrag.generate.answer_json import ask_result_dict

        return _plain(ask_result_dict(rag.ask(question, llm=llm, k=max(1, min(k, 50)))))

    @server.tool()
    def retrieve(question: str, k: int = 10) -> dict[str, Any]:
        """The passages that best answer a question (hybrid BM25, vector and graph retrieval), with the entities
        the question links to and reasoning paths."""
        r = rag.retrieve(question, k=max(1, min(k, 100)))
        return _plain({"hits": r.hits, "links": r.links, "paths": r.paths, "candidates": r.candidates})

    @server.tool()
    def cypher(query: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a read-only Cypher query over the graph (Document, Chunk, Entity nodes; HAS_CHUNK, MENTIONS,
        ABOUT, RELATION edges); values go in as $parameters. Writing queries are refused."""
        result = rag.cypher(query, **(params or {}))
        return {"columns": list(result.columns), "rows": _plain(list(result.rows))}

    @server.tool()
    def entity(name_or_id: str) -> dict[str, Any]:
        """An entity's page, found by id or by name (best match): its type, aliases, relations both ways and the
        passages that mention it."""
        page = rag.entity(name_or_id)
        if page is None:
            matches = rag.search_entities(name_or_id, limit=1)
            page = rag.entity(matches[0].id) if matches else None
        if page is None:
            raise ValueError(f"no entity named {name_or_id!r}")
        return _plain(page)

    @server.tool()
    def paths(source: str, target: str, max_hops: int = 4) -> dict[str, Any]:
        """The shortest relation paths (up to ``max_hops``) between two entities named or given by id, each step
        with its predicate."""
        ends = []
        for text in (source, target):
            found = rag.search_entities(text, limit=1)
            if not found:
                raise ValueError(f"no entity named {text!r}")
            ends.append(found[0])
        hops = max(1, min(int(max_hops), 6))
        result = rag.cypher(
            f"MATCH p = (a:Entity {{id: $a}})-[:RELATION* SHORTEST 1..{hops}]-(b:Entity {{id: $b}}) "
            "RETURN properties(nodes(p), 'name') AS names, properties(rels(p), 'predicate') AS predicates LIMIT 10",
            a=ends[0].id,
            b=ends[1].id,
        )
        return {
            "source": ends[0].name,
            "target": ends[1].name,
            "paths": [{"entities": names, "predicates": preds} for names, preds in result.rows],
        }

    return server


__all__ = ["build_mcp"]
