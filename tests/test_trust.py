"""Changes, counts and messages you can trust: a comparison reports only what changed, and a
blank workbook copied over a full one is said plainly (issue 21)."""

from __future__ import annotations

import shutil

import openpyxl

RELEASES = ("outputs", "WTSA-24", "releases")
V1 = "WTSA-24_Issues_Matrix_v1_2024-10-01"


def release_v1(run, inputs, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")  # 2024-10-01
    status, _, err = run("release", "--inputs", inputs)
    assert status == 0, err
    return inputs.parent.joinpath(*RELEASES)


def compare(run, inputs, since, output):
    status, out, err = run("matrix", "--inputs", inputs, "--output", output, "--since", since)
    assert status == 0, err
    return out.splitlines()[-1], openpyxl.load_workbook(output)["Changes"]["A1"].value


def set_assessment(inputs, resolution: str, assessment: str) -> None:
    book = openpyxl.load_workbook(inputs / "outcomes.xlsx")
    sheet = book["Outcomes"]
    row = next(r for r in sheet.iter_rows(min_row=5) if str(r[0].value).startswith(resolution))
    row[3].value = assessment
    book.save(inputs / "outcomes.xlsx")


def test_the_same_inputs_have_no_changes_since_the_release_in_any_form(
    shipped_inputs, run, tmp_path, monkeypatch
):
    releases = release_v1(run, shipped_inputs, monkeypatch)
    emailed = tmp_path / "Downloads" / "matrix from Ana.xlsx"
    emailed.parent.mkdir()
    shutil.copy(releases / f"{V1}.xlsx", emailed)
    for since in (releases / f"{V1}.xlsx", releases / f"{V1}.json", emailed):
        line, sheet = compare(run, shipped_inputs, since, tmp_path / "now.xlsx")
        label = "v1 (2024-10-01)"
        assert (line, sheet) == (f"No changes since {label}.", f"No changes since {label}")


def test_an_outcome_changed_since_a_release_workbook_is_the_only_change(
    shipped_inputs, run, tmp_path, monkeypatch
):
    releases = release_v1(run, shipped_inputs, monkeypatch)
    set_assessment(shipped_inputs, "Res. 1 ", "Partly resolved")
    for since in (releases / f"{V1}.xlsx", releases / f"{V1}.json"):
        line, sheet = compare(run, shipped_inputs, since, tmp_path / "now.xlsx")
        assert line == (
            "No changes to proposals since v1 (2024-10-01); 1 outcome recorded, changed or removed."
        )
        assert sheet == line.rstrip(".")
        book = openpyxl.load_workbook(tmp_path / "now.xlsx")["Changes"]
        rows = [[v for v in r if v not in (None, "")] for r in book.iter_rows(values_only=True)]
        start = rows.index(["Outcomes recorded, changed or removed"])
        assert [r[:7] for r in rows[start + 2 :]] == [
            ["Changed", "Res. 1", "Assessment", "MODIFIED", "MODIFIED", "Resolved",
             "Partly resolved"],
        ]  # fmt: skip


def test_a_matrix_made_before_outcomes_does_not_make_every_outcome_new(
    shipped_inputs, run, tmp_path, monkeypatch
):
    kept = tmp_path / "outcomes.xlsx"
    shutil.move(shipped_inputs / "outcomes.xlsx", kept)
    releases = release_v1(run, shipped_inputs, monkeypatch)
    shutil.move(kept, shipped_inputs / "outcomes.xlsx")
    for since in (releases / f"{V1}.xlsx", releases / f"{V1}.json"):
        line, sheet = compare(run, shipped_inputs, since, tmp_path / "now.xlsx")
        assert (line, sheet) == (
            "No changes since v1 (2024-10-01).",
            "No changes since v1 (2024-10-01)",
        )
