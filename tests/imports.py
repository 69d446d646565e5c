"""Reading the product's own source: its apps, modules and the imports between them (for layout tests)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not product code: tests, benchmarks, the standalone verifier and test/dev process runners.
NOT_PRODUCT = {"tests", "bench", "tools", "devsupport", "scripts", "docs", "deploy", "static", "templates",
               "var", ".venv"}


def product_apps() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/__init__.py")
                  if path.parent.name not in NOT_PRODUCT)


def modules(app: str, *, migrations: bool = False) -> dict[str, Path]:
    """The app's modules by dotted name ('record.versioning')."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if not migrations and "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(module: str, path: Path) -> set[str]:
    """Every module `module` imports, at its top or inside a function, as absolute dotted names."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(app: str) -> dict[str, set[str]]:
    """Imports between the modules of one app (only those that name one of its modules)."""
    found = modules(app)
    return {name: {other for other in imported(name, path) if other in found and other != name}
            for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def code_lines(app: str) -> int:
    return sum(len(path.read_text().splitlines()) for path in modules(app).values())


def imported_apps(app: str, root: Path = ROOT) -> dict[str, set[str]]:
    """{top-level package imported: {the files of `app` that import it}} (relative imports stay inside)."""
    found: dict[str, set[str]] = {}
    for path in sorted((root / app).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(root)))
    return found
