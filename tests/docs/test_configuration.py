"""docs/configuration.md names every environment variable the settings read.

The variables are found in the product's source, not in a list kept by hand:
every call of tracker/env.py's readers (`envstr`, `envbool`, `envint`,
`envlist`) and every `os.environ` / `os.getenv` read, in every module of the
product (the test, benchmark and development-support packages are not product).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .markdown import DOCS, ROOT

CONFIGURATION = DOCS / "configuration.md"
ENV_READERS = {"envstr", "envbool", "envint", "envlist"}
NOT_PRODUCT = {"tests", "bench", "devsupport", "tools", "scripts", "docs", "var", "static", "templates"}
# The readers themselves take the name as an argument; their callers are scanned instead.
READERS_MODULE = ROOT / "tracker" / "env.py"


def product_modules() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_PRODUCT or any(part.startswith(".") for part in parts):
            continue
        if "migrations" in parts or path == READERS_MODULE:
            continue
        found.append(path)
    return found


def _is_os_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and \
        isinstance(node.value, ast.Name) and node.value.id == "os"


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in ENV_READERS:
        return func.id
    if isinstance(func, ast.Attribute) and func.attr in ENV_READERS:
        return func.attr
    if isinstance(func, ast.Attribute) and func.attr == "get" and _is_os_environ(func.value):
        return "os.environ.get"
    if isinstance(func, ast.Attribute) and func.attr == "getenv" and \
            isinstance(func.value, ast.Name) and func.value.id == "os":
        return "os.getenv"
    return None


def variables_read(source: str, filename: str = "<source>") -> tuple[set[str], list[str]]:
    """(the variable names a module reads, the reads whose name is computed and cannot be checked)."""
    names, unknown = set(), []
    for node in ast.walk(ast.parse(source, filename)):
        name_node = None
        if isinstance(node, ast.Call) and _called_name(node) and node.args:
            name_node = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) \
                and _is_os_environ(node.value):
            name_node = node.slice
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1 and \
                isinstance(node.ops[0], ast.In | ast.NotIn) and _is_os_environ(node.comparators[0]):
            name_node = node.left
        if name_node is None:
            continue
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
            names.add(name_node.value)
        else:
            unknown.append(f"{filename}:{node.lineno}")
    return names, unknown


def documented() -> set[str]:
    return set(re.findall(r"`([A-Z][A-Z0-9_]*)`", CONFIGURATION.read_text(encoding="utf-8")))


def undocumented(names: set[str]) -> list[str]:
    return sorted(names - documented())


def _scan() -> tuple[set[str], list[str]]:
    names, unknown = set(), []
    for path in product_modules():
        found, computed = variables_read(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
        names |= found
        unknown += computed
    return names, unknown


def test_the_scan_finds_the_variables_the_settings_are_known_to_read():
    names, _ = _scan()
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "EDGE_PURGE_URLS", "GRIP_URL", "LOG_TREE"} <= names


def test_every_variable_the_settings_read_is_documented_in_configuration():
    names, _ = _scan()
    assert undocumented(names) == []


def test_no_product_module_reads_a_variable_whose_name_is_computed():
    _, unknown = _scan()
    assert unknown == []


def test_variables_read_as_text_may_come_from_a_file_and_the_page_says_so():
    # tracker/env.py's envstr reads NAME_FILE before NAME (Docker secrets).
    assert "_FILE" in READERS_MODULE.read_text(encoding="utf-8")
    assert "`NAME_FILE`" in CONFIGURATION.read_text(encoding="utf-8")


def test_an_undocumented_variable_is_named():
    source = ('import os\nfrom tracker.env import envint\n'
              'A = envint("NOT_DOCUMENTED_ANYWHERE", 1)\nB = os.environ["DATABASE_URL"]\n'
              'C = os.getenv("ALSO_NOT_DOCUMENTED")\nD = "THIRD_UNDOCUMENTED" in os.environ\n')
    names, unknown = variables_read(source)
    assert undocumented(names) == ["ALSO_NOT_DOCUMENTED", "NOT_DOCUMENTED_ANYWHERE", "THIRD_UNDOCUMENTED"]
    assert unknown == []


def test_a_computed_name_is_reported_as_unknown():
    names, unknown = variables_read('import os\nprefix = "X"\nvalue = os.environ.get(prefix + "_URL")\n')
    assert names == set()
    assert unknown == ["<source>:3"]
