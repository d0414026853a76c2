"""The modules of ``autograd`` and ``nn`` import each other without a cycle.

Every import statement is read with :mod:`ast`, wherever it stands (top level, inside a function,
under ``TYPE_CHECKING``), and the graph of module → imported module must be acyclic. (Importing a
submodule also runs its package's ``__init__``; that implicit edge is Python's, not the code's,
and is left out.)
"""

from __future__ import annotations

import ast
import builtins
import importlib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn")


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that ``name`` imports."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names]
            if not name.startswith(module + "."):  # `from . import x` runs no new package code
                targets.append(module)
        else:
            continue
        found.update(target for target in targets if target in modules and target != name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_import_graph_has_no_cycles():
    graph = import_graph()
    assert "autograd.core.value" in graph and "nn.train" in graph  # the walk found the code
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_the_chain_rule_does_not_import_value_or_any_reader():
    graph = import_graph()
    for core_module in ("autograd.core.backward", "autograd.core.graph", "autograd.core.errors"):
        assert "autograd.core.value" not in graph[core_module], core_module
        assert not any(m.startswith("autograd.readers") for m in graph[core_module]), core_module


def test_the_engine_imports_nothing_of_nn():
    graph = import_graph()
    for name, imported in graph.items():
        if name.startswith("autograd"):
            assert not any(m.startswith("nn") for m in imported), name


def test_the_walk_resolves_relative_imports():
    graph = import_graph()
    assert {"autograd.core.backward", "autograd.core.ops"} <= graph["autograd.core.value"]
    assert {"nn.losses", "autograd"} <= graph["nn.train"]
    assert "autograd.core.value" in graph["autograd"]


def test_no_modules_all_shadows_a_builtin():
    """``from autograd import *`` (or any module of ours) replaces no builtin: no ``abs``,
    ``compile`` or ``sum`` in an ``__all__``."""
    for name in _modules():
        if name.endswith("__main__"):
            continue  # running it is its whole job
        exported = set(getattr(importlib.import_module(name), "__all__", ()))
        assert not exported & set(dir(builtins)), (name, sorted(exported & set(dir(builtins))))
