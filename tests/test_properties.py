"""Invariants that hold for any region workbook an analyst (or a program) might write.

Hypothesis builds region workbooks from keys in every accepted spelling (and some that are
not), text from every corner of Unicode (astral planes, right-to-left, combining marks, control
characters, text that starts with `=`), blank rows, title rows, columns in any order, and the
whole pipeline runs on each. Whatever it is given:

- it never ends in a traceback or "an unexpected failure" (exit 3);
- exit 0 means every typed proposal is on the Proposals sheet, its summary word for word and
  as text, and as many proposals out as in;
- exit 1 means at least one line naming a place, and an earlier matrix left as it was;
- the inputs are byte for byte what they were.

`make test` runs a few examples with a fixed seed; `make fuzz` runs thousands.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import python_calamine as calamine
import xlsxwriter
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import CATALOGUE_ROWS, write_catalogue
from pipeline.cli import main

FIELDS = ["Resolution", "Action", "Document", "Summary", "Concern", "Notes"]
LOCATED = re.compile(r"^(regions/|resolutions\.xlsx|matrix\.toml)[^:]*(:|, line )")

NUMBERS = [row[0] for row in CATALOGUE_ROWS if isinstance(row[0], int)]
DRAFTS = [row[0] for row in CATALOGUE_ROWS if isinstance(row[0], str)]
OTHER_DIGITS = {"arabic-indic": 0x0660, "full-width": 0xFF10, "devanagari": 0x0966}


def _in_digits(number: int, zero: int) -> str:
    return "".join(chr(zero + int(d)) for d in str(number))


@st.composite
def keys(draw, clean: bool = False) -> str:
    """A resolution as an analyst may type it: numbered or draft, in any accepted spelling,
    and (unless `clean`) now and then something that is not a key at all."""
    if draw(st.booleans()):
        number = draw(st.sampled_from(NUMBERS if clean else [*NUMBERS, 999]))
        digits = draw(
            st.sampled_from(
                [str(number), f"0{number}", *(_in_digits(number, z) for z in OTHER_DIGITS.values())]
            )
        )
        spelling = draw(
            st.sampled_from(
                ["{}", "{}.0", "Res. {}", "Res {}", "res.{}", "Resolution {}",
                 "Res. {} (Rev. Geneva, 2022)", "Res. {} — A title from the dropdown", " {} "]
            )
        )  # fmt: skip
        return spelling.format(digits)
    odd = [] if clean else ["NEW-UNKNOWN", "Rec. 64", "sixty-four", "0" * 300]
    choice = draw(st.sampled_from([*DRAFTS, *odd]))
    return draw(st.sampled_from([choice, choice.lower(), f" {choice} "]))


#: Every kind of character: Latin, Arabic and Hebrew (right to left), CJK, astral (emoji,
#: mathematical letters), combining marks, zero-width and control characters.
ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    exclude_characters="\r\ufffe\uffff",  # XML reads \r as \n; U+FFFE/U+FFFF are not text
)
TEXT = st.one_of(
    st.text(ALPHABET, max_size=120),
    st.text(st.sampled_from("=+-@ abcXYZ😀𝔄ﺏש\u0301\u200f\x01\x1f\t\n"), max_size=60),
    st.builds(lambda t: "=" + t, st.text(ALPHABET, max_size=20)),
)


@st.composite
def proposals(draw) -> list[dict]:
    """Rows of proposals: half the time only what the rules accept (so that matrices get
    built and checked), otherwise anything."""
    clean = draw(st.booleans())
    rows = []
    for index in range(draw(st.integers(min_value=0 if not clean else 1, max_value=8))):
        key = draw(keys(clean))
        is_draft = "NEW-" in key.upper()
        if clean:
            action = "ADD" if is_draft else draw(st.sampled_from(["MOD", "mod ", " Sup", "NOC"]))
            concern = draw(st.sampled_from(["High", "medium", " LOW ", "None"]))
            summary = draw(TEXT.filter(str.strip))
            document = f"Doc 37 Add.{index + 1}"
        else:
            action = draw(st.sampled_from(["MOD", "mod ", " Mod", "ADD", "SUP", "NOC", "MDO", ""]))
            concern = draw(st.sampled_from(["High", "medium", " LOW ", "None", "", "Bad"]))
            summary = draw(TEXT)
            document = draw(st.sampled_from([f"Doc 37 Add.{index + 1}", ""]))
        rows.append(
            {
                "Resolution": key,
                "Action": action,
                "Document": document,
                "Summary": summary,
                "Concern": concern,
                "Notes": draw(TEXT),
            }
        )
    return rows


@st.composite
def layouts(draw) -> dict:
    return {
        "title_rows": draw(st.integers(min_value=0, max_value=3)),
        "order": draw(st.permutations(FIELDS)),
        "extra": draw(st.booleans()),
        "blank_after": draw(st.sets(st.integers(min_value=0, max_value=8), max_size=3)),
    }


def write_workbook(path: Path, rows: list[dict], layout: dict) -> None:
    """The rows as a region workbook, written by xlsxwriter (which, unlike openpyxl, writes
    any character, control characters included, as Excel does)."""
    book = xlsxwriter.Workbook(
        path, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Proposals")
    row = 0
    for i in range(layout["title_rows"]):
        sheet.write_string(row, 0, f"Title row {i + 1} above the header")
        row += 1
    header = [*layout["order"], *(["Owner"] if layout["extra"] else [])]
    for col, name in enumerate(header):
        sheet.write_string(row, col, name)
    for index, record in enumerate(rows):
        row += 1
        for col, name in enumerate(layout["order"]):
            if record[name]:
                sheet.write_string(row, col, record[name])
        if layout["extra"]:
            sheet.write_string(row, len(layout["order"]), "Ana")
        if index in layout["blank_after"]:
            row += 1  # a blank row
    book.close()


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def proposals_sheet(path: Path) -> list[list]:
    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        return book.get_sheet_by_name("Proposals").to_python()[1:]


@settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # capsys is read out for every example
    ]
)
@pytest.mark.slow
@given(rows=proposals(), layout=layouts())
def test_any_region_workbook_gives_a_matrix_or_located_lines_and_never_a_failure(
    rows, layout, capsys, validating
):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inputs = base / "inputs"
        write_catalogue(inputs)
        (inputs / "regions").mkdir()
        write_workbook(inputs / "regions" / "APT.xlsx", rows, layout)
        output = base / "out" / "matrix.xlsx"
        output.parent.mkdir()
        output.write_bytes(b"the matrix sent yesterday")
        before = snapshot(inputs)

        capsys.readouterr()
        status = main(["matrix", "--inputs", str(inputs), "--output", str(output),
                       "--marked", str(base / "marked")])  # fmt: skip
        err = capsys.readouterr().err

        assert "Traceback" not in err and "unexpected failure" not in err, err
        assert status in (0, 1), err
        assert snapshot(inputs) == before
        event(f"exit {status}")
        if status == 1:
            assert any(LOCATED.match(line) for line in err.splitlines()), err
            assert output.read_bytes() == b"the matrix sent yesterday"
            return
        typed = [r for r in rows if any(v.strip() for v in r.values())]
        written = proposals_sheet(output)
        assert len(written) == len(typed)
        assert sorted(r[6] for r in written) == sorted(r["Summary"].strip() for r in typed)
