"""The house: each stage's frame as declared, the domain's words in one place, the environment
read in one place, and what the README says agreeing with the vocabulary."""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

import pytest

from conftest import REPO, SHIPPED_INPUTS, write_region
from pipeline.build import load
from pipeline.matrix.merge import merge
from pipeline.settings import Settings
from pipeline.versions.changes import diff
from pipeline.words import frames as F
from pipeline.words import vocab

SOURCES = sorted((REPO / "pipeline").rglob("*.py"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_stage_hands_on_the_frame_it_declares(inputs):
    loaded = load(Settings(inputs=SHIPPED_INPUTS))
    F.READ_CATALOGUE.check(loaded.catalogue)
    F.READ_PROPOSALS.check(loaded.proposals)
    regions = loaded.inputs.submitter_codes
    matrix, long = merge(loaded.catalogue, loaded.proposals, regions)
    F.matrix_frame(regions).check(matrix)
    F.LONG.check(long)
    changes = diff(long.iloc[5:], long.iloc[:-5], "v1", list(matrix[F.KEY]))
    F.CHANGES.check(changes.rows)
    F.CHANGED_RESOLUTIONS.check(changes.resolutions)
    assert len(changes.rows) == 10  # five removed, five added: the check saw real rows

    write_region(inputs, "APT", [])  # an empty frame is as declared too
    F.READ_PROPOSALS.check(load(Settings(inputs=inputs)).proposals)


def test_a_frame_that_differs_from_its_declaration_is_named():
    import pandas as pd

    with pytest.raises(
        AssertionError, match=r"long table: missing \['Public'\], not declared \['public'\]"
    ):
        F.LONG.check(pd.DataFrame(columns=[*F.LONG.columns[:-1], "public"]))


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, with their line, joined where adjacent."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    # Python 3.12 splits f-strings into parts; the text of one is FSTRING_MIDDLE.
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    return [(t.start[0], t.string) for t in tokens if t.type in kinds]


@pytest.mark.parametrize(
    ("words", "name"),
    [
        (vocab.ACTION_CODES, "actions"),
        (vocab.CONCERN_CODES, "concerns"),
        (vocab.PRIORITY_CODES, "priorities"),
        (vocab.OUTCOME_CODES, "outcomes"),
        (vocab.ASSESSMENT_CODES, "assessments"),
        (vocab.RESULT_CODES, "results"),
    ],
)
def test_no_word_list_of_the_domain_outside_the_vocabulary(words, name):
    """Two or more of a set's words on one line of literals is a retyped list."""
    offenders = []
    for path in SOURCES:
        if path.name == "vocab.py":
            continue
        by_line: dict[int, str] = {}
        for line, text in _literals(path):
            by_line[line] = by_line.get(line, "") + text
        for line, text in by_line.items():
            named = {w for w in words if re.search(rf"\b{re.escape(w)}\b", text)}
            if len(named) >= 2:
                offenders.append(f"{path.name}:{line}: {sorted(named)}")
    assert offenders == [], f"{name} listed outside vocab.py"


def test_the_rules_take_their_value_sets_as_parameters():
    for path in (REPO / "expectations").glob("*.json"):
        for rule in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            value_set = rule["kwargs"].get("value_set")
            if value_set is not None:
                assert set(value_set) == {"$PARAMETER"}, (path.name, rule["meta"]["code"])
            for word in [*vocab.ACTION_CODES, *vocab.CONCERN_CODES]:
                assert word not in json.dumps(rule["kwargs"]), (path.name, word)


def test_excels_cell_limit_and_the_author_are_defined_once():
    """The longest text a cell holds is words/excel.py's, the suites' a parameter given it; the
    workbooks' author is words/stamps.py's."""
    limit = re.compile(r"32[_,]?767")
    typed = [
        f"{path.relative_to(REPO).as_posix()}:{number}"
        for path in [*SOURCES, *(REPO / "expectations").glob("*.json")]
        if path != REPO / "pipeline" / "words" / "excel.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if limit.search(line)
    ]
    assert typed == []
    authors = [
        path.relative_to(REPO).as_posix()
        for path in SOURCES
        if re.search(r"^AUTHOR\s*=", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert authors == ["pipeline/words/stamps.py"]


def test_the_environment_is_read_in_the_settings_only():
    readers = [
        f"{path.relative_to(REPO / 'pipeline').as_posix()}:{line.strip()}"
        for path in SOURCES
        for line in path.read_text(encoding="utf-8").splitlines()
        if "os.environ" in line or "getenv" in line
    ]
    # The one other line sets Great Expectations' own switch before it is imported.
    library = 'checking/validate.py:os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")'
    assert library in readers
    others = [r for r in readers if r != library]
    assert others and all(r.startswith("settings.py:") for r in others), others


def test_the_readme_names_the_vocabularys_words():
    actions = re.search(r"\*\*Action\*\*: (.+?)\n- ", README, re.S)[1]
    assert re.findall(r"`([A-Z]{3})`", actions) == list(vocab.ACTION_CODES)
    concerns = re.search(r"\*\*Concern\*\*, for the open Internet: (.+?)\.", README)[1]
    assert re.findall(r"`(\w+)`", concerns) == [c.code for c in vocab.Concern.highest_first()]
    priorities = re.search(r"`Priority` is ([\w, ]+ or \w+)", README)[1]
    assert re.split(r", | or ", priorities) == list(vocab.PRIORITY_CODES)
    assert vocab.colours_in_short() in README
    for concern in vocab.Concern:
        assert concern.words in README, concern
    outcomes = re.search(r"\*\*Outcome\*\*: (.+?)\n- ", README, re.S)[1]
    assert re.findall(r"`([A-Z ]+)`", outcomes) == list(vocab.OUTCOME_CODES)
    assessments = re.search(r"\*\*Assessment\*\*, for the open Internet: (.+?)\n  ", README)[1]
    assert re.findall(r"`([\w /]+)`", assessments) == list(vocab.ASSESSMENT_CODES)
    results = re.search(r"\*\*Result\*\* \(optional, after the assembly\): (.+?) or (.+?);",
                        README, re.S)  # fmt: skip
    assert re.findall(r"`([\w ]+)`", results[0].replace("\n  ", " ")) == list(vocab.RESULT_CODES)


def test_the_settings_read_their_switches_from_the_environment_given():
    settings = Settings.from_environment(
        {"SOURCE_DATE_EPOCH": "1727740800", "PIPELINE_PARALLEL": "0", "CI": "1"},
        inputs=Path("elsewhere"),
    )
    assert (settings.parallel, settings.progress, settings.fixed_moment) == (False, False, True)
    assert settings.moment.isoformat() == "2024-10-01T00:00:00+00:00"
    assert settings.marked == Path("outputs") / "validation"
    assert settings.matrix_file("M.xlsx") == Path("outputs") / "M.xlsx"
    assert settings.now() is settings  # a fixed moment stays fixed for every build
    moving = Settings.from_environment({})
    assert moving.now().moment >= moving.moment and not moving.fixed_moment
