"""The shape of the code, checked over its import graph so that it cannot drift back (issue 14, DESIGN.md):
layers with arrows only downward, no circles between apps or files, nothing but the URL configuration
importing web/, no hand-written SQL outside backup and restore, no custom database backend, no module over
600 lines. Reads the source only: no Django, no database."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from tests.import_graph import (
    PACKAGE,
    ROOT,
    Arrow,
    graph_of,
    imported_top_levels,
    is_migration,
    package_arrows,
    read_package,
    strongly_connected,
)

# Bottom to top. A module may have arrows only to its own layer or those below. Apps not created yet
# (core, pages) take their place as soon as they exist.
LAYERS: list[tuple[str, frozenset[str]]] = [
    ("domain", frozenset({"domain"})),
    ("core", frozenset({"core"})),
    ("people", frozenset({"people"})),
    ("plans", frozenset({"plans"})),
    ("pages", frozenset({"pages"})),
    ("middle (reports, interchange, notify)", frozenset({"reports", "interchange", "notify"})),
    ("top (web, api, ops, commands, urls, settings)",
     frozenset({"web", "api", "ops", "cli", "urls", "settings", "wsgi", "pytest_env"})),
]
TOP = len(LAYERS) - 1
MAX_LINES = 600


def is_command(name: str) -> bool:
    return ".management.commands." in name


def layer_of(name: str) -> int | None:
    """The layer a module sits in: its app's, except management commands, which are on top with the views."""
    if is_command(name):
        return TOP
    app = name.split(".")[1] if name.count(".") else None
    for rank, (_, apps) in enumerate(LAYERS):
        if app in apps:
            return rank
    return None


def unit_of(name: str) -> str:
    """What the app-level graph compares: the app, or for a management command the command itself (it sits
    on top of every app, its own included)."""
    return name if is_command(name) else ".".join(name.split(".")[:2])


def unplaced(names) -> list[str]:
    return sorted(name for name in names if name != PACKAGE and not is_migration(name) and layer_of(name) is None)


def upward_arrows(arrows) -> list[str]:
    return sorted(f"{arrow}: {LAYERS[layer_of(arrow.source)][0]} -> {LAYERS[layer_of(arrow.target)][0]}"
                  for arrow in arrows
                  if None not in (layer_of(arrow.source), layer_of(arrow.target))
                  and layer_of(arrow.target) > layer_of(arrow.source))


def sibling_cycles(arrows, rank: int) -> list[list[str]]:
    """Circles between the apps of one layer (the middle row may use each other, but not both ways)."""
    return strongly_connected(graph_of(
        (arrow for arrow in arrows if layer_of(arrow.source) == layer_of(arrow.target) == rank
         and not is_command(arrow.source)),
        unit=unit_of))


def app_cycles(arrows) -> list[list[str]]:
    return strongly_connected(graph_of(arrows, unit=unit_of))


def file_cycles(arrows) -> list[list[str]]:
    """Circles of import statements between files (a dotted path in a string is looked up when used)."""
    return strongly_connected(graph_of(arrow for arrow in arrows if not arrow.by_name))


def web_importers(arrows) -> list[str]:
    """Arrows into web/ from anywhere but web itself and the URL configuration."""
    return sorted(str(arrow) for arrow in arrows
                  if (arrow.target == f"{PACKAGE}.web" or arrow.target.startswith(f"{PACKAGE}.web."))
                  and not (arrow.source == f"{PACKAGE}.web" or arrow.source.startswith(f"{PACKAGE}.web."))
                  and arrow.source != f"{PACKAGE}.urls")


def impure_domain_imports(modules) -> list[str]:
    """Imports in domain/ (and the bare package) of anything but the standard library and domain itself."""
    found = []
    for module in modules.values():
        if not (module.name == PACKAGE or module.name.startswith(f"{PACKAGE}.domain")):
            continue
        for top, line in imported_top_levels(module):
            if top not in sys.stdlib_module_names and top != PACKAGE:
                found.append(f"{module.where}:{line} imports {top}")
    found += [f"{arrow}" for arrow in package_arrows(modules)
              if (arrow.source == PACKAGE or arrow.source.startswith(f"{PACKAGE}.domain"))
              and not arrow.target.startswith(f"{PACKAGE}.domain")]
    return sorted(found)


