"""Who may read a document: access-control lists and the principals they are checked against.

A document's ACL is a set of group names, stored on the ``Document`` node as one comma-joined, sorted string
(``"finance,legal"``). The empty ACL means public: every principal may read the document. A principal is a user
and the groups they belong to; the user's own name counts as the group ``user:NAME``, so an ACL can name one
person. A principal reads a document when the ACL is empty or shares a group with the principal.

No principal at all (``None`` where a principal is expected) is the store's owner: whoever can open the database
files reads everything, so the toolkit does not pretend otherwise (see the README's "Security" section).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from graphrag.errors import InputError

#: A group name: letters, digits and ``_ . : @ -`` (so ``user:alice`` and ``team@example.org`` work), 1-64 long.
GROUP_RE = re.compile(r"[A-Za-z0-9_.:@-]{1,64}")

PUBLIC = ""


def parse_groups(value: object, *, what: str = "ACL") -> tuple[str, ...]:
    """Group names from ``"g1,g2"`` or a list of names: stripped, deduplicated, sorted.

    Raises :class:`~graphrag.errors.InputError` for a name with other characters (a typo in a permission should
    fail loudly, not silently make a document public or invisible)."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list | tuple | set | frozenset):
        parts = list(value)
        if not all(isinstance(p, str) for p in parts):
            raise InputError(f"{what} must be a list of group names (strings)")
    else:
        raise InputError(f'{what} must be "g1,g2" or a list of group names, got {type(value).__name__}')
    names = {p.strip() for p in parts if p.strip()}
    bad = sorted(n for n in names if not GROUP_RE.fullmatch(n))
    if bad:
        raise InputError(
            f"{what} has an invalid group name {bad[0]!r}: use 1-64 letters, digits or _ . : @ - (comma-separated)"
        )
    return tuple(sorted(names))


def normalise_acl(value: object) -> str:
    """The stored form of an ACL: sorted group names joined by commas (``""``: public)."""
    return ",".join(parse_groups(value))


def acl_groups(acl: str | None) -> frozenset[str]:
    """The groups of a stored ACL string (empty: public)."""
    return frozenset(g for g in (acl or "").split(",") if g)


@dataclass(frozen=True)
class Principal:
    """Someone reading the store: a user name and the groups they belong to."""

    user: str
    groups: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user: str, groups: str | Iterable[str] | None = None) -> Principal:
        """A principal from a user name and ``"g1,g2"`` or a list of groups (checked like an ACL)."""
        name = (user or "").strip()
        if not name or not GROUP_RE.fullmatch(name):
            raise InputError(f"invalid user name {user!r}: use 1-64 letters, digits or _ . : @ -")
        return cls(name, frozenset(parse_groups(groups, what="groups")))

    @property
    def memberships(self) -> frozenset[str]:
        """The groups this principal reads with: its groups and ``user:NAME``."""
        return self.groups | {f"user:{self.user}"}

    def can_read(self, acl: str | None) -> bool:
        """Whether a document with this ACL is visible to the principal."""
        groups = acl_groups(acl)
        return not groups or bool(groups & self.memberships)

    @property
    def key(self) -> str:
        """A stable text naming exactly what this principal can read (its memberships), for caches."""
        return ",".join(sorted(self.memberships))

    def __str__(self) -> str:
        return f"{self.user} ({', '.join(sorted(self.groups)) or 'no groups'})"


__all__ = ["PUBLIC", "Principal", "acl_groups", "normalise_acl", "parse_groups"]
