"""A team makes the tool its own: a new conference in one command, a new group in one step, the
conference's own words, and each conference's outputs apart."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import openpyxl
import pypdf
import pytest

from conftest import SHIPPED_INPUTS, all_rows, error_lines
from pipeline.conference import REGIONAL_GROUPS
from pipeline.reading.matrix_toml import load_config

HEADER_ROW = 4  # the templates' header, as Excel numbers rows


def fill(path: Path, rows: list[dict], sheet: str) -> None:
    """Type rows under a template's header, by column name, as an analyst would in Excel."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    columns = {c.value: c.column for c in ws[HEADER_ROW] if c.value}
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        for name, value in row.items():
            ws.cell(i, columns[name], value)
    book.save(path)


def data_rows(path: Path, sheet: str) -> list[dict]:
    rows = all_rows(path, sheet, min_row=HEADER_ROW)
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def every_text(path: Path) -> str:
    """All the text a colleague can read in a workbook: every cell of every sheet, and the
    cells' input messages (the notes Excel shows on a selected cell)."""
    book = openpyxl.load_workbook(path)
    texts = []
    for ws in book.worksheets:
        texts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        texts += [
            f"{dv.promptTitle} {dv.prompt} {dv.error}" for dv in ws.data_validations.dataValidation
        ]
        texts += [ws.oddHeader.center.text or "", ws.oddHeader.left.text or ""]
    return "\n".join(texts)


def test_new_makes_a_folder_ready_to_fill(run, tmp_path):
    status, out, err = run("new", "--conference", "PP-26", "--inputs", "pp26")
    assert (status, err) == (0, "")
    folder = tmp_path / "pp26"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "matrix.toml",
        *(f"regions/{code}.xlsx" for code in sorted(REGIONAL_GROUPS)),
        "resolutions.xlsx",
    ]
    assert out.splitlines()[0] == "Started PP-26 in pp26/:"
    assert out.splitlines()[-2:] == [
        "The catalogue is blank: add the resolutions the team tracks.",
        "Next: fill in pp26/resolutions.xlsx and the workbooks in pp26/regions/, check "
        "pp26/matrix.toml, then build the matrix: make matrix INPUTS=pp26 (without make: "
        "python -m pipeline matrix --inputs pp26)",
    ]
    config, problems = load_config(folder)
    assert problems == []
    assert (config.conference, config.name, config.mandate, config.regions, config.paper) == (
        "PP-26", "Plenipotentiary Conference (PP-26)", "ITU", REGIONAL_GROUPS, "A3"
    )  # fmt: skip
    assert config.notice and config.matrix_title == "PP-26 Issues Matrix"
    assert data_rows(folder / "resolutions.xlsx", "Resolutions") == []
    # Each group's workbook names that group, and the catalogue's dropdowns are in it.
    apt = openpyxl.load_workbook(folder / "regions" / "APT.xlsx")
    assert apt["Proposals"]["A1"].value == "APT: proposals to PP-26"
    assert "Keep the file name APT.xlsx" in apt["Proposals"]["A2"].value
    catalogue = openpyxl.load_workbook(folder / "resolutions.xlsx")["Resolutions"]
    assert [c.value for c in catalogue[HEADER_ROW]][:4] == [
        "Resolution",
        "Title",
        "Topic",
        "Priority",
    ]
    assert any(dv.type == "list" for dv in catalogue.data_validations.dataValidation)


def test_the_empty_new_conference_builds_and_says_there_is_nothing_yet(run, tmp_path):
    run("new", "--conference", "PP-26", "--inputs", "pp26")
    status, out, err = run("matrix", "--inputs", "pp26")
    assert (status, err) == (0, "")  # no warning: empty workbooks are where a conference starts
    assert out.splitlines() == [
        "Wrote outputs/PP-26/PP-26_Issues_Matrix.xlsx: 0 resolutions × 6 regional groups, "
        "0 proposals.",
        "There is nothing in the matrix yet: the catalogue lists no resolutions and no workbook "
        "holds a proposal.",
        "No earlier version to compare with (make release files one).",
    ]


def test_new_refuses_a_folder_that_holds_anything_and_changes_nothing(run, tmp_path):
    folder = tmp_path / "pp26"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    status, out, err = run("new", "--conference", "PP-26", "--inputs", folder)
    assert status == 2 and out == ""
    assert err.splitlines() == [
        f"Error: the folder '{folder}' already holds notes.txt; a new conference starts in a "
        "new or empty folder, and nothing in this one was changed",
        "Hint: Choose another folder: make new CONFERENCE=PP-26 INPUTS=pp26",
    ]
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("code", ["PP 26/x", "", "PP:26"])
def test_new_refuses_a_code_that_cannot_name_files(run, tmp_path, code):
    status, _, err = run("new", "--conference", code, "--inputs", "pp26")
    assert status == 2
    assert err.startswith("Error: the ")
    assert not (tmp_path / "pp26").exists()