# Hand-written SQL: a database cursor, a raw query, or a string that reads as SQL (upper-case keyword first).
_SQL = re.compile(r"\s*(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|WITH|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|"
                  r"CREATE|DROP|ALTER|DEALLOCATE|VACUUM)\b")


def _leading_text(node: ast.AST) -> str | None:
    """The text a string expression starts with: a literal, an f-string, or a concatenation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _leading_text(node.values[0])
    if isinstance(node, ast.BinOp):
        return _leading_text(node.left)
    return None


def _reads_as_sql(node: ast.AST) -> bool:
    text = _leading_text(node)
    return text is not None and _SQL.match(text) is not None


def _sql_in(node: ast.AST) -> str | None:
    """What in this node is hand-written SQL, if anything."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method = node.func.attr
        if method in ("raw", "extra"):
            return f".{method}("
        if method == "cursor":
            return "a database cursor"
        if method in ("execute", "executemany", "executescript") and node.args and _reads_as_sql(node.args[0]):
            return f".{method}() with SQL"
    elif isinstance(node, ast.Attribute) and node.attr == "cursor" and (
            # connection.cursor or connections[alias].cursor, called here or handed on
            isinstance(node.value, ast.Subscript) or getattr(node.value, "id", None) in ("connection", "connections")):
        return "connection.cursor"
    if isinstance(node, ast.Name) and node.id == "RawSQL" or isinstance(node, ast.Attribute) and node.attr == "RawSQL":
        return "RawSQL"
    if isinstance(node, ast.Constant | ast.JoinedStr) and _reads_as_sql(node):
        return "an SQL string"
    return None


def _connection_options(tree: ast.AST) -> set[int]:
    """Strings given as a database's "init_command" (a Django option, e.g. SQLite's journal mode): allowed."""
    return {id(value) for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and key.value == "init_command"}


def hand_written_sql(module) -> list[str]:
    """One line per place: where, and what makes it hand-written SQL."""
    allowed = _connection_options(module.tree)
    found: dict[int, set[str]] = {}
    for node in ast.walk(module.tree):
        if id(node) not in allowed and (what := _sql_in(node)):
            found.setdefault(node.lineno, set()).add(what)
    return [f"{module.where}:{line} {', '.join(sorted(found[line]))}" for line in sorted(found)]


def may_write_sql(name: str) -> bool:
    """Backup and restore copy the database as it is, below the ORM."""
    return "backup" in name or "restore" in name or is_migration(name)


_DJANGO_ENGINES = {f"django.db.backends.{name}" for name in ("sqlite3", "postgresql", "mysql", "oracle")}


def database_engines(settings_tree: ast.Module) -> list[tuple[int, str | None]]:
    """(line, value) of every ENGINE the settings set, as a dict key, by item assignment or as the `engine=` of
    dj_database_url.parse; None when the value is not written as a string."""
    found = []
    for node in ast.walk(settings_tree):
        if isinstance(node, ast.Call):
            found += [(keyword.value.lineno, getattr(keyword.value, "value", None)) for keyword in node.keywords
                      if keyword.arg == "engine"]
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "ENGINE":
                    found.append((value.lineno, value.value if isinstance(value, ast.Constant) else None))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and \
                        target.slice.value == "ENGINE":
                    value = node.value
                    found.append((node.lineno, value.value if isinstance(value, ast.Constant) else None))
    return found


def database_wrappers(module) -> list[str]:
    """Classes that make a database backend of our own."""
    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base) for base in node.bases]
            if node.name == "DatabaseWrapper" or any("DatabaseWrapper" in base for base in bases):
                found.append(f"{module.where}:{node.lineno} class {node.name}({', '.join(bases)})")
    return found


def long_modules(folders) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts or ".venv" in path.parts:
                continue
            count = len(path.read_text(encoding="utf-8").splitlines())
            if count > MAX_LINES:
                found.append(f"{path.relative_to(ROOT).as_posix()}: {count} lines")
    return found


@pytest.fixture(scope="module")
def modules():
    return read_package()


