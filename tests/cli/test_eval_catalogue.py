"""``graphrag eval`` has one command per evaluation of the API's catalogue, and every flag the catalogue's usage
line shows (what the explorer's Evaluate page prints) exists on that command."""

from __future__ import annotations

import re

from typer.main import get_command

from graphrag.api import EVALUATIONS
from graphrag.cli import app


def test_eval_commands_match_the_catalogue() -> None:
    commands = get_command(app).commands["eval"].commands  # type: ignore[attr-defined]
    assert sorted(commands) == sorted(EVALUATIONS)
    for name, evaluation in EVALUATIONS.items():
        flags = {o for p in commands[name].params for o in p.opts + p.secondary_opts if o.startswith("--")}
        shown = set(re.findall(r"--[a-z][a-z-]*", evaluation.usage))
        assert shown <= flags, f"eval {name}: the usage line shows {sorted(shown - flags)}, which the CLI lacks"
        assert ("--db" in flags) == evaluation.uses_store
