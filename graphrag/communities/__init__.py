"""Communities of the entity graph: hierarchical Leiden clusters, extractive reports, and global search over them."""

from graphrag.communities.build import CommunityBuildReport, build_communities
from graphrag.communities.entity_graph import EntityGraph, build_graph, load_entity_graph
from graphrag.communities.leiden import Community, LeidenSettings, hierarchical_leiden, modularity
from graphrag.communities.summary import CommunityReport, ExtractiveSummarizer, Facet

__all__ = [
    "Community",
    "CommunityBuildReport",
    "CommunityReport",
    "EntityGraph",
    "ExtractiveSummarizer",
    "Facet",
    "LeidenSettings",
    "build_communities",
    "build_graph",
    "hierarchical_leiden",
    "load_entity_graph",
    "modularity",
]