@pytest.fixture(scope="module")
def arrows(modules):
    return package_arrows(modules)


def _listed(offenders) -> str:
    return "\n  " + "\n  ".join(str(offender) for offender in offenders)


def test_every_module_has_a_layer(modules):
    missing = unplaced(modules)
    assert not missing, f"Modules in no layer (add their app to LAYERS in {Path(__file__).name}):{_listed(missing)}"


def test_arrows_point_only_downward(arrows):
    upward = upward_arrows(arrows)
    order = " < ".join(name for name, _ in LAYERS)
    assert not upward, f"Arrows pointing up the layers ({order}):{_listed(upward)}"


def test_the_middle_row_does_not_go_round_in_a_circle(arrows):
    middle = next(rank for rank, (_, apps) in enumerate(LAYERS) if "reports" in apps)
    circles = sibling_cycles(arrows, middle)
    assert not circles, f"reports, interchange and notify use each other in a circle:{_listed(circles)}"


def test_no_circle_between_apps(arrows):
    circles = app_cycles(arrows)
    assert not circles, f"Apps that depend on each other in a circle:{_listed(circles)}"


def test_no_circle_between_files(arrows):
    circles = file_cycles(arrows)
    assert not circles, f"Modules that import each other in a circle:{_listed(circles)}"


def test_domain_is_pure_python(modules):
    impure = impure_domain_imports(modules)
    assert not impure, f"domain/ imports only the standard library and itself (no Django):{_listed(impure)}"


def test_nothing_but_the_url_configuration_imports_web(arrows):
    importers = web_importers(arrows)
    assert not importers, f"Only actiontrack.urls may import web/ (shared page helpers live lower):{_listed(importers)}"


def test_no_hand_written_sql_outside_backup_and_restore(modules):
    found = [line for module in modules.values() if not may_write_sql(module.name)
             for line in hand_written_sql(module)]
    assert not found, f"Hand-written SQL (use the ORM; only backup and restore go below it):{_listed(found)}"


def test_the_database_engine_is_djangos_own(modules):
    settings = modules[f"{PACKAGE}.settings"]
    engines = database_engines(settings.tree)
    assert engines, "settings.py sets no DATABASES ENGINE I can see"
    foreign = [f"{settings.where}:{line} ENGINE = {value!r}" for line, value in engines if value not in _DJANGO_ENGINES]
    wrappers = [line for module in modules.values() for line in database_wrappers(module)]
    assert not foreign + wrappers, f"A database backend of our own (use Django's):{_listed(foreign + wrappers)}"


def test_no_module_over_600_lines():
    long = long_modules([ROOT / PACKAGE, ROOT / "tests", ROOT / "bench"])
    assert not long, f"Modules over {MAX_LINES} lines (split them by what they do):{_listed(long)}"


# The checker itself, on a small graph made up here: it must find what it is there to find.

def _arrow(source: str, target: str, *, by_name: bool = False) -> Arrow:
    return Arrow(f"{PACKAGE}.{source}", f"{PACKAGE}.{target}", 1, by_name)


def test_the_checker_finds_an_upward_arrow():
    arrows = [_arrow("plans.models", "domain.rag"), _arrow("people.services", "plans.models"),
              _arrow("core.journal", "web.views"), _arrow("web.views", "plans.models"),
              _arrow("plans.management.commands.demo", "reports.services")]
    assert upward_arrows(arrows) == [
        f"{PACKAGE}.core.journal imports {PACKAGE}.web.views (line 1): core -> {LAYERS[TOP][0]}",
        f"{PACKAGE}.people.services imports {PACKAGE}.plans.models (line 1): people -> plans",
    ]


def test_the_checker_finds_a_circle_of_files_and_of_apps():
    arrows = [_arrow("plans.services", "plans.journal"), _arrow("plans.journal", "plans.models"),
              _arrow("plans.models", "plans.services"), _arrow("domain.rag", "domain.ukdates"),
              _arrow("reports.data", "notify.digest"), _arrow("notify.send", "reports.prose")]
    assert file_cycles(arrows) == [[f"{PACKAGE}.plans.{name}" for name in ("journal", "models", "services")]]
    assert app_cycles(arrows) == [[f"{PACKAGE}.notify", f"{PACKAGE}.reports"]]
    assert sibling_cycles(arrows, layer_of(f"{PACKAGE}.reports.data")) == [[f"{PACKAGE}.notify", f"{PACKAGE}.reports"]]


