"""The exception tree. The CLI turns each into a clear message and an exit code."""

from __future__ import annotations


class GraphRAGError(Exception):
    """Base class for every error the toolkit raises on purpose."""

    exit_code = 1


class ConfigError(GraphRAGError):
    """A config file or option is invalid."""

    exit_code = 2


class InputError(GraphRAGError):
    """A user-supplied file or record cannot be parsed.

    ``path`` and ``line`` name where the problem is, so the message can point at it.
    """

    exit_code = 3

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class ReadOnlyViolation(GraphRAGError):
    """A query would change data or schema and writes were not explicitly allowed."""

    exit_code = 4


class AccessDenied(ReadOnlyViolation):
    """A principal asked for something its groups do not allow (a write, a query that cannot be filtered)."""


class StoreError(GraphRAGError):
    """The graph store failed (locked database, bad query, schema mismatch)."""

    exit_code = 5


class StoreLockedError(StoreError):
    """Another process holds the database's write lock."""


class UnknownBackendError(ConfigError):
    """A backend name is not in its registry; the message lists the valid names."""

    def __init__(self, kind: str, name: str, choices: list[str]) -> None:
        super().__init__(f"unknown {kind} {name!r}; choose one of: {', '.join(sorted(choices))}")


class ModelUnavailableError(GraphRAGError):
    """A local model package is not installed or cannot be loaded."""

    exit_code = 6


class RemoteLLMError(GraphRAGError):
    """A remote LLM endpoint could not be reached, was too slow, or replied with something unusable; the
    message names the URL and what went wrong."""

    exit_code = 7


class ClusterError(GraphRAGError):
    """A compute cluster (Ray) cannot be reached, or could not finish a batch within its retries; the message
    says which, and what was committed."""

    exit_code = 8


class ServerError(GraphRAGError):
    """A ``graphrag serve`` server could not be reached, was too slow, or refused a request in a way the toolkit
    has no error of its own for; the message names the server and what went wrong, in one sentence."""

    exit_code = 9

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)
