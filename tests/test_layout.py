"""The rules of the house, checked by reading every import with `ast` (no code is run).

- `geo/` never imports streamlit or folium;
- `dashboard/` imports from `geo` only the public faces: `geo` itself and its subpackages'
  `__init__` (never a module inside a subpackage, nor `geo.models` directly);
- the lower rooms never import the higher ones;
- there are no import cycles between modules of `geo/`;
- no module of `geo/` or `dashboard/` is much over 300 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GEO = REPO / "geo"
DASHBOARD = REPO / "dashboard"

# Each room with the rank of its layer: a module may import only rooms of a lower or equal rank
# (equal only within its own room).
RANKS = {
    "geo.errors": 0,
    "geo.models": 0,
    "geo.names": 0,
    "geo.gazetteer": 1,
    "geo.parse": 2,
    "geo.store": 2,
    "geo.ingest": 3,
    "geo.evaluate": 3,
    "geo.cli": 4,
    "geo.__main__": 5,
}
LOWER_ROOMS = ("geo.models", "geo.names", "geo.errors", "geo.gazetteer")
HIGHER_ROOMS = ("geo.parse", "geo.store", "geo.ingest", "geo.cli")
MAX_LINES = 320  # "about 300"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports (absolute names), with its line; `from x import y` gives
    x.y too, since y may be a submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, node.lineno))
            found.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names)
    return found


def geo_files() -> list[Path]:
    return sorted(GEO.rglob("*.py"))


def room(name: str) -> str | None:
    for key in sorted(RANKS, key=len, reverse=True):
        if name == key or name.startswith(key + "."):
            return key
    return None


def existing_modules() -> set[str]:
    return {module_name(p) for p in geo_files()}


def resolve_module(name: str, known: set[str]) -> str | None:
    """The geo module an imported name refers to (a name from a module maps to the module)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def test_geo_never_imports_streamlit_or_folium() -> None:
    bad = [
        f"{p.relative_to(REPO)}:{line} imports {name}"
        for p in geo_files()
        for name, line in imports(p)
        if name.split(".")[0] in {"streamlit", "folium", "streamlit_folium", "branca"}
    ]
    assert not bad, bad


def test_dashboard_uses_only_public_faces() -> None:
    packages = {module_name(p.parent) for p in GEO.rglob("__init__.py")}
    bad = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        for name, line in imports(path):
            if not (name == "geo" or name.startswith("geo.")):
                continue
            target = resolve_module(name, existing_modules())
            # `from geo.store import Store` gives geo.store and geo.store.Store: both resolve to
            # the package; `from geo.store.queries import x` resolves to a module.
            if target not in packages:
                bad.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    assert not bad, bad


def test_lower_rooms_never_import_higher_ones() -> None:
    bad = []
    for path in geo_files():
        here = room(module_name(path))
        if here not in LOWER_ROOMS:
            continue
        for name, line in imports(path):
            there = room(name)
            if there in HIGHER_ROOMS or (there and RANKS[there] > RANKS[here]):
                bad.append(f"{path.relative_to(REPO)}:{line} ({here}) imports {name}")
    assert not bad, bad


def test_every_room_imports_only_rooms_below_it() -> None:
    bad = []
    for path in geo_files():
        here = room(module_name(path))
        if here is None or module_name(path) == "geo":
            continue  # geo/__init__ is the public face of everything (lazily)
        for name, line in imports(path):
            there = room(name)
            if there is None or there == here:
                continue
            if RANKS[there] >= RANKS[here]:
                bad.append(f"{path.relative_to(REPO)}:{line} ({here}) imports {name} ({there})")
    assert not bad, bad


def import_graph() -> dict[str, set[str]]:
    known = existing_modules()
    graph: dict[str, set[str]] = {}
    for path in geo_files():
        here = module_name(path)
        edges = graph.setdefault(here, set())
        for name, _ in imports(path):
            target = resolve_module(name, known)
            if target and target != here and target != "geo":
                edges.add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    # A package's __init__ re-exporting its own modules is not a cycle of jobs: leave out the
    # edges from a module to the __init__ of its own package.
    graph = {
        mod: {t for t in targets if not (mod.startswith(t + ".") and t in RANKS)}
        for mod, targets in import_graph().items()
    }
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize(
    "path", [*geo_files(), *sorted(DASHBOARD.rglob("*.py"))], ids=lambda p: str(p.name)
)
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(REPO)} has {lines} lines; split it by job"


def test_every_subpackage_says_what_it_owns() -> None:
    for init in GEO.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init.relative_to(REPO)} needs a docstring"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        names = [
            n
            for n in tree.body
            if isinstance(n, ast.Assign)
            and any(getattr(t, "id", "") == "__all__" for t in n.targets)
        ]
        assert names, f"{init.relative_to(REPO)} must name its public face in __all__"


def test_readme_names_every_room_and_module() -> None:
    """A newcomer finds the right room from the README alone: every subpackage and each of
    its modules appear in the README's table of rooms."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Where things live") :]
    missing = []
    for init in sorted(GEO.glob("*/__init__.py")):
        pkg = init.parent
        row = next((line for line in table.splitlines() if f"`geo/{pkg.name}/`" in line), "")
        if not row:
            missing.append(f"geo/{pkg.name}/")
            continue
        missing += [
            f"geo/{pkg.name}/{m.stem}"
            for m in sorted(pkg.glob("*.py"))
            if m.stem != "__init__" and f"`{m.stem}`" not in row
        ]
    assert not missing, f"README's table of rooms does not mention {missing}"
