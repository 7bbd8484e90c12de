from __future__ import annotations

import dataclasses
import re
import zipfile

import openpyxl
import pytest

from conftest import codes, error_lines, write_region
from pipeline.reading.matrix_toml import MatrixOptions, load_config
from pipeline.words import excel

ROW = [64, "MOD", "Doc 1", "Summary", "Low"]


def test_defaults_without_matrix_toml(inputs):
    config, problems = load_config(inputs)
    assert problems == []
    assert config == MatrixOptions()
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
    assert config == MatrixOptions(
        "PP-26", "Plenipot tracker", ("CEPT", "APT"), "pp.xlsx", "Draft", "A3"
    )


def test_region_order_follows_matrix_toml_and_default_is_alphabetical(inputs, run, tmp_path):
    write_region(inputs, "ATU", [ROW])
    run("matrix", "--inputs", inputs, "--output", tmp_path / "a.xlsx")
    header = codes(openpyxl.load_workbook(tmp_path / "a.xlsx")["Matrix"][1])
    assert header[5:8] == ["APT", "ATU", "CEPT"]

    (inputs / "matrix.toml").write_text('regions = ["CEPT", "ATU", "APT"]\n')
    run("matrix", "--inputs", inputs, "--output", tmp_path / "b.xlsx")
    header = codes(openpyxl.load_workbook(tmp_path / "b.xlsx")["Matrix"][1])
    assert header[5:8] == ["CEPT", "ATU", "APT"]


def test_output_name_from_matrix_toml_is_the_default_output(inputs, run, tmp_path, monkeypatch):
    (inputs / "matrix.toml").write_text('conference = "PP-26"\n')
    monkeypatch.chdir(tmp_path)
    status, out, _ = run("matrix", "--inputs", inputs)
    assert status == 0
    assert (tmp_path / "outputs" / "PP-26" / "PP-26_Issues_Matrix.xlsx").is_file()
    assert out.startswith("Wrote outputs/PP-26/PP-26_Issues_Matrix.xlsx: ")


def test_mistakes_in_matrix_toml_are_reported_with_the_rest(inputs, run):
    (inputs / "matrix.toml").write_text(
        'conference = ""\nregoins = ["APT"]\nregions = ["APT", "CEPT", "RCC", "A B"]\n'
        'output = "../elsewhere.xlsx"\n'
    )
    write_region(inputs, "ATU", [ROW])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 1: 'conference' must be a non-empty text",
        "matrix.toml, line 2: unknown setting 'regoins'; the settings are conference, name, "
        "place, dates, mandate, title, regions, members, output, notice, paper, document_url, "
        "publish, names",
        "matrix.toml, line 3: region code 'A B' may hold only letters, digits, - and _",
        "matrix.toml, line 4: 'output' must be a plain file name ending in .xlsx, not "
        "'../elsewhere.xlsx'",
        "regions/ATU.xlsx: region ATU is not in the 'regions' list of matrix.toml (APT, CEPT, "
        "RCC); add it there or move the file out",
        "regions/RCC.xlsx: matrix.toml lists region RCC, but there is no workbook for it in "
        "regions/; make templates writes a blank one, outputs/WTSA-24/templates/RCC.xlsx: copy "
        "it into regions/ (or remove RCC from the 'regions' list)",
    ]


def test_mistakes_in_the_publish_table_name_their_lines(inputs, run):
    (inputs / "matrix.toml").write_text(
        'conference = "WTSA-24"\n\n[publish]\norganisation = "Team"\nlicense = "CC BY 4.0"\n'
        'analysis = "yes"\nurl = 7\npaper = "A4"\n'
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 5: unknown setting 'license' in [publish]; the settings are "
        "organisation, licence, url, analysis",
        "matrix.toml, line 6: 'analysis' in [publish] must be true or false",
        "matrix.toml, line 7: 'url' in [publish] must be a text in double quotes",
        "matrix.toml, line 8: 'paper' is under [publish], where it does not belong; move the "
        "line above the [publish] line (settings after [publish] belong to it)",
    ]


