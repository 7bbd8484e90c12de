from __future__ import annotations

import openpyxl

from conftest import error_lines, write_region
from pipeline.config import Config, load_config

ROW = [64, "MOD", "Doc 1", "Summary", "Low"]


def test_defaults_without_matrix_toml(inputs):
    config, problems = load_config(inputs)
    assert problems == []
    assert config == Config()
    assert (config.conference, config.matrix_title, config.output_name) == (
        "WTSA-24",
        "WTSA-24 Issues Matrix",
        "WTSA-24_Issues_Matrix.xlsx",
    )


def test_settings_are_read(inputs):
    (inputs / "matrix.toml").write_text(
        'conference = "PP-26"\ntitle = "Plenipot tracker"\nregions = ["cept", "APT"]\n'
        'output = "pp.xlsx"\nnotice = "Draft"\n'
    )
    config, problems = load_config(inputs)
    assert problems == []
    assert config == Config("PP-26", "Plenipot tracker", ("CEPT", "APT"), "pp.xlsx", "Draft")


def test_region_order_follows_matrix_toml_and_default_is_alphabetical(inputs, run, tmp_path):
    write_region(inputs, "ATU", [ROW])
    run("matrix", "--inputs", inputs, "--output", tmp_path / "a.xlsx")
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "a.xlsx")["Matrix"][6]]
    assert header[4:7] == ["APT", "ATU", "CEPT"]

    (inputs / "matrix.toml").write_text('regions = ["CEPT", "ATU", "APT"]\n')
    run("matrix", "--inputs", inputs, "--output", tmp_path / "b.xlsx")
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "b.xlsx")["Matrix"][6]]
    assert header[4:7] == ["CEPT", "ATU", "APT"]


def test_output_name_from_matrix_toml_is_the_default_output(inputs, run, tmp_path, monkeypatch):
    (inputs / "matrix.toml").write_text('conference = "PP-26"\n')
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("matrix", "--inputs", inputs)
    assert status == 0
    assert (tmp_path / "outputs" / "PP-26_Issues_Matrix.xlsx").is_file()
    assert out.startswith("Wrote outputs/PP-26_Issues_Matrix.xlsx: ")


def test_mistakes_in_matrix_toml_are_reported_with_the_rest(inputs, run):
    (inputs / "matrix.toml").write_text(
        'conference = ""\nregoins = ["APT"]\nregions = ["APT", "CEPT", "RCC", "A B"]\n'
        'output = "../elsewhere.xlsx"\n'
    )
    write_region(inputs, "ATU", [ROW])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml: 'conference' must be a non-empty text",
        "matrix.toml: unknown setting 'regoins'; the settings are conference, title, regions, "
        "output, notice",
        "matrix.toml: region code 'A B' may hold only letters, digits, - and _",
        "matrix.toml: 'output' must be a plain file name ending in .xlsx, not '../elsewhere.xlsx'",
        "regions/ATU.xlsx: region ATU is not in the 'regions' list of matrix.toml (APT, CEPT, "
        "RCC); add it there or move the file out",
        "regions/RCC.xlsx: matrix.toml lists region RCC, but there is no workbook for it in "
        "regions/",
    ]


def test_broken_toml_names_the_line(inputs, run):
    (inputs / "matrix.toml").write_text('conference = "WTSA-24"\nregions = [APT]\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == ["matrix.toml: cannot be read: Invalid value (at line 2, column 12)"]
