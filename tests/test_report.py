"""The PDF edition as a report (report.py): A4 portrait, the summary first, a block per
resolution with a paragraph per proposal, no word broken, the changes whole, tagged, its fonts
embedded, every public proposal in it and nothing internal.

Its text is read with poppler's pdftotext (`-raw`: the lines in the order they are drawn, with
every hyphen where it is); the tests that need it are skipped where poppler is missing."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pypdf
import pytest

from conftest import (
    RELEASE_EPOCH,
    SHIPPED_INPUTS,
    Release,
    all_rows,
    resolution_key,
    working_in,
    write_region,
)
from pipeline.build import release
from pipeline.editions import report
from pipeline.matrix.view import MatrixView
from pipeline.publish import public_view, publish

#: The grid the PDF was before it became a report: 17 A4 pages for the shipped data (20 once
#: the summary was added in front of it).
GRID_PAGES = 17
V1, V2 = "1728864000", "1729468800"  # 14 and 21 October 2024

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdffonts")),
    reason="poppler (pdftotext, pdfinfo, pdffonts) is not installed",
)


@dataclass(frozen=True)
class Edition:
    pdf: Path
    view: MatrixView
    html: str  # the report's HTML, as WeasyPrint printed it


def _edition(shipped: Release, epoch: str) -> Edition:
    """The latest release's public edition: its PDF, the view laid out and the report's HTML."""
    view = public_view(shipped.settings(epoch)).view
    stem = f"WTSA-24_Issues_Matrix_v{view.release}"
    return Edition(shipped.outputs / "publish" / stem / f"{stem}.pdf", view, report.html(view))


@pytest.fixture(scope="module")
def shipped(shipped_release) -> Edition:
    """The public edition of the shipped inputs' first release (the session's)."""
    assert RELEASE_EPOCH == V1
    return _edition(shipped_release, V1)


@pytest.fixture(scope="module")
def changed(shipped_release, tmp_path_factory) -> Edition:
    """A second published version, in which APT, CEPT and RCC redrafted six summaries each."""
    copy = tmp_path_factory.mktemp("v2") / "released"
    work = Release(Path(shutil.copytree(shipped_release.work, copy)))
    for code in ("APT", "CEPT", "RCC"):
        path = work.inputs / "regions" / f"{code}.xlsx"
        book = openpyxl.load_workbook(path)
        rows = list(book["Proposals"].iter_rows())
        at = next(i for i, r in enumerate(rows) if any(c.value == "Summary" for c in r))
        column = [c.value for c in rows[at]].index("Summary")
        redrafted = [r[column] for r in rows[at + 1 :] if r[column].value][:6]
        for cell in redrafted:
            cell.value += " (redrafted at the regional meeting)"
        book.save(path)
    with working_in(work.work):
        release(work.settings(V2))
        publish(work.settings(V2))
    return _edition(work, V2)


def typed_proposals(inputs: Path) -> list[dict]:
    """Every proposal typed into the shipped workbooks, read with openpyxl on its own."""
    found = []
    for path in sorted([*inputs.glob("regions/*.xlsx"), *inputs.glob("members/*.xlsx")]):
        rows = all_rows(path, "Proposals")
        at = next(i for i, r in enumerate(rows) if r and r[0] == "Resolution")
        for row in rows[at + 1 :]:
            if any(row):
                found.append({"Group": path.stem, **dict(zip(rows[at], row, strict=False))})
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_text(pdf: Path) -> list[str]:
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True)
    assert raw.returncode == 0, raw.stderr
    return raw.stdout.split("\f")[:-1]


def body_lines(page: str, notice: str) -> list[str]:
    """A page's lines without its running header (the notice) and footer (title, edition,
    page number), and without the list bullets pdftotext gives a line of their own."""
    lines = [line for line in page.splitlines() if line.strip() and line.strip() != "•"]
    assert re.search(r"Page \d+ of \d+$", lines[-1]), lines[-1]
    lines = lines[:-1]
    for count in (1, 2, 3):
        if flat(" ".join(lines[-count:])) == notice:
            return lines[:-count]
    return lines


def body_text(pdf: Path, notice: str) -> str:
    """The report's text, its lines joined as they were broken: after a word's own hyphen or
    slash (Study-|group, telecommunication/|information), with nothing; elsewhere, with a
    space."""
    text = ""
    for page in pages_text(pdf):
        for line in body_lines(page, notice):
            joined = text[-2:-1].isalnum() and text[-1:] in ("-", "/")
            text += line if joined or not text else " " + line
    return flat(text)


class _Text(HTMLParser):
    """The text of an HTML page as a reader sees it: a space between blocks, none between
    inline elements, no styles."""

    BLOCKS = frozenset(("p", "li", "h1", "h2", "h3", "div", "section", "header", "main"))
    BLOCKS |= {"table", "tr", "td", "th", "ul"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "title")
        self.parts.append(" " if tag in self.BLOCKS else "")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "title")
        self.parts.append(" " if tag in self.BLOCKS else "")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return flat("".join(parser.parts))


def broken_words(edition: Edition) -> list[tuple[int, str, str]]:
    """Every line break of the PDF that falls inside a word: (page, end of the line, start of
    the next). A break is fine where the HTML has a space there, or where it has a hyphen or a
    slash of its own at the end of the line (Study-|group, telecommunication/|information)."""
    text = html_text(edition.html)
    found = []
    for number, page in enumerate(pages_text(edition.pdf), start=1):
        lines = body_lines(page, edition.view.notice)
        for line, after in itertools.pairwise(lines):
            end, start = line.split()[-1], after.split()[0]
            if f"{end} {start}" in text:
                continue
            if not end[-1].isalnum() and end + start in text:  # the text's own - or /
                continue
            found.append((number, end, start))
    return found


# The report's shape ---------------------------------------------------------------------------


def test_the_shipped_report_is_a4_portrait_and_at_most_half_the_grids_pages(shipped):
    """Measured: 7 pages (the grid took 17, 20 with the summary in front)."""
    reader = pypdf.PdfReader(shipped.pdf)
    assert len(reader.pages) <= GRID_PAGES // 2
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]  # A4 portrait


@needs_poppler
def test_the_report_opens_with_the_summary_then_a_block_per_resolution(shipped):
    first = flat(pages_text(shipped.pdf)[0])
    assert first.startswith("WTSA-24 Issues Matrix WTSA-24 · Version 1 · as of 14 October 2024")
    assert "41 resolutions, 6 regional groups, 2 member states, 91 proposals." in first
    assert "High and Medium concerns not resolved" in first
    text = body_text(shipped.pdf, shipped.view.notice)
    order = [
        "Summary",
        "Resolutions of High concern",
        "How to read this report",
        "The resolutions",
        "Res. 1 Rules of procedure",
        "Res. 2 ITU Telecommunication Standardization Sector study group responsibility",
        "NEW-NEXTGEN-EXPERTS → Res. 107 Preparing the next generation",
        "Resolutions with no proposals",
        "Res. 7 Collaboration with the International Organization for Standardization",
        "NEW-POLICY-MARKET → Res. 108",  # its one proposal is not public: none is left
        "Changes since the previous published version",
    ]
    at = [text.find(words) for words in order]
    assert -1 not in at and at == sorted(at), dict(zip(order, at, strict=True))
    # The block of a resolution: number and title, topic, priority, overall concern, outcome
    # and assessment, the ISOC analysis, then a paragraph per proposal.
    block = text[text.find("Res. 40 Regulatory aspects") : text.find("Res. 47 Country code")]
    assert block == (
        "Res. 40 Regulatory aspects of ITU Telecommunication Standardization Sector work "
        "Topic: Regulatory · Priority: Medium · Overall: High concern · Outcome: Modified · "
        "Regulatory aspects kept to telecommunications. · Res. 40 (Rev. New Delhi, 2024) · "
        "Assessment: Resolved ISOC analysis: Watch for extension of regulatory work to OTT "
        "services and Internet platforms. RCC (Regional Commonwealth in the field of "
        "Communications) MOD · High concern Extends regulatory aspects of ITU-T work to OTT "
        "services and Internet platforms. · Doc 42 Add.3 · Result: not accepted "
    )


@needs_poppler
def test_every_resolution_nobody_proposed_anything_on_takes_one_line_at_the_end(shipped):
    empty = [r for r in shipped.view.rows if not any(c.proposals for c in r.cells)]
    assert (
        len(empty) == 8
    )  # six nobody proposed anything on, and two whose only ones are not public
    last = pages_text(shipped.pdf)[-1]
    lines = [line for line in last.splitlines() if line.startswith(("Res. ", "NEW-"))]
    listed = [line for line in lines if any(line.startswith(f"{r.shown_key} ") for r in empty)]
    assert len(listed) == len(empty)
    text = body_text(shipped.pdf, shipped.view.notice)
    for row in empty:  # one line each: no block of its own
        assert text.count(f"{row.shown_key} {row.title}") == 1, row.key


@needs_poppler
def test_no_word_of_the_report_is_broken_across_lines(shipped, changed):
    """No hyphen the text does not have, and no break inside a word, in the blocks, the
    summary or the changes' narrow columns."""
    for edition in (shipped, changed):
        assert broken_words(edition) == []
    text = body_text(shipped.pdf, shipped.view.notice)
    assert "Doc 41 Add.13" in text  # once broken as "Doc 41 Add." / "13"