def test_broken_toml_names_the_line_in_plain_words(inputs, run):
    (inputs / "matrix.toml").write_text('conference = "WTSA-24"\nregions = [APT]\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 2: the value is not valid; write a text in double quotes, like "
        'title = "My matrix", and a list of regions in brackets, like regions = ["APT", "CEPT"] '
        "(the line reads: regions = [APT])"
    ]
    assert (
        "Hint: Correct matrix.toml (it opens in any text editor), save it, and run again."
        in err.splitlines()
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            'conference = "WTSA-24"\ntitle = "Unfinished\n',
            "matrix.toml, line 2: a text is not closed: it must end with a double quote "
            '(the line reads: title = "Unfinished)',
        ),
        (
            'notice = "a"\nnotice = "b"\n',
            "matrix.toml, line 2: this setting is given twice; keep one of them "
            '(the line reads: notice = "b")',
        ),
        (
            "conference WTSA-24\n",
            'matrix.toml, line 1: this line is not a setting; a setting reads name = "value" '
            "(the line reads: conference WTSA-24)",
        ),
    ],
)
def test_each_kind_of_broken_toml_gets_its_own_words(inputs, run, text, line):
    (inputs / "matrix.toml").write_text(text)
    status, _, err = run("validate", "--inputs", inputs)
    assert (status, error_lines(err)) == (1, [line])


def test_a_byte_order_mark_is_accepted(inputs):
    (inputs / "matrix.toml").write_bytes('\ufefftitle = "With a BOM"\n'.encode())
    config, problems = load_config(inputs)
    assert (config.matrix_title, problems) == ("With a BOM", [])


@pytest.mark.parametrize(("typed", "paper"), [("a4", "A4"), ("Letter", "Letter"), (" A3 ", "A3")])
def test_paper_is_read_case_insensitively(inputs, typed, paper):
    (inputs / "matrix.toml").write_text(f'paper = "{typed}"\n')
    config, problems = load_config(inputs)
    assert (config.paper, problems) == (paper, [])


def test_unknown_paper_and_a_notice_too_long_for_the_page_header_are_errors(inputs, run):
    (inputs / "matrix.toml").write_text(f'paper = "B5"\nnotice = "{"x" * 201}"\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 1: 'paper' must be one of A3, A4, Letter, Legal, not 'B5'",
        "matrix.toml, line 2: 'notice' is 201 characters; it is printed at the top of every "
        "page, where at most 200 fit: shorten it",
    ]


def test_a_notice_whose_ampersands_overflow_the_page_header_is_an_error(inputs, run):
    # 200 characters, within the notice's limit; printing doubles each &: 256 in the header.
    (inputs / "matrix.toml").write_text(f'notice = "{"x" * 163}{"&" * 37}"\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 1: 'notice' does not fit in the header of the printed pages, where "
        "Excel allows 255 characters: it makes one of 256 (each & counts twice, and the "
        "header's own codes take some); shorten it, or write 'and' for some of its 37 & signs",
    ]


def test_a_notice_just_inside_the_page_header_is_on_every_printed_page(inputs, run, tmp_path):
    notice = "x" * 164 + "&" * 36  # a header of exactly 255
    (inputs / "matrix.toml").write_text(f'notice = "{notice}"\n')
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    with zipfile.ZipFile(output) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        headers = [
            re.findall(r"<oddHeader>([^<]*)</oddHeader>", book.read(n).decode()) for n in sheets
        ]
    expected = '&amp;C&amp;"-,Bold"&amp;K9C0006' + "x" * 164 + "&amp;" * 72
    assert len(sheets) > 3
    assert headers == [[expected]] * len(sheets)


def test_every_built_header_and_footer_is_checked_against_excels_limit():
    page = excel.Page("&" * 300, excel.LONGEST_EDITION, "n" * 236)
    assert len(excel.header(page)) == 255
    assert excel.fits(excel.header(page))
    assert not excel.fits(excel.header(dataclasses.replace(page, notice="n" * 235 + "&")))
    # The title is cut to fit the footer, whatever it holds.
    assert excel.footer(page) == (
        "&L" + "&&" * 79 + "…&CPage &P of &N&RVersion 9999 · as of 30 September 2024"
    )
    assert excel.fits(excel.footer(page))
