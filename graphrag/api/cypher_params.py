"""Cypher ``$parameters`` typed in by people (``--param name=value``, the explorer's parameter box)."""

from __future__ import annotations

import json
from typing import Any

from graphrag.errors import ConfigError


def parse_param(text: str) -> tuple[str, Any]:
    """``k=v`` to ``(k, v)``; ``v`` is read as JSON when it parses (numbers, lists, true/false), else as a string."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip().isidentifier():
        raise ConfigError(f"--param needs the form name=value, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


__all__ = ["parse_param"]
