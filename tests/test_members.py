"""Member states beside the regional groups, and who co-signed each proposal."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd

from conftest import REGION_HEADER, codes, error_lines, summary_tables, write_region, write_sheet
from pipeline.versions.changes import diff
from pipeline.words.frames import LONG

WITH_SIGNERS = [*REGION_HEADER, "Co-signers"]


def write_member(inputs, code, rows, header=None):
    """A member state's workbook, laid out like a region's."""
    path = inputs / "members" / f"{code}.xlsx"
    return write_sheet(path, [header or REGION_HEADER, *rows], above=2)


def build(run, inputs, tmp_path, command="matrix"):
    output = tmp_path / "out" / "matrix.xlsx"
    status, out, err = run(command, "--inputs", inputs, "--output", output)
    assert status == 0, err
    return openpyxl.load_workbook(output), out


def test_member_workbooks_are_found_ordered_and_grouped(inputs, run, tmp_path):
    write_member(inputs, "USA", [[64, "NOC", "Doc 48 Add.1", "", "", ""]])
    write_member(inputs, "B", [["NEW-AI", "ADD", "Doc 50 Add.1", "Open standards", "Low", ""]])
    book, out = build(run, inputs, tmp_path)
    assert "6 resolutions × 2 regional groups and 2 member states, 6 proposals." in out
    sheet = book["Matrix"]
    assert codes(sheet[2])[5:9] == ["APT", "CEPT", "B", "USA"]  # alphabetical
    assert sheet["H2"].value == "B\nBrazil"  # each code with its name under it
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == ["F1:G1", "H1:I1"]
    assert (sheet["F1"].value, sheet["H1"].value) == ("Regional groups", "Member states")
    assert sheet.freeze_panes == "B3"
    assert sheet.print_title_rows == "$1:$2"  # both header rows on every printed page
    assert sheet.auto_filter.ref.startswith("A2:")
    about = [c.value for c in book["About"]["A"] if c.value]
    assert "6 resolutions, 2 regional groups, 2 member states, 6 proposals." in about
    proposals = book["Proposals"]
    assert [c.value for c in proposals[1]][1:3] == ["Region", "Group"]
    groups = {(r[1], r[2]) for r in proposals.iter_rows(min_row=2, values_only=True)}
    assert groups == {
        ("APT", "Regional group"), ("CEPT", "Regional group"),
        ("B", "Member state"), ("USA", "Member state"),
    }  # fmt: skip

    (inputs / "matrix.toml").write_text('members = ["USA", "B"]\n')
    book, _ = build(run, inputs, tmp_path)
    assert codes(book["Matrix"][2])[7:9] == ["USA", "B"]  # as listed


def test_without_members_there_is_no_row_of_groups(inputs, run, tmp_path):
    book, out = build(run, inputs, tmp_path)
    assert "× 2 regional groups, 4 proposals." in out
    assert book["Matrix"]["A1"].value == "Resolution"
    assert not book["Matrix"].merged_cells.ranges


def test_a_code_is_a_region_or_a_member_never_both(inputs, run):
    write_member(inputs, "APT", [[64, "NOC", "Doc 48 Add.1", "", "", ""]])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "members/APT.xlsx: APT is also a regional group (regions/APT.xlsx); a code is a "
        "regional group or a member state, not both: rename one of the files"
    ]
    (inputs / "members" / "APT.xlsx").unlink()
    (inputs / "matrix.toml").write_text('regions = ["APT", "CEPT"]\nmembers = ["CEPT"]\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err)[0] == (
        "matrix.toml, line 2: CEPT is listed both in 'regions' and in 'members'; a code is a "
        "regional group or a member state, not both"
    )


def test_the_members_list_names_every_member_workbook(inputs, run):
    write_member(inputs, "USA", [[64, "NOC", "Doc 48 Add.1", "", "", ""]])
    write_member(inputs, "B", [[64, "NOC", "Doc 50 Add.1", "", "", ""]])
    (inputs / "matrix.toml").write_text('members = ["USA", "J"]\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "members/B.xlsx: member state B is not in the 'members' list of matrix.toml (USA, J); "
        "add it there or move the file out",
        "members/J.xlsx: matrix.toml lists member state J, but there is no workbook for it in "
        "members/; make templates writes a blank one, outputs/WTSA-24/templates/members/J.xlsx: "
        "copy it into members/ (or remove J from the 'members' list)",
    ]


def test_co_signers_are_read_as_codes_and_shown(inputs, run, tmp_path):
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", "", "aus; jpn,KOR"],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "", ""],
        ],
        header=WITH_SIGNERS,
    )
    book, _ = build(run, inputs, tmp_path)
    sheet = book["Matrix"]
    apt = codes(sheet[1]).index("APT") + 1
    cell = next(
        sheet.cell(r, apt).value for r in range(2, 8) if sheet.cell(r, 1).value == "Res. 64"
    )
    assert cell == (  # the codes with their names; JPN is no ITU symbol (Japan's is J)
        "MOD · Low concern\nIPv6 capacity building\nDoc 37 Add.1\n"
        "Co-signed by: AUS (Australia), JPN, KOR (Republic of Korea)"
    )
    proposals = book["Proposals"]
    column = [c.value for c in proposals[1]].index("Co-signers") + 1
    assert {proposals.cell(r, column).value for r in range(2, 6)} == {"AUS, JPN, KOR", None}


def test_co_signer_mistakes_name_their_cells(inputs, run):
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6", "Low", "", "AUS, Japan"],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "AI", "High", "", "AUS, KOR, aus"],
            [2, "MOD", "Doc 37 Add.3", "Groups", "Low", "", "B, 7"],
        ],
        header=WITH_SIGNERS,
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "regions/APT.xlsx:Proposals!G4: Co-signers 'AUS, Japan': 'Japan' is not a country code "
        "of 1 to 3 letters (like AUS, or B for Brazil); separate the codes with commas",
        "regions/APT.xlsx:Proposals!G5: Co-signers 'AUS, KOR, aus' names AUS twice; keep it once",
        "regions/APT.xlsx:Proposals!G6: Co-signers 'B, 7': '7' is not a country code of 1 to 3 "
        "letters (like AUS, or B for Brazil); separate the codes with commas",
    ]


def test_the_summary_counts_per_group_and_per_co_signer(inputs, run, tmp_path):
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6", "Low", "", "AUS, J"],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "AI", "High", "", "KOR, J"],
        ],
        header=WITH_SIGNERS,
    )
    write_member(
        inputs,
        "USA",
        [
            [64, "NOC", "Doc 48 Add.1", "", "", "", ""],
            [2, "MOD", "Doc 48 Add.2", "Groups", "Medium", "", "CAN"],
            [10, "SUP", "Doc 48 Add.3", "Obsolete", "None", "", ""],
        ],
        header=WITH_SIGNERS,
    )
    book, _ = build(run, inputs, tmp_path)
    rows = summary_tables(book["Summary"])
    assert rows[:8] == [
        ["Proposals by group or member state and action"],
        ["Group or member state", "ADD", "MOD", "SUP", "NOC", "Total"],
        ["APT", 1, 1, 0, 0, 2],
        ["CEPT", 0, 1, 0, 1, 2],
        ["USA", 0, 1, 1, 1, 3],
        ["All regional groups", 1, 2, 0, 1, 4],
        ["All member states", 0, 1, 1, 1, 3],
        ["All proposals", 1, 3, 1, 2, 7],
    ]
    start = rows.index(["Proposals co-signed, by country"])
    assert rows[start + 1 :] == [["Country", "Proposals"], ["J (Japan)", 2], ["AUS (Australia)", 1],
                                 ["CAN (Canada)", 1], ["KOR (Republic of Korea)", 1]]  # fmt: skip


def long_table(*rows):
    """rows: (group, region, key, action, document, co-signers)."""
    records = [
        {
            "key": key, "Resolution": f"Res. {key}", "Region": region, "Group": group,
            "Action": action, "Concern": "Low", "Document": document, "Summary": "s",
            "Co-signers": signers, "Result": "", "Notes": "", "Source": "", "Public": "Yes",
        }
        for group, region, key, action, document, signers in rows
    ]  # fmt: skip
    return pd.DataFrame(records, columns=list(LONG.columns))


def test_identity_across_versions_includes_the_group():
    # USA was a column of regions/ in v1; now it is a member state: not the same proposal.
    old = long_table(("Regional group", "USA", "64", "MOD", "Doc 48", ""))
    new = long_table(("Member state", "USA", "64", "MOD", "Doc 48", ""))
    changes = diff(old, new, "v1")
    assert changes.rows[["Change", "Region"]].values.tolist() == [
        ["Added", "USA"],
        ["Removed", "USA"],
    ]
    # Co-signers are a field like the others.
    signed = long_table(("Regional group", "USA", "64", "MOD", "Doc 48", "CAN, MEX"))
    changes = diff(old, signed, "v1")
    assert changes.rows[["Change", "Changed fields"]].values.tolist() == [["Changed", "Co-signers"]]
    assert changes.rows.loc[0, "Co-signers after"] == "CAN, MEX"


def test_a_member_template_added_and_built(inputs, run, tmp_path, monkeypatch):
    """As an analyst would: add Brazil from a template, fill in a row, rebuild."""
    (inputs / "matrix.toml").write_text('members = ["B"]\n')
    templates = tmp_path / "templates"
    status, out, err = run("templates", "--inputs", inputs, "--out", templates)
    assert status == 0, err
    assert "  members/B.xlsx: blank" in out
    book = openpyxl.load_workbook(templates / "members" / "B.xlsx")
    sheet = book["Proposals"]
    assert sheet["A1"].value == "Member state B: proposals to WTSA-24"
    assert [c.value for c in sheet[4]][-1] == "Co-signers"
    sheet.append(["Res. 64 — IP address allocation and IPv6", "MOD", "Doc 50 Add.1", "IPv6",
                  "Low", None, None, None, "ARG, URY"])  # fmt: skip
    (inputs / "members").mkdir()
    book.save(inputs / "members" / "B.xlsx")
    matrix, out = build(run, inputs, tmp_path)
    assert "2 regional groups and 1 member state, 5 proposals." in out
    header = [c.value for c in matrix["Matrix"][2]]
    assert header[7] == "B\nBrazil" and matrix["Matrix"]["H1"].value == "Member states"
    shutil.rmtree(inputs / "members")
    (inputs / "matrix.toml").unlink()
    _, out = build(run, inputs, tmp_path)
    assert "× 2 regional groups, 4 proposals." in out  # the members' folder is optional


def test_a_member_state_gone_since_the_release_is_named_as_one(run, shipped_inputs, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")  # 2024-09-30
    assert run("release", "--inputs", shipped_inputs)[0] == 0
    (shipped_inputs / "members" / "B.xlsx").unlink()
    toml = shipped_inputs / "matrix.toml"
    toml.write_text(toml.read_text().replace('members = ["USA", "B"]', 'members = ["USA"]'))
    status, _, err = run("validate", "--inputs", shipped_inputs)
    assert status == 0
    assert err.splitlines() == [
        "members/B.xlsx: warning: is missing: member state B had 3 proposals in release v1 "
        "(2024-09-30), and its column is now gone from the matrix"
    ]