def test_a_name_in_a_string_is_an_arrow_for_layers_but_not_an_import_circle():
    arrows = [_arrow("reports.renderers", "reports.renderers.render_pdf", by_name=True),
              _arrow("reports.renderers.render_pdf", "reports.renderers"),
              _arrow("urls", "web.owner_urls", by_name=True), _arrow("reports.views", "web.views")]
    assert file_cycles(arrows) == []
    assert web_importers(arrows) == [f"{PACKAGE}.reports.views imports {PACKAGE}.web.views (line 1)"]


def test_the_checker_reads_imports_inside_functions_relative_ones_and_names(tmp_path):
    from tests.import_graph import read_package as read

    app = tmp_path / PACKAGE / "plans"
    app.mkdir(parents=True)
    (tmp_path / PACKAGE / "__init__.py").write_text("")
    (tmp_path / PACKAGE / "web.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text("from . import services\n")
    (app / "services.py").write_text("def later():\n    from actiontrack import web\n\n"
                                     "LOADER = 'actiontrack.plans.models'\nLOG = 'actiontrack.job'\n")
    arrows = package_arrows(read(tmp_path))
    assert sorted(map(str, arrows)) == [
        f"{PACKAGE}.plans.models imports {PACKAGE}.plans.services (line 1)",
        f"{PACKAGE}.plans.services imports {PACKAGE}.web (line 2)",
        f"{PACKAGE}.plans.services names {PACKAGE}.plans.models (line 4)",
    ]


def test_the_checker_finds_sql_and_a_backend_of_our_own():
    from tests.import_graph import Module

    source = ('from django.db import connection\n'
              'def look(pk):\n'
              '    with connection.cursor() as cursor:\n'
              '        cursor.execute(f"SELECT id FROM plans_plan WHERE id = {pk}")\n'
              '    return Plan.objects.raw("select 1")\n'
              'class DatabaseWrapper(base.DatabaseWrapper):\n'
              '    pass\n'
              'LABEL = "SELECT a plan"  # prose that starts like SQL is still flagged: reword it\n')
    module = Module(f"{PACKAGE}.plans.look", ROOT / PACKAGE / "plans" / "look.py", ast.parse(source))
    found = hand_written_sql(module)
    assert [line.split(" ", 1)[1] for line in found] == [
        "a database cursor, connection.cursor", ".execute() with SQL, an SQL string", ".raw(", "an SQL string"]
    assert database_wrappers(module) == [f"{PACKAGE}/plans/look.py:6 class DatabaseWrapper(base.DatabaseWrapper)"]
    assert database_engines(ast.parse('DATABASES = {"default": {"ENGINE": "actiontrack.ops.postgresql"}}')) == [
        (1, "actiontrack.ops.postgresql")]
    assert database_engines(ast.parse('DATABASES = {"default": parse(url, engine="our.backend")}')) == [
        (1, "our.backend")]


def test_the_checker_finds_django_in_domain_and_a_module_in_no_layer(tmp_path):
    from tests.import_graph import read_package as read

    domain = tmp_path / PACKAGE / "domain"
    domain.mkdir(parents=True)
    for path in (tmp_path / PACKAGE / "__init__.py", domain / "__init__.py", tmp_path / PACKAGE / "plans.py"):
        path.write_text("")
    (domain / "rag.py").write_text("import re\nfrom django.db import models\nfrom actiontrack import plans\n")
    (tmp_path / PACKAGE / "helpers").mkdir()
    (tmp_path / PACKAGE / "helpers" / "__init__.py").write_text("")
    modules = read(tmp_path)
    assert impure_domain_imports(modules) == [
        f"{PACKAGE}.domain.rag imports {PACKAGE}.plans (line 3)", f"{PACKAGE}/domain/rag.py:2 imports django"]
    assert unplaced(modules) == [f"{PACKAGE}.helpers"]
