"""The workbook as it comes out of a printer: printed to PDF with LibreOffice, and read back
with poppler's pdftotext, which says on which page each word is and where.

These run where LibreOffice and poppler are installed (apt-get install libreoffice-calc-nogui
poppler-utils fonts-crosextra-carlito); where they are not, they are left out and the end of
the run says so (conftest.py).
"""

from __future__ import annotations

import collections
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from conftest import PDFTOTEXT, SOFFICE, codes
from pipeline.workbook import printing

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
    return printed_pages(workbook, tmp_path)[0]


def printed_pages(workbook: Path, tmp_path: Path) -> tuple[list[list[Word]], list[tuple]]:
    """The workbook printed to PDF by LibreOffice: the words on each page, and each page's
    width and height in points."""
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
    pages, sizes = [], []
    for page in ET.fromstring(xhtml).iter(f"{XHTML}page"):
        sizes.append((float(page.get("width")), float(page.get("height"))))
        pages.append(
            [
                Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                for w in page.iter(f"{XHTML}word")
            ]
        )
    return pages, sizes


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
def shipped_printed(shipped_matrices, tmp_path_factory):
    """The matrix of the shipped inputs (member states, outcomes) on A3 and on A4, each printed
    once for every test here: {paper: (the workbook, its pages, their sizes)}."""
    found = {}
    for paper in ("A3", "A4"):
        workbook = shipped_matrices(paper).path
        found[paper] = (workbook, *printed_pages(workbook, tmp_path_factory.mktemp(paper)))
    return found


def word_points(full_size: list[Word]) -> float:
    """What one point of type measures as a word's height in pdftotext's boxes (its font's
    ascent to descent), from words known to print at 11 points, full size."""
    heights = collections.Counter(round(w.bottom - w.top, 2) for w in full_size)
    return heights.most_common(1)[0][0] / printing.FONT_POINTS


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_the_printed_matrix_keeps_the_type_and_the_pages_wide_the_code_promises(
    shipped_printed, paper
):
    """What printing.py promises, measured on LibreOffice's PDF: no type on any page smaller
    than the legible size, the Matrix sheet over as many pages wide as matrix_sheet.py's
    widths were chosen for (two on A3, three on A4), every page the chosen paper."""
    workbook, pages, page_sizes = shipped_printed[paper]
    book = openpyxl.load_workbook(workbook)
    paper_size = sorted(printing.PAGE_POINTS[paper])
    for number, size in enumerate(page_sizes, start=1):
        assert sorted(size) == pytest.approx(paper_size, abs=0.1), (
            number,
            size,
        )  # LibreOffice: 0.01 mm
    # The Summary prints first and full size (narrower than the page: fitting it to the
    # page's width leaves it as it is): its body text measures what 11 points measure.
    summary = [w for w in pages[0] if w.top > 90]  # under the title block
    assert book.sheetnames[0] == "Summary" and summary
    one_point = word_points(summary)
    smallest = min(
        (round((w.bottom - w.top) / one_point, 2), number)
        for number, page in enumerate(pages, start=1)
        for w in page
    )
    least = printing.LEGIBLE_POINTS[paper]
    assert smallest[0] >= least - 0.05, smallest  # 0.05: the boxes' rounding
    submitters = codes(book["Matrix"][2])[7:15]
    matrix = matrix_pages(pages, submitters)
    sizes = {round((w.bottom - w.top) / one_point, 1) for page in matrix for w in page}
    assert min(sizes) == pytest.approx(least, abs=0.1)  # the matrix at the legible size
    # Each band of rows prints across its pages in turn: a first page (Topic beside the
    # resolution), then the rest of the groups, the same number of pages for every band.
    firsts = [i for i, p in enumerate(matrix) if [w.text for w in header_line(p)][2] == "Topic"]
    wide = {"A3": 2, "A4": 3}[paper]
    assert firsts == list(range(0, len(matrix), wide)), (len(matrix), firsts)
    assert len(matrix) == wide * len(firsts)  # the last band whole too
    assert len(firsts) >= 4  # the shipped matrix is several bands of rows long
    # Every group prints on one page of the band and each page wide shows some: all eight
    # codes over the band's pages, none twice.
    seen = [
        {w.text for w in matrix[first + i] if w.text in submitters}
        for i in range(wide)
        for first in firsts[:1]
    ]
    assert all(seen) and set().union(*seen) == set(submitters), seen


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_the_overall_concern_and_outcome_print_beside_their_resolution(shipped_printed, paper):
    workbook, pages, _ = shipped_printed[paper]
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
    # Fitted to the page's width on A3, the team's list, with its notes and sources, still
    # prints at 7 points or more (the Summary, first and full size, says what a point is).
    one_point = word_points([w for w in pages[0] if w.top > 90])
    assert min(w.bottom - w.top for w in page) / one_point >= 7.0 - 0.05
