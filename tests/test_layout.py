"""The layout docs/architecture.md describes: each pipeline stage has one address, and imports flow
one way. Read with ``ast`` from the source, so an import inside a function counts as much as one
at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# The stages in pipeline order (docs/architecture.md, "Layout"). A module may import its own stage
# and earlier ones, never a later one.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("unspun.errors", "unspun.extras", "unspun.types", "unspun.words", "unspun.timing", "unspun.version")),
    ("read", ("unspun.read", "unspun.readers")),
    ("clean", ("unspun.clean",)),
    ("segment", ("unspun.segment",)),
    ("language", ("unspun.language",)),
    ("represent", ("unspun.represent",)),
    ("align", ("unspun.align",)),
    ("judge", ("unspun.judge",)),
    ("fidelity", ("unspun.fidelity",)),
    ("pipeline", ("unspun.pipeline",)),
    ("retrieve", ("unspun.retrieve",)),
    ("store", ("unspun.store",)),
    ("scan", ("unspun.scan",)),
    ("eval", ("unspun.eval",)),
    ("report", ("unspun.report",)),
    ("serve", ("unspun.serve",)),
    ("cli", ("unspun.cli",)),
    ("package", ("unspun",)),
]
# Modules that run a later stage on purpose, and why.
ENTRY_POINTS = {
    "unspun.scan.submit": "a spark-submit script: it runs the CLI as a file",
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "unspun").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The unspun modules ``name`` imports: ``from X import a`` names X.a when that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def _stage(module: str) -> int:
    best, rank = -1, None
    for k, (_, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), k
    if rank is None:
        raise AssertionError(f"{module} belongs to no stage: add it to STAGES and docs/architecture.md")
    return rank


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_every_module_has_a_stage(graph):
    for module in graph:
        _stage(module)


def test_no_module_imports_a_later_stage(graph):
    wrong = []
    for module, deps in graph.items():
        if module in ENTRY_POINTS:
            continue
        for dep in deps:
            if _stage(dep) > _stage(module):
                wrong.append(f"{module} ({STAGES[_stage(module)][0]}) imports {dep} ({STAGES[_stage(dep)][0]})")
    assert not wrong, "\n".join(sorted(wrong))


def test_import_graph_has_no_cycle(graph):
    # Depth-first search with colours: meeting a grey module again closes a cycle.
    colour: dict[str, int] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        colour[module] = 1
        for dep in sorted(graph[module]):
            if colour.get(dep) == 1:
                cycles.append(" -> ".join(trail[trail.index(dep):] + [module, dep]) if dep in trail else f"{module} -> {dep}")
            elif dep not in colour:
                visit(dep, trail + [module])
        colour[module] = 2

    for module in sorted(graph):
        if module not in colour:
            visit(module, [])
    assert not cycles, "\n".join(cycles)


def test_the_checks_can_fail():
    """The graph reader sees a later-stage import and a cycle when there is one."""
    graph = {"unspun.read.text": {"unspun.pipeline"}, "unspun.pipeline": {"unspun.read.text"}}
    assert _stage("unspun.pipeline") > _stage("unspun.read.text")
    with pytest.raises(AssertionError):
        test_import_graph_has_no_cycle(graph)
    with pytest.raises(AssertionError):
        test_no_module_imports_a_later_stage(graph)
