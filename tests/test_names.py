"""Names for codes: the tool's own (the six regional groups, the ITU country symbols the
shipped example uses), matrix.toml's [names] over them, its mistakes, and the one warning for
the codes nobody named."""

from __future__ import annotations

import openpyxl

from conftest import REGION_HEADER, error_lines, write_region
from pipeline.words import names

WITH_SIGNERS = [*REGION_HEADER, "Co-signers"]


def test_the_tool_names_the_six_regional_groups_and_the_shipped_country_symbols():
    assert list(names.REGIONAL_GROUPS) == ["APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC"]
    assert names.BUILT_IN["CITEL"] == "Inter-American Telecommunication Commission"
    # ITU's symbols are not ISO's: Germany is D, Japan J, Switzerland SUI, Malaysia MLA.
    shipped = {"D": "Germany", "J": "Japan", "SUI": "Switzerland", "MLA": "Malaysia",
               "G": "United Kingdom", "B": "Brazil", "S": "Sweden"}  # fmt: skip
    assert {code: names.BUILT_IN[code] for code in shipped} == shipped
    assert names.Named("D", "Germany").shown == "D (Germany)"
    assert names.Named("EACO").shown == "EACO"  # nobody named it: the code alone


def test_matrix_toml_names_a_new_group_and_overrides_the_tools_names(inputs, run, tmp_path):
    write_region(inputs, "EACO", [[64, "MOD", "Doc 9 Add.1", "IPv6 training", "Low", "", "B"]],
                 header=WITH_SIGNERS)  # fmt: skip
    (inputs / "matrix.toml").write_text(
        '[names]\nEACO = "East African Communications Organisation"\nb = "Federative Republic of '
        'Brazil"\n'
    )
    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert (status, err) == (0, "")  # every code named: no warning
    book = openpyxl.load_workbook(output)
    header = [c.value for c in book["Matrix"][1]]
    assert "EACO\nEast African Communications Organisation" in header
    cells = [c.value for row in book["Matrix"].iter_rows(min_row=2) for c in row if c.value]
    assert any("Co-signed by: B (Federative Republic of Brazil)" in str(v) for v in cells)
    legend = {r[0]: r[1] for r in book["Legend"].iter_rows(values_only=True) if r[0]}
    assert legend["EACO"] == "East African Communications Organisation"
    assert legend["B"] == "Federative Republic of Brazil"


def test_codes_nobody_named_are_one_warning_naming_the_names_table(inputs, run, tmp_path):
    write_region(inputs, "EACO", [[64, "MOD", "Doc 9 Add.1", "IPv6", "Low", "", "ZZ, AUS, QQ"],
                                  [2, "MOD", "Doc 9 Add.2", "Groups", "Low", "", "ZZ"]],
                 header=WITH_SIGNERS)  # fmt: skip
    warning = (
        "matrix.toml: warning: no name is known for EACO, ZZ and QQ, so they show as codes "
        'alone; add their names under a [names] line, for example: [names] EACO = "its name"'
    )
    for command in (["validate"], ["matrix", "--output", tmp_path / "m.xlsx"]):
        status, _, err = run(*command, "--inputs", inputs)
        assert status == 0
        assert err.splitlines() == [warning], command  # once, whatever the codes' count
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert "EACO" in [c.value for c in book["Matrix"][1]]  # shown as the code
    assert run("validate", "--inputs", inputs, "--strict")[0] == 1  # a warning, like the others


def test_mistakes_in_the_names_table_name_their_lines(inputs, run):
    (inputs / "matrix.toml").write_text(
        '[names]\neaco = 5\n"A B" = "Two words"\nEACO = ""\nRCC = "' + "x" * 101 + '"\n'
        'paper = "A4"\n'
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 2: the name of EACO in [names] must be a text in double quotes",
        "matrix.toml, line 3: 'A B' in [names] is not a code: a code holds only letters, "
        "digits, - and _, like EACO",
        "matrix.toml, line 4: the name of EACO in [names] must be a text in double quotes",
        "matrix.toml, line 5: the name of RCC in [names] is longer than 100 characters; shorten it",
        "matrix.toml, line 6: 'paper' is under [names], where it does not belong; move the line "
        "above the [names] line (settings after [names] belong to it)",
    ]


def test_a_code_named_twice_in_any_case_is_a_mistake(inputs, run):
    (inputs / "matrix.toml").write_text('[names]\nEACO = "One"\neaco = "Two"\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert (status, error_lines(err)) == (
        1,
        ["matrix.toml, line 3: EACO is named twice in [names]; keep one of them"],
    )
