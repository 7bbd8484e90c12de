"""The workbook as it comes out of a printer: printed to PDF with LibreOffice, and read back
with poppler's pdftotext, which says on which page each word is and where.

These run where LibreOffice and poppler are installed (apt-get install libreoffice-calc-nogui
poppler-utils fonts-crosextra-carlito); where they are not, they are left out and the end of
the run says so (conftest.py).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from conftest import PDFTOTEXT, SHIPPED_INPUTS, SOFFICE, codes
from pipeline.cli import main

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
XHTML = "{http://www.w3.org/1999/xhtml}"
CONCERN_FIRST_WORDS = {"High", "Medium", "Low", "No"}  # "High concern", ..., "No proposals"


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


def printed(workbook: Path, tmp_path: Path) -> list[list[Word]]:
    """Every page of the workbook printed to PDF by LibreOffice, as the words on it."""
    out = tmp_path / "printed"
    # A profile of its own: a LibreOffice already running for someone else is not disturbed.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = out / (workbook.stem + ".pdf")
    xhtml = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=120
    ).stdout
    pages = []
    for page in ET.fromstring(xhtml).iter(f"{XHTML}page"):
        pages.append(
            [
                Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                for w in page.iter(f"{XHTML}word")
            ]
        )
    return pages


def header_line(page: list[Word]) -> list[Word]:
    """The words of the line that starts with "Resolution" at the left of the page: the Matrix
    sheet's header row (empty on a page that has none)."""
    starts = [w for w in page if w.text == "Resolution"]
    if not starts:
        return []
    first = min(starts, key=lambda w: (w.top, w.left))
    return sorted((w for w in page if abs(w.top - first.top) < 2), key=lambda w: w.left)


def matrix_pages(pages: list[list[Word]], codes: list[str]) -> list[list[Word]]:
    """The Matrix sheet's pages: a header that starts Resolution, Title, then the Topic or one
    of the groups (the Outcomes sheet's table starts Resolution, Title, Outcome)."""
    found = []
    for page in pages:
        line = header_line(page)
        words = [w.text for w in line]
        if words[:2] != ["Resolution", "Title"]:
            continue
        # A group's heading is its code over its name, centred in the header row: the code
        # prints up to a line above "Resolution", so it is looked for in that band.
        top = line[0].top
        heading = [w for w in page if w.text in codes and top - 14 < w.top <= top + 2]
        if (len(words) > 2 and words[2] == "Topic") or heading:
            found.append(page)
    return found


def column(page: list[Word], first: str, last: str | None = None) -> tuple[float, float]:
    """The left and right of a header cell's words (one or two words) on the header line."""
    line = header_line(page)
    start = next(i for i, w in enumerate(line) if w.text == first)
    end = start + 1 if last is not None else start
    assert last is None or line[end].text == last
    return line[start].left, line[end].right


@pytest.fixture(scope="module")
def shipped_printed(tmp_path_factory):
    """The matrix built from the shipped inputs (member states, outcomes, on A3 and A4), each
    printed; (paper, the workbook, its pages)."""
    found = {}
    for paper in ("A3", "A4"):
        folder = tmp_path_factory.mktemp(paper)
        inputs = Path(shutil.copytree(SHIPPED_INPUTS, folder / "inputs"))
        toml = inputs / "matrix.toml"
        toml.write_text(f'paper = "{paper}"\n' + toml.read_text())
        output = folder / "matrix.xlsx"
        assert main(["matrix", "--inputs", str(inputs), "--output", str(output)]) == 0
        found[paper] = (output, printed(output, folder))
    return found


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_the_overall_concern_and_outcome_print_beside_their_resolution(shipped_printed, paper):
    workbook, pages = shipped_printed[paper]
    sheet = openpyxl.load_workbook(workbook)["Matrix"]
    submitters = codes(sheet[2])[7:15]  # the headings' codes, their names under them
    matrix = matrix_pages(pages, submitters)
    first_pages = [p for p in matrix if [w.text for w in header_line(p)][2] == "Topic"]
    assert len(first_pages) >= 4 and len(matrix) > len(first_pages)  # bands of several pages
    for number, page in enumerate(matrix, start=1):
        words = {w.text for w in header_line(page)}
        # Overall concern, Outcome and Assessment print on the first page of each band, with
        # the resolution's topic and priority, and on no other page. (The Resolution and Title
        # repeat on every page; where LibreOffice lacks Calibri's metrics, Carlito, its wider
        # columns may push APT onto the next page, so which groups follow is not asked here.)
        beside = {"Overall", "Outcome", "Assessment"} <= words
        assert beside == (page in first_pages), (number, sorted(words))
    for page in first_pages:
        key_left, key_right = column(page, "Resolution")
        overall_left, overall_right = column(page, "Overall", "concern")
        header_bottom = max(w.bottom for w in header_line(page))
        keys = [
            w
            for w in page
            if w.top > header_bottom
            and w.right <= key_right + 20
            and (w.text == "Res." or w.text.startswith("NEW-"))
        ]
        assert keys
        for key in keys:
            # The row's overall concern is on the same line as its key, in its column.
            concern = [
                w
                for w in page
                if abs(w.top - key.top) < 2
                and overall_left - 20 <= w.left
                and w.right <= overall_right + 20
            ]
            assert concern and concern[0].text in CONCERN_FIRST_WORDS, (paper, key.text)
        assert key_left < overall_left


def test_the_changes_sheet_prints_on_one_page_wide_with_no_word_cut(
    inputs, run, tmp_path, monkeypatch
):
    from test_print import released_with_changes  # the same two releases, printed here

    books = released_with_changes(run, inputs, tmp_path, monkeypatch)
    workbook = next((tmp_path / "outputs" / "WTSA-24" / "releases").glob("*_v2_*.xlsx"))
    sheet = books["team"]["Changes"]
    # The Changes sheet's pages: a header line that starts Change, Resolution, Region.
    starts = ["Change", "Resolution", "Region"]
    pages = printed(workbook, tmp_path)
    changes = [p for p in pages if [w.text for w in header_line(p)][:3] == starts]
    assert len(changes) == 1  # the whole sheet: a few changes, one page
    title = sheet["A1"].value.split()
    page = changes[0]
    printed_words = {w.text for w in page}
    # One page wide: the proposals table's first and last header, the title whole.
    assert {"Change", "Source"} <= printed_words
    assert set(title) <= printed_words
    # No word of any cell is cut or broken over two lines.
    typed = {
        word
        for row in sheet.iter_rows(min_row=3)
        for cell in row
        for word in str(cell.value or "").split()
    }
    assert typed and typed <= printed_words, sorted(typed - printed_words)
