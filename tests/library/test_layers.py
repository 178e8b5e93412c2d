"""The layers of the code, held to their rule: a wing imports only wings
below it, nothing imports in a circle, and no import hides inside a function
to dodge one. `graph` is a library: it never imports the web server."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own wing and the wings before it;
# graph's base modules (settings, errors, resources, iris) are below all.
GRAPH_WINGS = ["graph.rdf", "graph.sparql", "graph.store", "graph.ingest", "graph.views",
               "graph.analysis", "graph.cli"]
SERVER_WINGS = ["server.support", "server.protocol", "server.pages"]
WEB_PACKAGES = ("flask", "werkzeug", "jinja2", "server")


def modules() -> dict[str, Path]:
    found = {}
    for package in ("graph", "server"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "_bundled" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(module: str, path: Path) -> list[tuple[str, bool]]:
    """(imported module, at the top of the file) for every import in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.append((base, id(node) in top))
            # `from graph.views import network` imports a module too.
            found += [(f"{base}.{alias.name}", id(node) in top) for alias in node.names]
    return found


def project_edges() -> list[tuple[str, str, bool]]:
    known = modules()
    edges = []
    for module, path in known.items():
        for target, at_top in imports(module, path):
            if target in known and target != module:
                edges.append((module, target, at_top))
    return edges


def rank(module: str) -> tuple[str, int]:
    for wings in (GRAPH_WINGS, SERVER_WINGS):
        for i, wing in enumerate(wings):
            if module == wing or module.startswith(wing + "."):
                return wing.split(".")[0], i + 1
    package = module.split(".")[0]
    # graph's base modules sit below every wing; server's top (the app
    # factory, cli, wsgi) above every wing.
    return package, 0 if package == "graph" else len(SERVER_WINGS) + 1


def test_no_import_circle():
    graph = nx.DiGraph((a, b) for a, b, _ in project_edges())
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert circles == []


def test_a_wing_imports_only_wings_below_it():
    upward = []
    for source, target, _ in project_edges():
        (source_package, source_rank), (target_package, target_rank) = rank(source), rank(target)
        if source_package == target_package and target_rank > source_rank:
            upward.append(f"{source} -> {target}")
    assert upward == []


def test_no_project_import_hides_inside_a_function():
    hidden = [f"{source} -> {target}" for source, target, at_top in project_edges() if not at_top]
    assert hidden == []


def test_the_library_never_imports_the_web_server():
    web = []
    for module, path in modules().items():
        if module.split(".")[0] != "graph":
            continue
        for target, _ in imports(module, path):
            if target.split(".")[0] in WEB_PACKAGES:
                web.append(f"{module} -> {target}")
    assert web == []


def test_every_module_belongs_to_a_wing_or_the_base():
    base = {"graph", "graph.settings", "graph.errors", "graph.resources", "graph.iris",
            "server", "server.cli", "server.wsgi"}
    homeless = [m for m in modules()
                if m not in base and not any(m == w or m.startswith(w + ".")
                                             for w in GRAPH_WINGS + SERVER_WINGS)]
    assert homeless == []


def source(module_path: Path) -> str:
    return module_path.read_text(encoding="utf-8")


# An f-string that puts a path of the IRI scheme after a placeholder (the
# base IRI): `f"{base}municipality/{code}/..."`.
HAND_MADE_IRI = re.compile(r"\}(municipality|partnership|region|org|graph|country|source|import|"
                           r"agent|decision|merge)/")


def test_instance_iris_are_minted_in_one_module():
    by_hand = [f"{module}: {line.strip()}" for module, path in modules().items()
               if module != "graph.iris"
               for line in source(path).splitlines() if HAND_MADE_IRI.search(line)]
    assert by_hand == []


def test_one_module_builds_vis_network_data_and_one_maps_errors_to_statuses():
    builders = [m for m, path in modules().items() if "from pyvis.network import" in source(path)]
    assert builders == ["graph.views.vis"]
    tables = [m for m, path in modules().items()
              if re.search(r"\(\s*(ParseError|QueryTimeout|Forbidden)\s*,\s*\d{3}\s*\)", source(path))]
    assert tables == ["server.support.errors"]
