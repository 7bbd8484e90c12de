"""The command as an analyst runs it: real processes, exit statuses, and nothing but plain lines."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from conftest import CHECKOUT_ENV, write_region


def pipeline(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=cwd,
        env=CHECKOUT_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_invalid_inputs_exit_1_with_plain_lines_only(inputs, tmp_path):
    write_region(
        inputs, "APT", [[64, "MDO", "Doc 1", "x", "Low", ""], [65, "MOD", "Doc 2", "x", "Bad", ""]]
    )
    result = pipeline("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "regions/APT.xlsx:Proposals!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC",
        "regions/APT.xlsx:Proposals!A5: Resolution '65' is not in the catalogue "
        "(resolutions.xlsx); correct it, or add the resolution to the catalogue",
        "regions/APT.xlsx:Proposals!E5: Concern 'Bad' is not one of High, Medium, Low, None",
        "Error: 3 problems in 1 file; no matrix was written.",
        "Hint: Correct the cells named above in your workbooks, save them, and run again.",
        "Copies with these cells marked, to look at: outputs/WTSA-24/validation/regions/APT.xlsx",
        "The list of problems: outputs/WTSA-24/validation/index.txt",
    ]
    assert not (tmp_path / "m.xlsx").exists()


@pytest.mark.slow
def test_valid_inputs_exit_0_quietly(inputs, tmp_path):
    result = pipeline("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bars or warnings from the libraries
    assert result.stdout == (
        f"Wrote {tmp_path / 'm.xlsx'}: 6 resolutions × 2 regional groups, 4 proposals.\n"
        "No earlier version to compare with (make release files one).\n"
    )


def test_missing_inputs_folder_exits_1(tmp_path):
    result = pipeline("validate", "--inputs", tmp_path / "nowhere")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: the inputs folder '{tmp_path / 'nowhere'}' does not exist",
        "Hint: Run the command from the project folder, or give the folder with --inputs.",
    ]


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        ([], "Error: the following arguments are required: COMMAND"),
        (["matrix", "--colour"], "Error: unrecognized arguments: --colour"),
        (
            ["build"],
            "Error: argument COMMAND: invalid choice: 'build' (choose from matrix, validate, "
            "release, watch, templates, publish, new, clean)",
        ),
    ],
)
def test_wrong_usage_exits_2_with_a_hint(args, first_line):
    result = pipeline(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].replace("'", "").replace("build", "'build'") == first_line
    assert lines[1].startswith("Hint: run 'python -m pipeline")
    assert "Traceback" not in result.stderr


def test_help_gives_examples():
    result = pipeline("--help")
    assert result.returncode == 0
    assert "python -m pipeline matrix --inputs inputs --output" in result.stdout
    sub = pipeline("matrix", "--help")
    assert "example:\n  python -m pipeline matrix --output outputs/draft.xlsx" in sub.stdout


def test_validating_alongside_or_in_turn_gives_the_same_matrix(inputs, tmp_path, run, monkeypatch):
    from pipeline.checking import validate

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")
    monkeypatch.setattr(validate, "_start_method", lambda: "fork")  # GX is loaded here already
    outputs = {}
    for parallel in ("1", "0"):
        monkeypatch.setenv("PIPELINE_PARALLEL", parallel)
        output = tmp_path / f"parallel-{parallel}.xlsx"
        status, _, err = run("matrix", "--inputs", inputs, "--output", output)
        assert status == 0, err
        outputs[parallel] = output.read_bytes()
    assert outputs["1"] == outputs["0"]


@pytest.mark.slow
def test_watch_ends_cleanly_on_ctrl_c(inputs, tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "watch",
            "--inputs",
            inputs,
            "--output",
            tmp_path / "live.xlsx",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=CHECKOUT_ENV,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    first = [process.stdout.readline(), process.stdout.readline()]
    assert first[0] == f"Watching {inputs} (Ctrl-C to stop).\n"
    assert "matrix updated in" in first[1]
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (0, "Stopped watching.\n", "")
    assert (tmp_path / "live.xlsx").is_file()
