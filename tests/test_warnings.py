"""No silent loss: a region that lost its proposals is a warning, and --strict stops on it."""

from __future__ import annotations

import subprocess

import pytest

from conftest import REPO, error_lines, write_region

ROWS = [
    [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""],
    ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", ""],
    [2, "MOD", "Doc 37 Add.3", "Mandates", "Medium", ""],
    [10, "NOC", "Doc 37 Add.4", "", "", ""],
    [100, "SUP", "Doc 37 Add.5", "Suppress", "None", ""],
]


def released(run, inputs, monkeypatch, rows=ROWS):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")  # 2024-09-30
    write_region(inputs, "APT", rows)
    status, _, err = run("release", "--inputs", inputs)
    assert status == 0, err
    monkeypatch.delenv("SOURCE_DATE_EPOCH")


def test_an_empty_region_workbook_is_a_warning_naming_what_it_had(inputs, run, monkeypatch):
    released(run, inputs, monkeypatch)
    write_region(inputs, "APT", [])  # an empty template copied over the full workbook
    status, out, err = run("matrix", "--inputs", inputs)
    assert status == 0
    assert err.splitlines() == [
        "regions/APT.xlsx: warning: has no proposals; was an empty template copied over it? "
        "It had 5 in release v1 (2024-09-30)."
    ]
    assert out.startswith("Wrote outputs/WTSA-24/WTSA-24_Issues_Matrix.xlsx: ")


def test_a_region_with_less_than_half_its_released_proposals_is_a_warning(inputs, run, monkeypatch):
    released(run, inputs, monkeypatch)
    write_region(inputs, "APT", ROWS[:3])  # 3 of 5: more than half, nothing to say
    assert run("validate", "--inputs", inputs)[2] == ""
    write_region(inputs, "APT", ROWS[:2])  # 2 of 5
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 0
    assert err.splitlines() == [
        "regions/APT.xlsx: warning: has 2 proposals, less than half the 5 it had in release "
        "v1 (2024-09-30); were rows deleted by mistake?"
    ]


def test_a_region_whose_workbook_is_gone_is_a_warning(inputs, run, monkeypatch):
    released(run, inputs, monkeypatch)
    (inputs / "regions" / "CEPT.xlsx").unlink()
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 0
    assert err.splitlines() == [
        "regions/CEPT.xlsx: warning: is missing: region CEPT had 2 proposals in release v1 "
        "(2024-09-30), and its column is now gone from the matrix"
    ]


def test_an_empty_workbook_without_any_release_is_said_plainly_not_warned_about(inputs, run):
    # A new group, or a new conference: nothing in it yet is a start, not a mistake.
    write_region(inputs, "CEPT", [])
    status, out, err = run("validate", "--inputs", inputs)
    assert (status, err) == (0, "")
    assert out.splitlines()[-1] == "CEPT has no proposals yet."
    status, out, err = run("matrix", "--inputs", inputs, "--strict")
    assert (status, err) == (0, "")
    assert out.splitlines()[1] == "CEPT has no proposals yet."


@pytest.mark.parametrize("command", ["matrix", "validate", "release"])
def test_strict_turns_warnings_into_errors_and_writes_nothing(
    inputs, run, tmp_path, monkeypatch, command
):
    released(run, inputs, monkeypatch)
    outputs = tmp_path / "outputs" / "WTSA-24"
    before = {p: p.read_bytes() for p in outputs.rglob("*") if p.is_file()}
    write_region(inputs, "APT", [])
    status, out, err = run(command, "--inputs", inputs, "--strict")
    assert status == 1
    assert out == ""
    assert error_lines(err) == [
        "regions/APT.xlsx: has no proposals; was an empty template copied over it? It had 5 in "
        "release v1 (2024-09-30)."
    ]
    outcome = {"matrix": "; no matrix was written.", "validate": ".", "release": "; no release "
               "was made."}[command]  # fmt: skip
    assert f"Error: 1 problem in 1 file{outcome}" in err.splitlines()
    after = {
        p: p.read_bytes() for p in outputs.rglob("*") if p.is_file() and "validation" not in p.parts
    }
    assert after == before  # the matrix and the releases exactly as they were


@pytest.mark.parametrize(
    ("target", "flags"),
    [
        ("matrix OUTPUT=out/m.xlsx STRICT=1", '--strict --output "out/m.xlsx"'),
        ("matrix SINCE=sent.xlsx", '--since "sent.xlsx"'),
        ("release STRICT=1", "--strict"),
        ("validate STRICT=1", "--strict"),
        ("templates FORCE=1", "--force"),
        ("templates-with-data FORCE=1", "--with-data --force"),
    ],
)
def test_make_passes_on_what_the_command_line_takes(target, flags):
    result = subprocess.run(
        ["make", "-n", "-s", *target.split()], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(".venv/bin/python -m pipeline "), last
    assert flags in last, last
