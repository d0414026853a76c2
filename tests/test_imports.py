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
import re
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


# ---- the old import paths (before autograd/ had folders) ------------------------------------------

OLD_PATHS = {  # old name -> the module's new place
    "ops": "autograd.core.ops",
    "errors": "autograd.core.errors",
    "graph": "autograd.core.graph",
    "value": "autograd.core.value",
    "backward": "autograd.core.backward",
    "modes": "autograd.core.modes",
    "functional": "autograd.core.functional",
    "checks": "autograd.core.checks",
    "formula": "autograd.readers.formula",
    "names": "autograd.readers.display",
    "tracing": "autograd.readers.tracing",
    "draw": "autograd.readers.draw",
    "stepper": "autograd.readers.stepper",
    "path_sums": "autograd.readers.path_sums",
    "symbolic": "autograd.readers.symbolic",
    "expression": "autograd.cli.expression",
}


def test_every_old_import_path_still_works_as_import_and_as_attribute():
    """Code written against the earlier layout keeps working: ``from autograd.tracing import
    trace``, ``import autograd.tracing`` and the attribute ``autograd.tracing`` all give the module
    at its new place. (The attribute ``autograd.backward`` is the function ``backward()``, as the
    README shows; the module keeps its import path.)"""
    import autograd

    for old, new in OLD_PATHS.items():
        module = importlib.import_module(new)
        assert importlib.import_module(f"autograd.{old}") is module, old
        exec(f"import autograd.{old}", {})  # the import statement, not only importlib
        if old == "backward":
            assert autograd.backward is module.backward
        else:
            assert getattr(autograd, old) is module, old
    namespace: dict[str, object] = {}
    exec(
        "from autograd.tracing import trace; from autograd.backward import chain_rule_steps",
        namespace,
    )
    assert namespace["trace"] is autograd.trace


_OLD_NAMES = "|".join(name for name in OLD_PATHS if name != "backward")
OLD_PATH_USE = re.compile(
    rf"(?<![\w.])autograd\.(?:{_OLD_NAMES})\b"  # autograd.ops, from autograd.draw import …
    r"|(?<![\w.])autograd\.backward(?:\.\w| import\b|`)"  # the module, not the function backward()
    r"|import autograd\.backward\b"
    rf"|from autograd import [^\n]*\b(?:{_OLD_NAMES})\b"  # from autograd import ops
)
_SKIPPED_FOLDERS = {".git", ".venv", "build", "dist", "__pycache__", ".hypothesis", ".pytest_cache"}
_TEXT_FILES = {".py", ".md", ".ipynb", ".toml", ".cfg", ".txt", ".html", ".js", ".po", ".pot"}


def _repository_text_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*")
        if path.is_file()
        and (path.suffix in _TEXT_FILES or path.name == "Makefile")
        and not _SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
        and not any(part.endswith(".egg-info") for part in path.relative_to(ROOT).parts)
    ]


def test_nothing_in_the_repository_uses_an_old_import_path():
    """stepgrad's own code, tests, docstrings, notebooks and README use the new paths only; the
    old ones are kept for code outside (this test is the one place that spells them)."""
    files = _repository_text_files()
    assert ROOT / "autograd" / "__init__.py" in files and ROOT / "README.md" in files
    uses = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in files
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OLD_PATH_USE.search(line)
    ]
    assert not uses, "old import paths in use:\n" + "\n".join(uses)


def test_the_old_path_pattern_tells_the_module_backward_from_the_function():
    assert OLD_PATH_USE.search("from autograd.backward import chain_rule_steps")
    assert OLD_PATH_USE.search("see :mod:`autograd.backward`")
    assert OLD_PATH_USE.search("from autograd import Value, ops")
    assert OLD_PATH_USE.search("x = autograd.ops.TANH")
    assert not OLD_PATH_USE.search("autograd.backward([y1, y2], [3.0, 0.5])")
    assert not OLD_PATH_USE.search("torch.autograd.backward(ys, vs)")
    assert not OLD_PATH_USE.search("from autograd.core.ops import OPS")
    assert not OLD_PATH_USE.search("from autograd import Value, backward, trace")
