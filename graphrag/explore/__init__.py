"""Browsing the graph without writing Cypher: fuzzy entity search, entity pages, neighbourhoods, and drawable
graphs of reasoning paths and Cypher results.

Front ends (the explorer app, the CLI) draw a :class:`GraphView`; :class:`GraphExplorer` builds them from the
store, and :func:`paths_graph` / :func:`result_graph` from an answer's reasoning paths or a query's rows. Nothing
here writes, and nothing here loads a model.
"""

from graphrag.explore.entities import EntityMatch, EntityPage, EntityRelation, GraphExplorer, Passage
from graphrag.explore.graph_view import GraphEdge, GraphNode, GraphView, display_value, paths_graph, result_graph

__all__ = [
    "EntityMatch",
    "EntityPage",
    "EntityRelation",
    "GraphEdge",
    "GraphExplorer",
    "GraphNode",
    "GraphView",
    "Passage",
    "display_value",
    "paths_graph",
    "result_graph",
]
