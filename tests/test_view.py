"""The one view every edition lays out (view.py): its golden files, the summary up front
checked against the shipped inputs read on their own, the Legend's version, and the house
rule that no edition imports another's modules."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import golden
import openpyxl
import pytest

from conftest import (
    REPO,
    SHIPPED_INPUTS,
    high_keys,
    named_keys,
    resolution_key,
    sheet_rows,
    write_region,
)

PIPELINE = REPO / "pipeline"


def differences(expected: str, now: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), now.splitlines(), "golden", "built", lineterm="", n=2
    )
    return "\n".join(list(lines)[:80])


@pytest.mark.parametrize(
    ("build", "path"),
    [(golden.view, golden.VIEW), (golden.public_view, golden.PUBLIC_VIEW)],
    ids=["team", "public"],
)
def test_the_view_of_the_shipped_inputs_matches_its_golden_file(validating, build, path):
    now, expected = build(), path.read_text(encoding="utf-8")
    assert now == expected, "make golden, then review git diff tests/golden:\n" + differences(
        expected, now
    )
    view = json.loads(now)
    assert len(view["rows"]) == 41 and len(view["rows"][0]["cells"]) == 8  # it saw the matrix


def test_the_public_view_holds_nothing_internal():
    view = json.loads(golden.PUBLIC_VIEW.read_text(encoding="utf-8"))
    assert view["audience"]["public"] is True and not view["audience"]["proposals_sheet"]
    proposals = [p for r in view["rows"] for c in r["cells"] for p in c["proposals"]]
    assert proposals and not any(p["internal"] for p in proposals)
    assert not any(r["internal"] for r in view["rows"])
    assert {p["Notes"] for p in view["proposals"]} == {""}
    assert {p["Source"] for p in view["proposals"]} == {""}


# The summary, against the inputs read here with openpyxl ---------------------------------------


def summary_section(sheet, title: str) -> list[str]:
    """The lines under one of the Summary sheet's headings, up to the blank row after them."""
    column = [c.value for c in sheet["A"]]
    at = column.index(title)
    lines = []
    for value in column[at + 1 :]:
        if value is None:
            break
        lines.append(str(value))
    return lines


def test_the_summary_names_every_resolution_of_high_concern_with_who_proposed_what(
    shipped_inputs, run, tmp_path
):
    expected = high_keys(SHIPPED_INPUTS)
    assert len(expected) >= 5  # the shipped example has several: the check sees real ones
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", shipped_inputs, "--output", output)[0] == 0
    book = openpyxl.load_workbook(output)
    assert book.sheetnames[0] == "Summary" and book.active.title == "Summary"
    sheet = book["Summary"]
    lines = summary_section(sheet, "Resolutions of High concern")
    assert named_keys(lines) == expected
    assert len(lines) == len(expected)  # one sentence each
    res64 = next(line for line in lines if line.startswith("Res. 64 "))
    # Who proposed what, the most worrying first, in the analysts' words.
    assert res64.startswith(
        "Res. 64 (Internet Protocol address allocation and facilitating the…): ASMG proposes to "
        "modify it (High concern: Requests a study of ITU becoming an IPv6 address registry for "
        "developing countries); RCC proposes to modify it (High concern: "
    )
    assert "CEPT proposes no change (No concern)" in res64
    # After the assembly, the concerns it left open come first.
    column = [c.value for c in sheet["A"]]
    assert column.index("High and Medium concerns not resolved") < column.index(
        "Resolutions of High concern"
    )


def open_concerns(inputs: Path) -> list[str]:
    """The resolutions of High or Medium overall concern whose outcome is not Resolved or n/a
    (or that have none), read from the workbooks here: High first."""
    ranks = {"none": 0, "low": 1, "medium": 2, "high": 3}
    overall: dict[str, int] = {}
    for path in [*(inputs / "regions").glob("*.xlsx"), *(inputs / "members").glob("*.xlsx")]:
        for r in sheet_rows(path, "Proposals"):
            rank = ranks[str(r.get("Concern") or "none").strip().lower()]
            key = resolution_key(r["Resolution"])
            overall[key] = max(overall.get(key, 0), rank)
    assessed = {
        resolution_key(r["Resolution"]): str(r["Assessment"]).strip().lower()
        for r in sheet_rows(inputs / "outcomes.xlsx", "Outcomes")
    }
    found = [k for k, rank in overall.items() if rank >= 2 and assessed.get(k) not in
             ("resolved", "n/a")]  # fmt: skip
    return sorted(found, key=lambda k: -overall[k])


def test_after_the_assembly_the_summary_lists_the_concerns_left_open_first(
    shipped_inputs, run, tmp_path
):
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", shipped_inputs, "--output", output)[0] == 0
    lines = summary_section(
        openpyxl.load_workbook(output)["Summary"], "High and Medium concerns not resolved"
    )
    expected = open_concerns(SHIPPED_INPUTS)
    assert expected and named_keys(lines) == set(expected)
    assert len(lines) == len(expected)
    high_first = [line.split(": ", 1)[1].split(",")[0] for line in lines]
    assert high_first == sorted(high_first, key=lambda w: w != "High concern")


# The Legend names the version compared with ----------------------------------------------------


def test_the_legend_names_the_version_the_matrix_is_compared_with(
    inputs, run, monkeypatch, tmp_path
):
    for epoch, summary in (("1727740800", "v1"), ("1728000000", "v2"), ("1728259200", "v3")):
        write_region(inputs, "APT", [[64, "MOD", "Doc 37 Add.1", f"IPv6, {summary}", "Low", ""]])
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        status, _, err = run("release", "--inputs", inputs)
        assert status == 0, err
    v3 = next((tmp_path / "outputs" / "WTSA-24" / "releases").glob("*_v3_*.xlsx"))
    legend = openpyxl.load_workbook(v3)["Legend"]
    meaning = next(r[1] for r in legend.iter_rows(values_only=True) if r[0] == "Changed since ...")
    assert "'Changed since v2 (2024-10-04)'" in meaning  # the version before, not an example's
    assert "v6" not in meaning
    assert "changed since v2 (2024-10-04), the earlier version" in meaning


def test_the_legend_names_every_code_and_says_member_states_have_columns(
    shipped_inputs, run, tmp_path
):
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", shipped_inputs, "--output", output)[0] == 0
    legend = openpyxl.load_workbook(output)["Legend"]
    rows = {r[0]: r[1] for r in legend.iter_rows(values_only=True) if r[0]}
    columns = rows["Regional groups and member states"]
    assert columns.startswith(
        "One column per regional group or member state: APT, ASMG, ATU, CEPT, CITEL, RCC, USA "
        "and B."
    )
    assert rows["B"] == "Brazil" and rows["SUI"] == "Switzerland" and rows["G"] == "United Kingdom"
    assert rows["CEPT"] == "European Conference of Postal and Telecommunications Administrations"
    label = next(c for c in legend["A"] if c.value == "Regional groups and member states")
    assert label.alignment.wrap_text  # a label too long for its column wraps, never cut


def test_dates_are_words_with_the_month_capitalised():
    import datetime as dt

    from pipeline.matrix import phrases

    # Months are the tool's own words, not strftime's %B, which follows the locale.
    assert phrases.day(dt.date(2026, 12, 1)) == "1 December 2026"
    assert phrases.day_and_time(dt.datetime(2024, 10, 1, 9, 5)) == "1 October 2024, 09:05 UTC"
    view = json.loads(golden.PUBLIC_VIEW.read_text(encoding="utf-8"))
    assert view["subtitle"] == "WTSA-24 · version 1 · as of 1 October 2024"  # not "october"
