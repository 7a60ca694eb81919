"""Serving the graph to other programs: an HTTP API (:mod:`graphrag.serve.app`, ``graphrag serve``) and Model
Context Protocol tools for agents (:mod:`graphrag.serve.mcp_tools`, ``graphrag mcp``). Both load the models once
and answer through :class:`~graphrag.api.GraphRAG` objects, read-only unless writes are allowed."""