def _shipped_outcomes() -> dict[str, tuple[str, str | None, str | None]]:
    """The shipped outcomes workbook read directly: resolution key -> (outcome, adopted as,
    document), to check the carried-over catalogue against, apart from the code under test."""
    rows = all_rows(SHIPPED_INPUTS / "outcomes.xlsx", "Outcomes")
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Resolution")
    header = rows[at]
    found = {}
    for row in rows[at + 1 :]:
        rec = dict(zip(header, row, strict=False))
        if not rec["Resolution"]:
            continue
        key = str(rec["Resolution"]).split(" — ")[0].removeprefix("Res. ")
        found[key] = (rec["Outcome"], rec["Adopted as"], rec["Document"])
    return found


def _shipped_catalogue() -> dict[str, str]:
    rows = all_rows(SHIPPED_INPUTS / "resolutions.xlsx", "Resolutions")
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Resolution")
    return {str(r[0]): r[1] for r in rows[at + 1 :] if r and r[0] is not None}


def test_from_starts_the_catalogue_as_the_earlier_conference_left_it(run, tmp_path):
    status, out, err = run(
        "new", "--conference", "WTSA-28", "--inputs", "w28", "--from", SHIPPED_INPUTS
    )
    assert (status, err) == (0, "")
    outcomes, before = _shipped_outcomes(), _shipped_catalogue()
    rows = {
        str(r["Resolution"]): r
        for r in data_rows(tmp_path / "w28" / "resolutions.xlsx", "Resolutions")
    }

    gone = {k for k, (o, _, _) in outcomes.items() if o in ("SUPPRESSED", "NOT ADOPTED", "MERGED")}
    adopted = {k: a.removeprefix("Res. ") for k, (o, a, _) in outcomes.items() if o == "ADOPTED"}
    assert gone == {"29"} and len(adopted) == 8  # what the shipped example decided
    kept = [k for k in before if k not in gone and k not in adopted]
    assert set(rows) == set(kept) | set(adopted.values())
    assert not any(key.startswith("NEW-") for key in rows)
    assert len(rows) == len(before) - 1
    for draft, number in adopted.items():
        row = rows[number]
        assert row["Title"] == before[draft].removesuffix(" (draft new resolution)")
        assert (row["Version"], row["History"]) == (
            "New Delhi, 2024",
            f"Adopted at WTSA-24 (was {draft})",
        )
    for key, (outcome, _, document) in outcomes.items():
        if outcome == "MODIFIED":  # the final text's reference gives the revision
            assert document == f"Res. {key} (Rev. New Delhi, 2024)"
            assert (rows[key]["Version"], rows[key]["History"]) == (
                "Rev. New Delhi, 2024",
                "Revised at WTSA-24",
            )
        if outcome == "UNCHANGED":
            assert (rows[key]["Version"], rows[key]["History"]) == (None, "Unchanged at WTSA-24")
    undecided = [k for k in kept if k not in outcomes]
    assert len(undecided) == 9
    assert all(rows[k]["History"] == "No outcome recorded at WTSA-24" for k in undecided)
    # Numbered in order, the adopted ones among them.
    assert list(rows) == sorted(rows, key=int)
    assert (
        "The catalogue starts from the one in "
        f"{SHIPPED_INPUTS.as_posix()}/, as WTSA-24 left it: 40 resolutions (20 modified, "
        "3 unchanged, 8 adopted, 9 no outcome); left out: 1 suppressed."
    ) in out.splitlines()
    # Its region templates offer the carried-over resolutions in their dropdown.
    lists = openpyxl.load_workbook(tmp_path / "w28" / "regions" / "APT.xlsx")["Lists"]
    offered = [c.value for c in lists["A"][1:]]
    assert len(offered) == 40 and offered[-1].startswith("Res. 108 — ")
    status, out, err = run("matrix", "--inputs", "w28")
    assert (status, err) == (0, "")
    assert out.startswith("Wrote outputs/WTSA-28/WTSA-28_Issues_Matrix.xlsx: 40 resolutions")


