"""The store package's imports: one way inside, only lower layers outside (store/__init__.py)."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import eventwire.store as store

STORE = Path(store.__file__).parent
MODULES = sorted(p.stem for p in STORE.glob("*.py"))
# What the store may use from the rest of eventwire: the layers below it.
BELOW = {"errors", "merge", "output", "records"}
# Modules that import no sibling, so that everything else can build on them.
FOUNDATIONS = ("columns", "schema", "txn")


def _imports(module: str) -> tuple[set[str], set[str]]:
    """(siblings, other eventwire modules) that `module` imports anywhere, even lazily."""
    tree = ast.parse((STORE / f"{module}.py").read_text(encoding="utf-8"))
    siblings: set[str] = set()
    outside: set[str] = set()

    def absolute(name: str) -> None:
        parts = name.split(".")
        if parts[:2] == ["eventwire", "store"]:
            siblings.add(parts[2] if len(parts) > 2 else "__init__")
        elif parts[0] == "eventwire" and len(parts) > 1:
            outside.add(parts[1])

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                absolute(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                absolute(node.module or "")
            elif node.level == 1 and node.module:
                siblings.add(node.module.split(".")[0])
            elif node.level == 1:  # from . import x: a submodule, or a name of __init__
                siblings |= {a.name if a.name in MODULES else "__init__" for a in node.names}
            elif node.level == 2 and node.module:
                outside.add(node.module.split(".")[0])
            else:  # from .. import x
                outside |= {a.name for a in node.names}
    siblings.discard(module)
    return siblings, outside


GRAPH = {m: _imports(m)[0] for m in MODULES}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node):], node]
        if node in done:
            return None
        for nxt in sorted(graph.get(node, ())):
            if found := visit(nxt, [*path, node]):
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        if found := visit(start, []):
            return found
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    # the checker itself: it must see a cycle where there is one
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_store_imports_form_no_cycle() -> None:
    assert "schema" in GRAPH and "merged" in GRAPH  # the parse saw the package
    assert _cycle(GRAPH) is None


def test_schema_knows_nothing_of_merging_or_ingest() -> None:
    siblings, outside = _imports("schema")
    assert not siblings & {"merged", "write", "ingest", "alerts", "db"}
    assert "merge" not in outside and "watch" not in outside


def test_foundations_import_no_sibling() -> None:
    for module in FOUNDATIONS:
        assert GRAPH[module] == set(), module


def test_store_imports_only_lower_layers() -> None:
    for module in MODULES:
        _siblings, outside = _imports(module)
        assert outside <= BELOW, (module, outside - BELOW)


def test_no_submodule_hides_a_public_name() -> None:
    # importing a submodule binds it on the package: one named like a public
    # function (say `ingest`) would replace store.ingest with the module
    assert not set(MODULES) & set(store.__all__)
    for name in store.__all__:
        assert not isinstance(getattr(store, name), types.ModuleType), name
