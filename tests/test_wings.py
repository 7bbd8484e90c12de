"""The house in wings, read from the code's own imports (with ast, nothing imported): every
module sits in a wing or on top, no import runs back up a floor or across to a wing on the same
floor, there is no cycle, and no edition imports another."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIPELINE = REPO / "pipeline"

#: The wings, lowest floor first. A module imports only from its own wing or from a lower
#: floor; wings on the same floor never import each other.
FLOORS = [
    {"words"},  # the domain's words and the shapes of its data
    {"system"},  # atomic files, the machine's faults, stage lines
    {"reading"},  # which file is which, matrix.toml, the workbooks
    {"checking", "versions"},  # the rules and marked copies; releases and what changed
    {"matrix"},  # merging, the outcomes as shown, the one view
    {"workbook", "editions"},  # the xlsx editions; the web page and the PDF
    {"templates"},  # input workbooks with dropdowns
]
#: On top: the commands and what orchestrates them. They may import any wing.
TOP = {
    "__init__", "__main__", "cli", "build", "publish", "watch", "settings", "conference",
    "clean", "environment",
}  # fmt: skip
FLOOR = {wing: number for number, wings in enumerate(FLOORS) for wing in wings}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PIPELINE).with_suffix("").parts)


MODULES = {module_name(p): p for p in PIPELINE.rglob("*.py")}


def imports(name: str) -> set[str]:
    """The pipeline modules `name` imports, anywhere in it (function-level imports too), as
    dotted names under pipeline (``words.vocab``)."""
    path = MODULES[name]
    package = name.split(".")[:-1]  # the package a module's relative imports start from
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = (node.module or "").split(".") if node.module else []
        if node.level:
            stem = package[: len(package) - (node.level - 1)] + module
        elif module[:1] == ["pipeline"]:
            stem = module[1:]
        else:
            continue
        for alias in node.names:  # `from . import x` names a module; `from .x import y` not
            candidate = ".".join([*stem, alias.name])
            found.add(candidate if candidate in MODULES else ".".join(stem))
    return {m for m in found if m in MODULES}


def wing(name: str) -> str | None:
    parts = name.split(".")
    return parts[0] if len(parts) > 1 else None


def test_every_module_is_in_a_wing_or_on_top():
    placed = {name: wing(name) for name in MODULES if wing(name) is not None or name in TOP}
    assert set(placed) == set(MODULES), set(MODULES) - set(placed)
    assert {wing(n) for n in MODULES if wing(n)} == set(FLOOR)  # every wing is on a floor
    assert len(MODULES) > 40  # the walk found the package


def test_no_import_runs_back_up_or_across_a_floor():
    wrong = []
    for name in MODULES:
        here = wing(name)
        for target in imports(name):
            there = wing(target)
            if there is None and target != "__init__":  # a module on top
                if here is not None:
                    wrong.append(f"{name} imports {target}, on top")
            elif here is not None and there != here and FLOOR[there] >= FLOOR[here]:
                wrong.append(f"{name} ({here}, floor {FLOOR[here]}) imports {target} ({there})")
    assert wrong == []


def test_there_is_no_import_cycle():
    graph = {name: imports(name) - {name} for name in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def visit(name, path):
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_walk_sees_relative_absolute_and_late_imports():
    # The checks above are only as good as the import reader: it must see each form.
    assert "words.vocab" in imports("workbook.styles")  # from ..words.vocab import ...
    assert "matrix.view" in imports("editions.web")
    assert "checking.marked_copies" in imports("build")  # from .checking import marked_copies
    assert "workbook.render" in imports("publish")


def test_no_edition_imports_another_and_each_lays_out_the_view():
    editions = {"workbook": "workbook.render", "web": "editions.web", "pdf": "editions.report"}
    modules = {
        "workbook": {n for n in MODULES if wing(n) == "workbook"},
        "web": {"editions.web"},
        "pdf": {"editions.report"},
    }
    for edition, own in modules.items():
        others = set().union(*(m for e, m in modules.items() if e != edition))
        for name in own:
            assert not imports(name) & others, (name, imports(name) & others)
    for edition, module in editions.items():
        assert "matrix.view" in imports(module), edition
    # What the two HTML editions write alike is theirs to share, and knows neither of them.
    assert "editions.html" in imports("editions.web") & imports("editions.report")
    assert not imports("editions.html") & set().union(*modules.values())
    view = {n for n in MODULES if wing(n) == "matrix"}
    for name in view:  # the view knows no edition
        assert not {wing(t) for t in imports(name)} & {"workbook", "editions"}, name


def test_the_wheel_ships_every_wing_and_its_templates():
    # The package list in pyproject.toml is written out (the rules are mapped in from
    # expectations/), so a wing left off it would install without its modules.
    import tomllib

    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    wings = {f"pipeline.{p.parent.name}" for p in PIPELINE.glob("*/__init__.py")}
    assert wings == {f"pipeline.{w}" for w in FLOOR}
    assert set(setuptools["packages"]) == {"pipeline", "pipeline.expectations", *wings}
    shipped = setuptools["package-data"]["pipeline.editions"]
    for template in (PIPELINE / "editions" / "jinja").iterdir():
        assert any(template.match(f"*/{pattern}") for pattern in shipped), template.name