def _pp26_with_two_proposals(run, tmp_path) -> Path:
    run("new", "--conference", "PP-26", "--inputs", "pp26")
    folder = tmp_path / "pp26"
    fill(folder / "resolutions.xlsx", [
        {"Resolution": 101, "Title": "Internet Protocol-based networks", "Topic": "Internet",
         "Priority": "High"},
        {"Resolution": 102, "Title": "ITU's role in Internet public policy", "Topic": "Internet",
         "Priority": "High"},
    ], "Resolutions")  # fmt: skip
    fill(folder / "regions" / "APT.xlsx", [
        {"Resolution": "Res. 101", "Action": "MOD", "Document": "Doc 60 Add.1",
         "Summary": "Studies on IP-based networks.", "Concern": "Medium"},
    ], "Proposals")  # fmt: skip
    fill(folder / "regions" / "RCC.xlsx", [
        {"Resolution": "102", "Action": "MOD", "Document": "Doc 61 Add.2",
         "Summary": "A treaty-level role in Internet governance.", "Concern": "High"},
    ], "Proposals")  # fmt: skip
    return folder


def test_a_pp26_matrix_speaks_of_pp26_not_of_wtsa(run, tmp_path):
    folder = _pp26_with_two_proposals(run, tmp_path)
    with (folder / "matrix.toml").open("a") as toml:
        toml.write('\n[publish]\norganisation = "Us"\n')
    text = (folder / "matrix.toml").read_text().replace('# place = "City"', 'place = "Doha"')
    (folder / "matrix.toml").write_text(text)
    status, out, err = run("matrix", "--inputs", folder)
    assert (status, err) == (0, "")
    assert out.splitlines()[1] == "ASMG, ATU, CEPT and CITEL have no proposals yet."
    written = every_text(tmp_path / "outputs" / "PP-26" / "PP-26_Issues_Matrix.xlsx")
    assert "Would extend" not in written  # (the templates' guidance, not the matrix's)
    assert "could extend ITU's mandate" in written
    assert "Plenipotentiary Conference (PP-26), Doha" in written
    for stray in ("ITU-T", "WTSA", "assembly", "{mandate}", "{assembly}", "New Delhi"):
        assert stray not in written, stray
    # The public editions too: the web page, the PDF and the workbook.
    assert run("release", "--inputs", folder)[0] == 0
    status, _, err = run("publish", "--inputs", folder)
    assert status == 0, err
    edition = tmp_path / "outputs" / "PP-26" / "publish" / "PP-26_Issues_Matrix_v1"
    page = (edition / "index.html").read_text()
    public = every_text(edition / "PP-26_Issues_Matrix_v1.xlsx")
    assert "could extend ITU&#39;s mandate" in page or "could extend ITU's mandate" in page
    assert "Plenipotentiary Conference (PP-26), Doha" in page
    pdf = pypdf.PdfReader(edition / "PP-26_Issues_Matrix_v1.pdf")
    report = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Plenipotentiary Conference (PP-26), Doha" in report
    assert "How to read this report" in report
    for stray in ("ITU-T", "WTSA", "assembly", "{mandate}", "{assembly}"):
        assert stray not in page and stray not in public and stray not in report, stray
    status, _, err = run("templates", "--inputs", folder)
    assert status == 0, err
    for template in (tmp_path / "outputs" / "PP-26" / "templates").glob("*.xlsx"):
        words = every_text(template)
        assert "Would extend ITU's mandate" in words or "APT" not in template.name
        for stray in ("ITU-T", "WTSA", "assembly", "{mandate}", "{assembly}"):
            assert stray not in words, (template.name, stray)


def test_the_shipped_wtsa24_words_stay_as_they_were(run, shipped_inputs, tmp_path):
    status, _, err = run("matrix", "--inputs", shipped_inputs, "--output", tmp_path / "m.xlsx")
    assert status == 0, err
    legend = every_text(tmp_path / "m.xlsx")
    assert "could extend ITU-T's mandate" in legend
    assert "The assembly took the proposal as it was." in legend


def test_a_new_group_is_added_by_listing_it_and_making_templates(run, tmp_path):
    folder = _pp26_with_two_proposals(run, tmp_path)
    toml = folder / "matrix.toml"
    # Listed, and named: its column heading says who it is (a code nobody named is a warning).
    toml.write_text(
        toml.read_text().replace('"RCC"]', '"RCC", "EACO"]')
        + '\n[names]\nEACO = "East African Communications Organisation"\n'
    )
    status, _, err = run("matrix", "--inputs", folder)
    assert status == 1
    assert error_lines(err) == [
        "regions/EACO.xlsx: matrix.toml lists region EACO, but there is no workbook for it in "
        "regions/; make templates writes a blank one, outputs/PP-26/templates/EACO.xlsx: copy "
        "it into regions/ (or remove EACO from the 'regions' list)"
    ]
    status, out, err = run("templates", "--inputs", folder)
    assert (status, err) == (0, "")
    assert "  EACO.xlsx: blank" in out.splitlines()
    template = tmp_path / "outputs" / "PP-26" / "templates" / "EACO.xlsx"
    sheet = openpyxl.load_workbook(template)["Proposals"]
    assert sheet["A1"].value == "EACO: proposals to PP-26"
    assert "Keep the file name EACO.xlsx" in sheet["A2"].value
    shutil.copy(template, folder / "regions" / "EACO.xlsx")
    status, out, err = run("matrix", "--inputs", folder)
    assert (status, err) == (0, "")
    assert "ASMG, ATU, CEPT, CITEL and EACO have no proposals yet." in out.splitlines()
    header = [
        c.value
        for c in openpyxl.load_workbook(
            tmp_path / "outputs" / "PP-26" / "PP-26_Issues_Matrix.xlsx"
        )["Matrix"][1]
    ]
    assert [h.split("\n")[0] for h in header[5:12]] == [
        "APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC", "EACO"
    ]  # fmt: skip
    assert header[11] == "EACO\nEast African Communications Organisation"  # as matrix.toml names it


