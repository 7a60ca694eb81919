"""``python -m graphrag ...``: the ``graphrag`` command."""

from graphrag.cli import _entry

_entry()
