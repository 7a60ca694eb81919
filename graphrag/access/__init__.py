"""Access control on read: a principal's view of a store (:mod:`graphrag.access.view`) and the store access that
serves it (:mod:`graphrag.access.scoped`). ACLs and principals themselves are in :mod:`graphrag.acl`."""

from graphrag.access.view import ViewReport, principal_view

__all__ = ["ViewReport", "principal_view"]
