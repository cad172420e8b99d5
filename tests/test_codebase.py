"""The code stays readable: no function in ``khaudit/`` (outside the demo) over 60 lines."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "khaudit"
LIMIT = 60


def function_lengths() -> dict[str, int]:
    """Every function and method of the package outside the demo, by ``module:name``, with
    its length in lines (decorators excluded); the longest wins when a name repeats."""
    lengths: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith("demo/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                key = f"{module}:{node.name}"
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                lengths[key] = max(length, lengths.get(key, 0))
    return lengths


def test_no_function_is_longer_than_the_limit():
    over = {key: n for key, n in function_lengths().items() if n > LIMIT}
    assert not over, f"functions over {LIMIT} lines: split them along their steps: {over}"