def test_the_check_for_broken_words_finds_them(shipped, tmp_path):
    """The check above, on the report printed with English hyphenation turned on: it finds
    the words that were broken."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler (pdftotext) is not installed")
    import weasyprint

    hyphenated = shipped.html.replace("<style>", "<style>* { hyphens: auto !important; }", 1)
    pdf = tmp_path / "hyphenated.pdf"
    pdf.write_bytes(weasyprint.HTML(string=hyphenated).write_pdf())
    broken = broken_words(Edition(pdf, shipped.view, shipped.html))
    assert broken and all(end.endswith("\u2010") for _, end, _ in broken)  # WeasyPrint's hyphen


# Nothing lost, nothing internal ---------------------------------------------------------------


@needs_poppler
def test_every_public_proposal_is_in_its_resolutions_block_word_for_word(shipped):
    text = body_text(shipped.pdf, shipped.view.notice)
    rows = {r.key: r for r in shipped.view.rows}
    headings = [f"{r.shown_key} {r.title}" for r in shipped.view.rows if r.cells]
    starts = sorted(i for h in headings if (i := text.find(h)) != -1)
    typed = typed_proposals(SHIPPED_INPUTS)
    public = [p for p in typed if str(p.get("Public") or "").lower() != "no"]
    assert len(public) == 91 and len(typed) - len(public) == 2
    for proposal in public:
        row = rows[resolution_key(proposal["Resolution"])]
        start = text.find(f"{row.shown_key} {row.title}")
        end = next((i for i in starts if i > start), len(text))
        block = text[start:end]
        group = proposal["Group"]
        action = str(proposal["Action"]).strip().upper()
        assert f"{group} (" in block and f"{action} · " in block, (group, row.key)
        for field in ("Summary", "Document"):
            if proposal.get(field):
                assert flat(str(proposal[field])) in block, (group, row.key, field)
        for code in str(proposal.get("Co-signers") or "").replace(";", ",").split(","):
            if code.strip():
                assert f"{code.strip().upper()} (" in block, (group, row.key, code)


@needs_poppler
def test_nothing_internal_is_in_the_report(shipped):
    text = body_text(shipped.pdf, shipped.view.notice)
    typed = typed_proposals(SHIPPED_INPUTS)
    notes = [p["Notes"] for p in typed if p.get("Notes")]
    hidden = [p["Summary"] for p in typed if str(p.get("Public") or "").lower() == "no"]
    assert len(notes) >= 4 and len(hidden) == 2  # a real test: there is something to leak
    for secret in (*notes, *hidden):
        assert flat(secret) not in text, secret
    for marker in ("regions/", "members/", ".xlsx", "not public", "Proposals!"):
        assert marker not in text, marker


# The changes, whole ---------------------------------------------------------------------------


@needs_poppler
def test_the_changes_heading_is_said_once_with_the_first_rows_under_it(changed):
    heading = "Changes since v1 (2024-10-14): 0 added, 18 changed, 0 removed"
    pages = [flat(p) for p in pages_text(changed.pdf)]
    assert sum(p.count("Changes since") for p in pages) == 1
    at = next(i for i, p in enumerate(pages) if heading in p)
    first = changed.view.changes.lines[0]
    under = pages[at][pages[at].index(heading) :]
    assert under.startswith(f"{heading} Change Resolution Group or member state What changed")
    assert f"Changed {first.resolution} {first.who} Summary" in under  # the first row
    later = pages[at + 1 :]
    assert later, "the 18 changes take more than the rest of the page"
    for page in later:  # the table's header row repeats; the heading does not
        assert "Change Resolution Group or member state What changed Before Now" in page


# Tagged, fonts embedded, page numbers ---------------------------------------------------------


@needs_poppler
def test_the_report_is_tagged_with_its_fonts_embedded_and_numbered(shipped):
    info = subprocess.run(["pdfinfo", shipped.pdf], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    fonts = subprocess.run(["pdffonts", shipped.pdf], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the emb column
    reader = pypdf.PdfReader(shipped.pdf)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root.get("/Lang") == "en"
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            sizes.append(size * (abs(tm[0]) or 1) * (abs(cm[0]) or 1))

    pages = pages_text(shipped.pdf)
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), start=1):
        page.extract_text(visitor_text=visit)
        edition = "WTSA-24 Issues Matrix · Version 1 · as of 14 October 2024"
        footer = f"{edition} Page {number} of {len(pages)}"
        assert flat(text).endswith(footer), number
    assert min(sizes) >= 7.9, min(sizes)  # 8 pt at the least


def test_an_analysts_markup_is_printed_as_text(inputs, run, monkeypatch, tmp_path):
    attack = "<script>alert(1)</script> & <b>bold</b>"
    write_region(inputs, "APT", [[64, "MOD", "Doc <1>", attack, "Low", ""]])
    (inputs / "matrix.toml").write_text('document_url = "https://example.org/{doc}"\n')
    monkeypatch.setenv("SOURCE_DATE_EPOCH", V1)
    assert run("release", "--inputs", inputs)[0] == 0
    status, _, err = run("publish", "--inputs", inputs)
    assert status == 0, err
    folder = tmp_path / "outputs" / "WTSA-24" / "publish" / "WTSA-24_Issues_Matrix_v1"
    reader = pypdf.PdfReader(folder / "WTSA-24_Issues_Matrix_v1.pdf")
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert f"APT (Asia-Pacific Telecommunity) MOD · Low concern {attack} · Doc <1>" in text
    assert not any(page.get("/Annots") for page in reader.pages)  # "Doc <1>" is no cite
