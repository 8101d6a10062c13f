"""How big are the package's modules and functions? ``python -m tests.support.code_size``.

Prints the longest modules (physical lines) and functions (lines of code: not blank, not a comment, not
the docstring), and how many exceed the project's limits (600 lines per module, 60 lines of code per
function). Exit status 0 always: it reports, the numbers are for the reader.
"""

from __future__ import annotations

import argparse
import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE_LIMIT = 600
FUNCTION_LIMIT = 60


def _code_lines(source: str) -> set[int]:
    """Line numbers that hold code (comments, blank lines and docstrings excluded)."""
    lines: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in skip:
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return lines - docstrings


def measure(package: Path = ROOT / "empathy_explorer") -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(lines, module) for every module and (lines of code, module:function) for every function."""
    modules, functions = [], []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        modules.append((len(source.splitlines()), rel))
        code = _code_lines(source)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
                functions.append((len(code.intersection(span)), f"{rel}:{node.lineno} {node.name}"))
    return sorted(modules, reverse=True), sorted(functions, reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=8, help="rows per table (default 8)")
    args = parser.parse_args(argv)
    modules, functions = measure()
    over_m = [m for m in modules if m[0] > MODULE_LIMIT]
    over_f = [f for f in functions if f[0] > FUNCTION_LIMIT]
    print(f"{len(modules)} modules, {len(over_m)} over {MODULE_LIMIT} lines; longest:")
    print("\n".join(f"  {n:5d}  {name}" for n, name in modules[: args.top]))
    print(f"{len(functions)} functions, {len(over_f)} over {FUNCTION_LIMIT} lines of code; longest:")
    print("\n".join(f"  {n:5d}  {name}" for n, name in functions[: args.top]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
