"""The README's Python examples call GraphRAG's methods with arguments they accept (checked by binding each call
to the method's signature), so the documentation cannot drift from the API."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from graphrag import GraphRAG

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## From Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_every_readme_call_binds_to_the_api() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 2
    calls = 0
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "rag":
                method = getattr(GraphRAG, node.func.attr)  # AttributeError: the README names a missing method
                args = [None] * len(node.args)
                kwargs = {kw.arg: None for kw in node.keywords if kw.arg is not None}
                inspect.signature(method).bind(None, *args, **kwargs)  # TypeError: arguments it does not take
                calls += 1
    assert calls >= 8


def test_each_job_takes_at_most_five_lines() -> None:
    first = _python_blocks()[0]
    lines = [ln for ln in first.splitlines() if ln.strip()]
    assert lines[0] == "from graphrag import GraphRAG"
    assert len(lines) <= 5
