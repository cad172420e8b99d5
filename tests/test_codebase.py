"""The code stays readable: no function in ``khaudit/`` (outside the demo) over 60 lines.

Functions that were already longer are listed with their length: one may only shrink (then
its entry is lowered or goes), and no other function may pass the limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "khaudit"
LIMIT = 60

#: "module:function" -> its length when this list was made; none may grow, none may join.
LONGER = {
    "match/link.py:settle_ties": 65,
    "match/link.py:match_locality": 66,
}


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
    lengths = function_lengths()
    over = {key: n for key, n in lengths.items() if n > LIMIT}
    new = {key: n for key, n in over.items() if key not in LONGER}
    grown = {key: (n, LONGER[key]) for key, n in over.items() if key in LONGER and n > LONGER[key]}
    assert not new, f"functions over {LIMIT} lines: split them along their steps: {new}"
    assert not grown, f"long functions grew (now, listed): {grown}"


def test_the_list_of_longer_functions_is_current():
    lengths = function_lengths()
    shrunk = {key: lengths.get(key, 0) for key in LONGER if lengths.get(key, 0) < LONGER[key]}
    assert not shrunk, f"lower or remove these entries of LONGER: {shrunk}"
