"""The problem codes: one list (problems.Code), and no code typed anywhere else."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from pipeline.checking import validate
from pipeline.words.problems import Code, Problem

REPO = Path(__file__).resolve().parents[1]
PIPELINE = REPO / "pipeline"
HOME = PIPELINE / "words" / "problems.py"
SOURCES = sorted(PIPELINE.rglob("*.py"))
SUITES = sorted((REPO / "expectations").glob("*.json"))
VALUES = {code.value for code in Code}


def _suite_codes() -> dict[str, set[str]]:
    """Suite file -> every code it names, as a rule's own and as one it comes after."""
    found = {}
    for path in SUITES:
        rules = json.loads(path.read_text(encoding="utf-8"))["expectations"]
        found[path.name] = {r["meta"]["code"] for r in rules} | {
            c for r in rules for c in r["meta"].get("after", ())
        }
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _typed_codes(path: Path, root: Path = REPO) -> list[str]:
    """Each string in the code of `path` (not a docstring) that is a problem code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    return [
        f"{path.relative_to(root).as_posix()}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in VALUES
        and id(node) not in docstrings
    ]


def test_every_code_in_the_suites_is_a_code_member():
    found = _suite_codes()
    assert set(found) == {"catalogue.json", "outcomes.json", "proposals.json"}
    unknown = {name: sorted(codes - VALUES) for name, codes in found.items() if codes - VALUES}
    assert unknown == {}


def test_every_code_is_used_in_the_pipeline_or_the_suites():
    used = set().union(*_suite_codes().values())
    names = {
        node.attr
        for path in SOURCES
        if path != HOME
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Code"
    }
    assert names <= set(Code.__members__), sorted(names - set(Code.__members__))
    used |= {Code[name].value for name in names}
    assert sorted(VALUES - used) == []


def test_no_code_is_typed_outside_problems_py():
    typed = [hit for path in SOURCES if path != HOME for hit in _typed_codes(path)]
    assert typed == []


def test_the_check_finds_a_typed_code(tmp_path):
    # What the walk above would say of a module that typed one, so that it is known to look.
    module = tmp_path / "pipeline" / "typed.py"
    module.parent.mkdir()
    module.write_text(
        '"""too-long is named in this docstring, which is prose."""\n'
        "def f(p):\n"
        '    """unreadable, said in a docstring."""\n'
        '    return p.code == "too-long" or p.code in {"unreadable"}\n',
        encoding="utf-8",
    )
    assert sorted(_typed_codes(module, tmp_path)) == [
        "pipeline/typed.py:4: 'too-long'",
        "pipeline/typed.py:4: 'unreadable'",
    ]


def test_a_problem_with_a_typed_code_is_refused():
    with pytest.raises(TypeError, match="'too-long'"):
        Problem("regions/APT.xlsx", "Summary is too long", "too-long")
    with pytest.raises(TypeError):
        Problem(file="matrix.toml", message="m", code=None)
    made = Problem("regions/APT.xlsx", "Summary is too long", Code.TOO_LONG)
    assert made.code is Code.TOO_LONG and made.code == "too-long"


def test_a_code_is_its_kebab_text_with_a_title_and_an_explanation():
    assert len(Code) == len(VALUES) > 80
    assert Code("region-file-missing") is Code.REGION_FILE_MISSING
    assert str(Code.TOO_BIG) == "too-big" and f"{Code.TOO_BIG}" == "too-big"
    for code in Code:
        assert code.value == code.name.lower().replace("_", "-"), code
        assert code.short.strip() and code.short[0].isupper() and not code.short.endswith("."), code
        assert code.explanation.strip() and code.explanation.endswith("."), code
        assert "  " not in code.explanation and len(code.explanation) < 200, code
    shorts = [c.short for c in Code]
    twins = sorted({s for s in shorts if shorts.count(s) > 1})
    # The same clash, said of the workbooks' names and of matrix.toml's lists.
    assert twins == ["Region and member state share a code"]


def test_an_unknown_code_in_a_suite_stops_as_an_installation_fault(
    inputs, tmp_path, run, monkeypatch
):
    folder = Path(shutil.copytree(REPO / "expectations", tmp_path / "expectations"))
    suite = folder / "proposals.json"
    suite.write_text(
        suite.read_text(encoding="utf-8").replace('"summary-missing"', '"summary-mising"'),
        encoding="utf-8",
    )
    monkeypatch.setattr(validate, "suites_folder", lambda: folder)
    monkeypatch.setenv("PIPELINE_PARALLEL", "0")
    status, out, err = run("validate", "--inputs", inputs)
    assert status == 2
    assert err.splitlines()[0] == (
        "Error: the validation rules proposals.json name the problem code 'summary-mising', "
        "which the pipeline does not know"
    )
    assert "Traceback" not in err + out
    with pytest.raises(validate.InstallationError):
        validate.load_suite("proposals")
    assert validate.load_suite("catalogue")["expectations"][0]["meta"]["code"] is (
        Code.RESOLUTION_MISSING
    )
