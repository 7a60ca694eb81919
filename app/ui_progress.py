"""Ingest progress drawn as Streamlit progress bars (the pipeline's ``IngestProgress`` protocol)."""

from __future__ import annotations

from typing import Any

import streamlit as st


class StreamlitProgress:
    """One progress bar per pipeline stage, plus a running log of the pipeline's notes.

    Args:
        container: where to draw (a Streamlit container or ``st`` itself).
    """

    def __init__(self, container: Any = st) -> None:
        self._container = container
        self._bars: dict[str, Any] = {}
        self._totals: dict[str, int] = {}
        self._done: dict[str, int] = {}
        self._log = container.empty()
        self.notes: list[str] = []

    def stage(self, name: str, total: int) -> None:
        """Start (or restart) the bar for ``name``."""
        self._totals[name] = max(int(total), 0)
        self._done[name] = 0
        if name not in self._bars:
            self._bars[name] = self._container.progress(0.0, text=f"{name}: 0/{total}")
        self._draw(name)

    def advance(self, name: str, n: int = 1) -> None:
        """``n`` more units of ``name`` done."""
        if name not in self._totals:
            return
        self._done[name] += n
        self._draw(name)

    def _draw(self, name: str) -> None:
        total, done = self._totals[name], min(self._done[name], self._totals[name])
        frac = 1.0 if total == 0 else done / total
        self._bars[name].progress(frac, text=f"{name}: {done:,}/{total:,}")

    def note(self, message: str, *, detail: bool = False) -> None:
        """Keep the message and show the last few."""
        self.notes.append(message)
        self._log.caption("  \n".join(self.notes[-6:]))

    def close(self) -> None:
        """Mark every bar complete."""
        for name in self._bars:
            self._done[name] = self._totals[name]
            self._draw(name)
