"""The shape of the `intake` package, read from its source: arrows one way, rooms kept apart.

views → services/selectors → models → answers/screening: nothing imports back up, reads never
import writes, the admin imports no view, a view makes no ORM call, and the screening rules stay
free of Django. Nothing here runs the code: it parses it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "intake"
# The modules written with the standard library alone: screening reads them, and any tool can.
PLAIN_PACKAGES = ("intake.screening", "intake.answers", "intake.bilingual", "intake.text")
MAX_LINES = 400
# A table of data may be longer than a module of code (STYLE.md).
DATA_TABLES = frozenset({"intake.screening.rules"})


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name), migrations aside."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        found[".".join(parts)] = path
    return found


@cache
def imports(module: str) -> frozenset[str]:
    """The dotted names `module` imports, relative imports resolved."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return frozenset(names)


def _as_module(name: str) -> str | None:
    """The module of the package a dotted name refers to (an imported function: its module)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def dependencies(module: str) -> frozenset[str]:
    found = {_as_module(name) for name in imports(module) if name.startswith("intake")}
    return frozenset(found - {None, module, "intake"})


def _is_package_own_submodule(module: str, dependency: str) -> bool:
    """A package's __init__ reading its own submodules is how a package is built, not a cycle."""
    return modules()[module].name == "__init__.py" and dependency.startswith(module + ".")


def find_cycle() -> list[str] | None:
    """One import cycle among the package's modules, as the path that closes it, or None."""
    graph = {
        module: sorted(
            dependency
            for dependency in dependencies(module)
            if not _is_package_own_submodule(module, dependency)
        )
        for module in modules()
    }
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for dependency in graph[module]:
            cycle = visit(dependency, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in graph:
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_the_layout_check_reads_the_package() -> None:
    assert {"intake.models", "intake.screening", "intake.review.views"} <= modules().keys()
    assert "intake.models" in dependencies("intake.selectors")


def test_no_import_cycle_among_intake_modules() -> None:
    assert find_cycle() is None, " → ".join(find_cycle() or [])


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_plain_modules_import_no_django_and_nothing_of_the_django_side(package: str) -> None:
    for module in (m for m in modules() if m == package or m.startswith(package + ".")):
        assert not any(name.split(".")[0] == "django" for name in imports(module)), module
        for dependency in dependencies(module):
            assert dependency.startswith(PLAIN_PACKAGES), (module, dependency)


def test_reads_never_import_writes() -> None:
    reads = [m for m in modules() if m.endswith("selectors")] + ["intake.review.queue"]
    for module in reads:
        writes = {d for d in dependencies(module) if d.endswith(("services", "retention"))}
        assert not writes, (module, writes)


def test_models_import_neither_forms_views_services_nor_selectors() -> None:
    upward = ("forms", "views", "services", "selectors", "admin", "review", "invitations")
    models = [m for m in modules() if m == "intake.models" or m.startswith("intake.models.")]
    assert len(models) > 1, models
    for module in models:
        for dependency in dependencies(module):
            assert not dependency.removeprefix("intake.").startswith(upward), (module, dependency)


def test_the_admin_imports_no_view() -> None:
    for module in (m for m in modules() if m.startswith("intake.admin")):
        views = {d for d in dependencies(module) if d.endswith("views")}
        assert not views, (module, views)


@pytest.mark.parametrize(
    "module", sorted(m for m in modules() if m.rpartition(".")[2].endswith("views"))
)
def test_views_make_no_orm_call(module: str) -> None:
    """A view calls a selector or a service; the query is written there."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr != "objects", f"{module}:{node.lineno} reads Model.objects"
        if isinstance(node, ast.Name):
            assert node.id not in {"get_object_or_404", "get_list_or_404", "connection"}, (
                f"{module}:{node.lineno} uses {node.id}"
            )


def test_no_module_passes_400_lines_but_the_rules_table() -> None:
    long = {
        module: lines
        for module, path in modules().items()
        if module not in DATA_TABLES
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules (STYLE.md): {long}"
