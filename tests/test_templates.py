"""Templates: dropdowns and messages as Excel reads them, and templates the pipeline accepts."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from conftest import CATALOGUE_ROWS, REGION_HEADER, SHIPPED_INPUTS, write_region
from pipeline.words import stamps
from pipeline.words.keys import dropdown_label, parse_key

CONTRACT = [*REGION_HEADER, "Public", "Result", "Co-signers"]  # Resolution, ..., Notes, and on


def make(run, inputs, out, *extra):
    status, stdout, err = run("templates", "--inputs", inputs, "--out", out, *extra)
    assert status == 0, err
    return stdout


def validations(sheet) -> dict[str, object]:
    """Column letter -> its data validation."""
    found = {}
    for dv in sheet.data_validations.dataValidation:
        ref = str(dv.sqref)
        assert ":" in ref and " " not in ref  # one range per validation, never overlapping
        found[ref.split(":")[0].rstrip("0123456789")] = dv
    return found


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_template_for_every_region_and_the_catalogue(inputs, run, tmp_path):
    out = tmp_path / "templates"
    stdout = make(run, inputs, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "APT.xlsx", "CEPT.xlsx", "outcomes.xlsx", "resolutions.xlsx",
    ]  # fmt: skip
    assert stdout.splitlines()[:5] == [
        f"Wrote 4 templates to {out}:",
        "  APT.xlsx: blank",
        "  CEPT.xlsx: blank",
        "  resolutions.xlsx: blank",
        "  outcomes.xlsx: blank",
    ]


def test_region_template_dropdowns_read_back_with_openpyxl(inputs, run, tmp_path):
    make(run, inputs, tmp_path / "t")
    book = openpyxl.load_workbook(tmp_path / "t" / "APT.xlsx")
    assert book.sheetnames == ["Proposals", "Lists", "Instructions"]
    assert book["Lists"].sheet_state == "hidden"
    sheet = book["Proposals"]
    assert [c.value for c in sheet[4]] == CONTRACT
    assert sheet.freeze_panes == "A5"
    assert sheet["A1"].value == "APT: proposals to WTSA-24"

    dv = validations(sheet)
    assert sorted(dv) == ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
    for column in "ABCDEFGHI":
        assert str(dv[column].sqref) == f"{column}5:{column}2004"
        assert dv[column].showInputMessage and dv[column].prompt and dv[column].promptTitle
    for column in "ABEGH":
        assert dv[column].type == "list"
        assert dv[column].showErrorMessage is True
        assert dv[column].errorStyle in (None, "stop")  # absent means stop in the file format
    for column in "CDFI":
        assert dv[column].type is None  # "any value": an input message, no restriction
    assert dv["B"].formula1 == '"ADD,MOD,SUP,NOC"'
    assert dv["E"].formula1 == '"High,Medium,Low,None"'
    assert dv["G"].formula1 == '"Yes,No"'
    assert dv["H"].formula1 == '"Accepted,Partly accepted,Not accepted,Withdrawn"'

    keys = ["2", "10", "64", "100", "NEW-AI", "NEW-DPI"]  # the catalogue, in matrix order
    assert dv["A"].formula1 == f"Lists!$A$2:$A${len(keys) + 1}"
    offered = [row[0] for row in book["Lists"].iter_rows(min_row=2, values_only=True)]
    titles = {str(r[0]): r[1] for r in CATALOGUE_ROWS}
    assert offered == [dropdown_label(k, titles[k]) for k in keys]
    assert offered[2] == "Res. 64 — IP address allocation and IPv6"
    assert [parse_key(label) for label in offered] == keys


def test_catalogue_template_has_a_priority_dropdown(inputs, run, tmp_path):
    make(run, inputs, tmp_path / "t")
    sheet = openpyxl.load_workbook(tmp_path / "t" / "resolutions.xlsx")["Resolutions"]
    assert [c.value for c in sheet[4]] == [
        "Resolution",
        "Title",
        "Topic",
        "Priority",
        "ISOC analysis",
        "Public",
    ]
    dv = validations(sheet)
    assert (dv["D"].type, dv["D"].formula1) == ("list", '"High,Medium,Low"')
    assert (dv["F"].type, dv["F"].formula1) == ("list", '"Yes,No"')


@pytest.mark.parametrize(
    ("key", "title"),
    [
        (
            "64",
            "Internet Protocol address allocation and facilitating the transition to and "
            "deployment of Internet Protocol version 6",
        ),
        ("2", "Study group responsibility - and mandates (Rev. 2022)"),
        ("NEW-CALLER-LOCATION", "Handset-derived caller location — emergency"),
        ("7", None),
    ],
)
def test_every_dropdown_label_reads_back_as_its_key(key, title):
    text = dropdown_label(key, title)
    assert parse_key(text) == key
    assert len(text) <= len(f"Res. {key} — ") + 80


def test_an_empty_template_validates(inputs, run, tmp_path):
    make(run, inputs, tmp_path / "t")
    shutil.copy(tmp_path / "t" / "APT.xlsx", inputs / "regions" / "APT.xlsx")
    status, out, err = run("validate", "--inputs", inputs)
    assert status == 0, err
    assert out.startswith("All inputs are valid: 2 proposals")  # CEPT's two; APT's template empty


def test_a_template_filled_with_dropdown_values_builds_the_matrix(inputs, run, tmp_path):
    make(run, inputs, tmp_path / "t")
    book = openpyxl.load_workbook(tmp_path / "t" / "APT.xlsx")
    offered = [r[0] for r in book["Lists"].iter_rows(min_row=2, values_only=True)]
    sheet = book["Proposals"]
    for i, label in enumerate(offered):
        action = "ADD" if label.startswith("NEW-") else "MOD"
        sheet.append([label, action, f"Doc 37 Add.{i + 1}", f"Proposal {i + 1}", "Medium"])
    book.save(inputs / "regions" / "APT.xlsx")

    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    long = list(openpyxl.load_workbook(output)["Proposals"].iter_rows(min_row=2, values_only=True))
    apt = sorted((r[0], r[5]) for r in long if r[1] == "APT")  # Resolution, Document
    assert apt == sorted(
        [
            ("Res. 2", "Doc 37 Add.1"),
            ("Res. 10", "Doc 37 Add.2"),
            ("Res. 64", "Doc 37 Add.3"),
            ("Res. 100", "Doc 37 Add.4"),
            ("NEW-AI", "Doc 37 Add.5"),
            ("NEW-DPI", "Doc 37 Add.6"),
        ]
    )


def test_with_data_keeps_every_row_and_leaves_the_source_untouched(shipped_inputs, run, tmp_path):
    sources = sorted(
        [*(shipped_inputs / "regions").iterdir(), *(shipped_inputs / "members").iterdir()]
    )
    others = [shipped_inputs / "resolutions.xlsx", shipped_inputs / "outcomes.xlsx"]
    before = {p: (sha(p), p.stat().st_mtime_ns) for p in [*sources, *others]}
    out = tmp_path / "t"
    make(run, shipped_inputs, out, "--with-data")
    assert {p: (sha(p), p.stat().st_mtime_ns) for p in before} == before

    # The templates, used as the inputs, give the same proposals as the originals.
    moved = tmp_path / "moved"
    (moved / "regions").mkdir(parents=True)
    (moved / "members").mkdir()
    for name in ("resolutions.xlsx", "outcomes.xlsx"):
        shutil.copy(out / name, moved / name)
    shutil.copy(shipped_inputs / "matrix.toml", moved / "matrix.toml")
    for path in sources:
        folder = path.parent.name  # regions/ or members/, as in the templates' folder
        template = out / path.name if folder == "regions" else out / folder / path.name
        shutil.copy(template, moved / folder / path.name)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("matrix", "--inputs", shipped_inputs, "--output", first)[0] == 0
    status, _, err = run("matrix", "--inputs", moved, "--output", second)
    assert status == 0, err

    def proposals(path):
        sheet = openpyxl.load_workbook(path)["Proposals"]
        return [r[:7] for r in sheet.iter_rows(min_row=2, values_only=True)]

    assert proposals(second) == proposals(first)
    assert len(proposals(second)) == 93
    catalogue = openpyxl.load_workbook(out / "resolutions.xlsx")["Resolutions"]
    assert catalogue["G4"].value == "Title check"  # an extra column of the analyst's is kept


def test_with_data_copies_extra_columns_and_rows_as_typed(inputs, run, tmp_path):
    header = [*REGION_HEADER, "Owner"]
    path = write_region(
        inputs,
        "APT",
        [
            [64, "mod", "Doc 1", "=not a formula", "high", "", "Ana"],
            [65, "XYZ", "Doc 2", "typo stays", "Low", "", None],
        ],
        header=header,
    )
    book = openpyxl.load_workbook(path)
    book.active["D4"].data_type = "s"  # typed as text ('=not a formula), not as a formula
    book.save(path)
    make(run, inputs, tmp_path / "t", "--with-data")
    sheet = openpyxl.load_workbook(tmp_path / "t" / "APT.xlsx")["Proposals"]
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert rows == [
        [*REGION_HEADER, "Public", "Result", "Co-signers", "Owner"],
        [
            "Res. 64 — IP address allocation and IPv6",
            "MOD",
            "Doc 1",
            "=not a formula",
            "High",
            None,
            None,
            None,
            None,
            "Ana",
        ],
        ["65", "XYZ", "Doc 2", "typo stays", "Low", None, None, None, None, None],
    ]
    assert sheet["D5"].data_type == "s"


def test_version_stamp_in_properties_and_instructions(inputs, run, tmp_path):
    make(run, inputs, tmp_path / "t")
    book = openpyxl.load_workbook(tmp_path / "t" / "APT.xlsx")
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props == {
        "IssuesMatrixTemplateVersion": stamps.TEMPLATE_VERSION,
        "IssuesMatrixConference": "WTSA-24",
    }
    text = [c.value for c in book["Instructions"]["B"] if c.value]
    assert f"Template version {stamps.TEMPLATE_VERSION} for WTSA-24 (Issues Matrix)." in (text[0])


def test_a_workbook_from_an_older_template_validates_with_a_warning(
    inputs, run, tmp_path, monkeypatch
):
    make(run, inputs, tmp_path / "t", "--with-data")
    shutil.copy(tmp_path / "t" / "APT.xlsx", inputs / "regions" / "APT.xlsx")
    assert run("validate", "--inputs", inputs)[2] == ""  # current template: nothing to say

    monkeypatch.setattr(stamps, "TEMPLATE_VERSION", stamps.TEMPLATE_VERSION + 1)
    status, out, err = run("validate", "--inputs", inputs)
    assert status == 0
    new = stamps.TEMPLATE_VERSION
    assert err.splitlines() == [
        f"regions/APT.xlsx: warning: made from template version {new - 1}; version {new} is "
        "available: run 'make templates' and move your rows into the new "
        "outputs/WTSA-24/templates/APT.xlsx with 'python -m pipeline templates --with-data'"
    ]
    assert out.startswith("All inputs are valid")


def test_a_template_for_another_conference_is_a_warning(inputs, run, tmp_path):
    make(run, inputs, tmp_path / "t", "--with-data")
    shutil.copy(tmp_path / "t" / "APT.xlsx", inputs / "regions" / "APT.xlsx")
    (inputs / "matrix.toml").write_text('conference = "PP-26"\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 0
    assert err.splitlines() == [
        "regions/APT.xlsx: warning: made from the template for WTSA-24, but this matrix is for "
        "PP-26"
    ]


def test_templates_for_the_shipped_inputs_name_all_six_regions(run, tmp_path):
    make(run, SHIPPED_INPUTS, tmp_path / "t")
    assert sorted(p.stem for p in (tmp_path / "t").iterdir()) == [
        "APT",
        "ASMG",
        "ATU",
        "CEPT",
        "CITEL",
        "RCC",
        "members",
        "outcomes",
        "resolutions",
    ]
    assert sorted(p.name for p in (tmp_path / "t" / "members").iterdir()) == ["B.xlsx", "USA.xlsx"]


def test_templates_are_not_written_into_the_inputs(inputs, run):
    status, _, err = run("templates", "--inputs", inputs, "--out", inputs / "regions")
    assert status == 2
    assert err.splitlines()[0] == (
        f"Error: --out '{inputs / 'regions'}' is inside the inputs folder '{inputs}'"
    )


def test_with_data_refuses_to_copy_a_formula_it_cannot_read(inputs, run, tmp_path):
    header = [*REGION_HEADER, "Owner"]
    write_region(
        inputs, "APT", [[64, "MOD", "Doc 1", "Text", "Low", "", '=UPPER("ana")']], header=header
    )
    status, _, err = run("templates", "--inputs", inputs, "--out", tmp_path / "t", "--with-data")
    assert status == 1
    assert err.splitlines()[0] == (
        'regions/APT.xlsx:Proposals!G4: Owner is a formula (=UPPER("ana")) with no saved result; '
        "open the workbook in Excel, let it calculate, and save it"
    )
    assert not (tmp_path / "t").exists()


def test_templates_never_replace_one_an_analyst_has_typed_into(inputs, run, tmp_path):
    out = tmp_path / "t"
    make(run, inputs, out)
    make(run, inputs, out)  # blank templates again: nothing typed, nothing lost
    book = openpyxl.load_workbook(out / "CEPT.xlsx")
    book["Proposals"].append(["Res. 64", "MOD", "Doc 40 Add.9", "Typed by Ana", "Low"])
    book.save(out / "CEPT.xlsx")
    before = {p.name: sha(p) for p in out.iterdir()}

    status, stdout, err = run("templates", "--inputs", inputs, "--out", out)
    assert (status, stdout) == (2, "")
    assert err.splitlines() == [
        f"Error: CEPT.xlsx (1 row) in {out} holds rows that a new template would not have "
        "(typed or copied into it); no template was written",
        "Hint: If those rows are yours, move the workbook into the inputs folder first; to "
        "replace the templates anyway, run: make templates FORCE=1",
    ]
    assert {p.name: sha(p) for p in out.iterdir()} == before

    make(run, inputs, out, "--force")
    rows = list(openpyxl.load_workbook(out / "CEPT.xlsx")["Proposals"].iter_rows(min_row=5))
    assert rows == []


def test_templates_with_data_may_refresh_a_template_holding_the_same_rows(inputs, run, tmp_path):
    out = tmp_path / "t"
    make(run, inputs, out, "--with-data")
    make(run, inputs, out, "--with-data")  # the same rows again: nothing would be lost
    rows = openpyxl.load_workbook(out / "APT.xlsx")["Proposals"].iter_rows(
        min_row=5, values_only=True
    )
    assert [r[3] for r in rows if any(r)] == ["IPv6 capacity building", "ITU-T lead on AI"]


def test_blank_templates_replace_the_rows_templates_with_data_copied(inputs, run, tmp_path):
    """Rows copied from the inputs are no one's typing: they are still in the inputs."""
    out = tmp_path / "t"
    make(run, inputs, out, "--with-data")
    make(run, inputs, out)
    for name in ("APT.xlsx", "CEPT.xlsx"):
        assert list(openpyxl.load_workbook(out / name)["Proposals"].iter_rows(min_row=5)) == []


def test_a_row_typed_below_the_copied_ones_is_still_kept_from_harm(inputs, run, tmp_path):
    out = tmp_path / "t"
    make(run, inputs, out, "--with-data")
    book = openpyxl.load_workbook(out / "CEPT.xlsx")
    book["Proposals"].append(["Res. 10", "SUP", "Doc 40 Add.9", "Typed by Ana", "Low"])
    book.save(out / "CEPT.xlsx")
    status, stdout, err = run("templates", "--inputs", inputs, "--out", out)
    assert (status, stdout) == (2, "")
    assert err.splitlines()[0] == (
        f"Error: CEPT.xlsx (1 row) in {out} holds rows that a new template would not have "
        "(typed or copied into it); no template was written"
    )