def test_a_group_that_had_proposals_in_a_release_is_still_warned_about(run, tmp_path, monkeypatch):
    folder = _pp26_with_two_proposals(run, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")
    assert run("release", "--inputs", folder)[0] == 0
    shutil.copy(folder / "regions" / "ASMG.xlsx", folder / "regions" / "RCC.xlsx")  # emptied
    status, out, err = run("matrix", "--inputs", folder)
    assert status == 0
    assert err.splitlines() == [
        "regions/RCC.xlsx: warning: has no proposals; was an empty template copied over it? "
        "It had 1 in release v1 (2024-09-30)."
    ]
    assert "ASMG, ATU, CEPT and CITEL have no proposals yet." in out.splitlines()


def test_two_conferences_keep_their_outputs_apart(run, tmp_path, shipped_inputs):
    _pp26_with_two_proposals(run, tmp_path)
    for folder in ("pp26", shipped_inputs):
        assert run("templates", "--inputs", folder)[0] == 0
        assert run("matrix", "--inputs", folder)[0] == 0
    outputs = tmp_path / "outputs"
    assert sorted(p.name for p in outputs.iterdir()) == ["PP-26", "WTSA-24"]
    assert sorted(p.name for p in (outputs / "PP-26" / "templates").rglob("*.xlsx")) == sorted(
        [*(f"{c}.xlsx" for c in REGIONAL_GROUPS), "resolutions.xlsx", "outcomes.xlsx"]
    )
    assert {p.name for p in (outputs / "WTSA-24" / "templates" / "members").iterdir()} == {
        "USA.xlsx", "B.xlsx"
    }  # fmt: skip
    assert not (outputs / "PP-26" / "templates" / "members").exists()
    assert (outputs / "PP-26" / "PP-26_Issues_Matrix.xlsx").is_file()
    assert (outputs / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx").is_file()


def test_releases_filed_before_each_conference_had_its_folder_keep_working(
    run, shipped_inputs, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")
    assert run("release", "--inputs", shipped_inputs)[0] == 0
    # The layout of earlier versions: every release in outputs/releases/.
    old = tmp_path / "outputs" / "releases"
    shutil.move(tmp_path / "outputs" / "WTSA-24" / "releases", old)
    (old / "PP-26_Issues_Matrix_v1_2026-01-01.xlsx").write_bytes(b"another conference's")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728259200")  # a week later
    status, out, err = run("matrix", "--inputs", shipped_inputs)
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == (
        "Moved 1 earlier release of WTSA-24 from outputs/releases/ into "
        "outputs/WTSA-24/releases/ (each conference now has its own outputs folder)."
    )
    assert out.splitlines()[-1] == "No changes since v1 (2024-09-30)."
    assert [p.name for p in old.iterdir()] == ["PP-26_Issues_Matrix_v1_2026-01-01.xlsx"]
    (shipped_inputs / "regions" / "APT.xlsx").touch()
    status, out, _ = run("release", "--inputs", shipped_inputs)
    assert status == 0
    assert "Nothing has changed since v1 (2024-09-30): no new release was made." in out


def test_the_settings_name_place_dates_and_mandate_are_read(tmp_path):
    (tmp_path / "matrix.toml").write_text(
        'conference = "WRC-27"\nplace = "Geneva"\ndates = "October 2027"\n'
    )
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.described == "World Radiocommunication Conference (WRC-27), Geneva, October 2027"
    assert (config.wording.mandate, config.wording.assembly) == ("ITU-R", "conference")
    (tmp_path / "matrix.toml").write_text('conference = "RA-23"\nmandate = "ITU-R and ITU-D"\n')
    config, _ = load_config(tmp_path)
    assert (config.wording.mandate, config.wording.assembly, config.described) == (
        "ITU-R and ITU-D", "assembly", ""
    )  # fmt: skip
    assert (
        tomllib.loads((Path(SHIPPED_INPUTS) / "matrix.toml").read_text())["conference"] == "WTSA-24"
    )
