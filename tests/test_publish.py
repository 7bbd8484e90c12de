"""Public editions: a web page, a tagged PDF and a public workbook of the latest release, with
nothing internal in them."""

from __future__ import annotations

import getpass
import html
import re
import socket
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pypdf
import pytest

from conftest import (
    CHECKOUT_ENV,
    REGION_HEADER,
    SHIPPED_INPUTS,
    all_rows,
    error_lines,
    high_keys,
    named_keys,
    write_catalogue,
    write_region,
)

EPOCH = "1728864000"  # 14 October 2024
STEM = "WTSA-24_Issues_Matrix_v1"
PUBLISH = 'organisation = "Example team"\nlicence = "CC BY 4.0"\nurl = "https://example.org/m/"\n'


def released_and_published(run, inputs, monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    status, _, err = run("release", "--inputs", inputs)
    assert status == 0, err
    status, out, err = run("publish", "--inputs", inputs)
    assert status == 0, err
    assert out.splitlines()[0].startswith("Published v")
    return tmp_path / "outputs" / "WTSA-24" / "publish"


def typed_rows(path: Path) -> list[dict]:
    rows = all_rows(path, "Proposals")
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Resolution")
    header = rows[at]
    return [dict(zip(header, r, strict=False)) for r in rows[at + 1 :] if any(r)]


def letters(text: str) -> str:
    """A text's letters and digits only, lower-cased: how it is compared with a PDF's text."""
    return "".join(c for c in text.lower() if c.isalnum())


def edition_texts(folder: Path) -> dict[str, str]:
    """Everything a reader of the editions can see or dig out: the page (unescaped), every
    part of the workbook, the PDF's text and its metadata."""
    texts = {"html": html.unescape((folder / "index.html").read_text(encoding="utf-8"))}
    with zipfile.ZipFile(folder / f"{folder.name}.xlsx") as archive:
        for name in archive.namelist():
            texts[f"xlsx:{name}"] = html.unescape(archive.read(name).decode("utf-8", "replace"))
    reader = pypdf.PdfReader(folder / f"{folder.name}.pdf")
    texts["pdf:text"] = "\n".join(page.extract_text() for page in reader.pages)
    texts["pdf:metadata"] = repr(dict(reader.metadata or {})) + str(reader.xmp_metadata or "")
    return texts


@pytest.fixture
def shipped_published(shipped_release):
    """The shipped release's editions (the session's: read, never changed, here)."""
    assert shipped_release.editions.name == STEM
    return shipped_release.editions


def test_nothing_internal_reaches_any_edition(shipped_published):
    """The leak rule, on the shipped inputs: no note, no proposal marked not public, no file
    name or workbook row, no name of a person or machine, in any file of any edition."""
    internal, public_summaries = [], []
    workbooks = [*SHIPPED_INPUTS.glob("regions/*.xlsx"), *SHIPPED_INPUTS.glob("members/*.xlsx")]
    assert len(workbooks) == 8  # six regions, two member states
    for path in sorted(workbooks):
        for row in typed_rows(path):
            if row.get("Notes"):
                internal.append(row["Notes"])
            if str(row.get("Public") or "").lower() == "no":
                internal.append(row["Summary"])
            elif row.get("Summary"):
                public_summaries.append(row["Summary"])
    assert len(internal) >= 6  # several notes and two proposals kept back: a real test
    texts = edition_texts(shipped_published)
    assert sorted(p.name for p in shipped_published.iterdir()) == [
        f"{STEM}.pdf",
        f"{STEM}.xlsx",
        "index.html",
    ]
    for where, text in texts.items():
        flat = letters(text)  # a PDF breaks words over lines, and may hyphenate them
        for secret in internal:
            assert letters(secret) not in flat, (where, secret)
        for marker in ("regions/", "members/", ".xlsx:Proposals", "Proposals!row", "not public"):
            assert marker not in text, (where, marker)
    metadata = (
        texts["pdf:metadata"] + texts["xlsx:docProps/core.xml"] + texts["xlsx:docProps/app.xml"]
    )
    for name in {getpass.getuser(), socket.gethostname()}:
        assert not re.search(rf"\b{re.escape(name)}\b", metadata), name
    assert "Example Internet policy team (illustrative)" in texts["xlsx:docProps/core.xml"]
    # ...and what is public is there, word for word, in each edition.
    pdf_text = letters(texts["pdf:text"])
    for summary in public_summaries:
        assert summary in texts["html"], summary
        assert letters(summary) in pdf_text, summary


class _Summary(HTMLParser):
    """The leads of the page's summary section, under each of its headings."""

    def __init__(self):
        super().__init__()
        self.inside, self.heading, self.tag, self.found = False, "", "", {}

    def handle_starttag(self, tag, attrs):
        self.inside |= tag == "section" and ("id", "summary") in attrs
        self.tag = tag

    def handle_endtag(self, tag):
        self.inside &= tag != "section"
        self.tag = ""

    def handle_data(self, data):
        if self.inside and self.tag == "h3":
            self.heading = data
            self.found[data] = []
        elif self.inside and self.tag == "strong" and self.heading:
            self.found[self.heading].append(data)


def test_the_page_opens_with_a_summary_naming_every_public_resolution_of_high_concern(
    shipped_published,
):
    page = (shipped_published / "index.html").read_text(encoding="utf-8")
    assert page.index('<section id="summary"') < page.index('<table class="matrix"')
    summary = _Summary()
    summary.feed(page)
    expected = high_keys(SHIPPED_INPUTS, public=True)
    assert expected and named_keys(summary.found["Resolutions of High concern"]) == expected
    assert "High and Medium concerns not resolved" in summary.found  # after the assembly: first
    assert next(iter(summary.found)) == "High and Medium concerns not resolved"
    # The PDF opens with the same summary (tests/test_report.py reads the rest of it).
    first = pypdf.PdfReader(shipped_published / f"{STEM}.pdf").pages[0].extract_text()
    assert "Summary" in first and "Resolutions of High concern" in first


def test_the_page_names_each_group_beside_its_code(shipped_published):
    page = html.unescape((shipped_published / "index.html").read_text(encoding="utf-8"))
    assert '<option value="B">B (Brazil)</option>' in page  # the filter
    assert '<th scope="col">CEPT<span class="name">European Conference of Postal and ' in page
    assert "Co-signed by: D (Germany), F (France), G (United Kingdom), S (Sweden)" in page
    assert 'data-label="USA (United States)"' in page  # a phone card's label


def test_the_public_workbook_has_no_proposals_sheet_and_says_who_publishes_it(shipped_published):
    book = openpyxl.load_workbook(shipped_published / f"{STEM}.xlsx")
    assert book.sheetnames == ["Summary", "Matrix", "About", "Changes", "Outcomes", "Legend"]
    about = [c.value for c in book["About"]["A"] if c.value]
    assert about[:5] == [
        "WTSA-24 Issues Matrix",
        "WTSA-24 · version 1 · as of 14 October 2024",  # the month with a capital
        "Published by Example Internet policy team (illustrative).",
        "Licence: CC BY 4.0.",
        "Online: https://example.org/wtsa-24/issues-matrix/",
    ]
    assert book["Matrix"].oddFooter.right.text == "Version 1 · as of 14 October 2024"
    header = [c.value for c in book["Matrix"][2]]  # under the row of groups
    assert header[-1] == "ISOC analysis"  # matrix.toml publishes it


def test_a_proposal_marked_not_public_stays_in_the_internal_matrix_marked(
    shipped_inputs, run, tmp_path
):
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", shipped_inputs, "--output", output)[0] == 0
    book = openpyxl.load_workbook(output)
    marked = [
        str(c.value).split("\n")[0]
        for row in book["Matrix"].iter_rows(min_row=2)
        for c in row
        if "not public" in str(c.value or "")
    ]
    assert marked == ["ADD · Medium concern · not public", "ADD · Medium concern · not public"]
    header = [c.value for c in book["Proposals"][1]]
    assert header[-1] == "Public"
    public = [r[-1] for r in book["Proposals"].iter_rows(min_row=2, values_only=True)]
    assert sorted(set(public)) == ["No", "Yes"] and public.count("No") == 2


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("Maybe", "regions/APT.xlsx:Proposals!G4: Public 'Maybe' is not one of Yes or No (an empty "
         "cell means Yes)"),
        ("no", None),
        (" YES ", None),
        (None, None),
    ],
)  # fmt: skip
def test_the_public_column_takes_yes_or_no_in_any_case(inputs, run, typed, line):
    write_region(
        inputs,
        "APT",
        [[64, "MOD", "Doc 1", "x", "Low", "", typed]],
        header=[*REGION_HEADER, "Public"],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert error_lines(err) == ([line] if line else [])
    assert status == (1 if line else 0)


def test_a_resolution_not_public_leaves_its_row_and_proposals_out(
    inputs, run, monkeypatch, tmp_path
):
    write_catalogue(
        inputs,
        rows=[
            [2, "Mandates", "Study groups", "High", "", ""],
            [64, "IPv6", "Internet", "High", "", "No"],
            ["NEW-AI", "AI", "Emerging", "High", "", None],
        ],
        header=["Resolution", "Title", "Topic", "Priority", "ISOC analysis", "Public"],
    )
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "Secret IPv6 plan", "High", ""],
                                 ["NEW-AI", "ADD", "Doc 2", "AI lead", "High", ""]])  # fmt: skip
    write_region(inputs, "CEPT", [[2, "MOD", "Doc 3", "Restructure", "Low", ""]])
    (inputs / "matrix.toml").write_text(f"[publish]\n{PUBLISH}")
    folder = released_and_published(run, inputs, monkeypatch, tmp_path) / STEM
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Res. 64" not in page and "Secret IPv6 plan" not in page
    assert 'id="res-2"' in page and 'id="res-new-ai"' in page
    internal = openpyxl.load_workbook(
        tmp_path / "outputs" / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx"
    )
    titles = [r[1] for r in internal["Matrix"].iter_rows(min_row=2, values_only=True)]
    assert titles[1] == "IPv6\n(not public: this resolution is in no public edition)"


def test_publishing_needs_a_release_of_the_inputs_as_they_are(inputs, run, monkeypatch):
    status, _, err = run("publish", "--inputs", inputs)
    assert (status, err.splitlines()) == (
        1,
        [
            "Error: there is no release to publish yet",
            "Hint: A public edition always shows a released version: run make release first.",
        ],
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert run("release", "--inputs", inputs)[0] == 0
    write_region(
        inputs, "APT", [[64, "MOD", "Doc 37 Add.1", "Changed since the release", "Low", ""]]
    )
    status, out, err = run("publish", "--inputs", inputs)
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "Error: the inputs have changed since the latest release, v1 (2024-10-14), and a public "
        "edition shows a released version",
        "Hint: File the inputs as the next version with make release, then run make publish; or "
        "undo the edits to publish v1 (2024-10-14) as it was.",
    ]
    assert not (Path("outputs") / "WTSA-24" / "publish").exists()


def test_publishing_twice_gives_the_same_bytes(inputs, run, monkeypatch, tmp_path):
    folder = released_and_published(run, inputs, monkeypatch, tmp_path) / STEM
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert run("publish", "--inputs", inputs)[0] == 0
    second = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert first["index.html"] == second["index.html"]
    assert first[f"{STEM}.xlsx"] == second[f"{STEM}.xlsx"]


def test_every_text_is_escaped_on_the_page(inputs, run, monkeypatch, tmp_path):
    attack = "<script>alert(1)</script> & <b>bold</b>"
    write_region(inputs, "APT", [[64, "MOD", "Doc <1>", attack, "Low", ""]])
    page = released_and_published(run, inputs, monkeypatch, tmp_path) / STEM / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    assert "Doc &lt;1&gt;" in text
    assert text.count("<script") == 1  # the page's own, and no other
    assert "<b>bold" not in text


def test_changes_count_from_the_previous_published_version_and_show_nothing_internal(
    inputs, run, monkeypatch, tmp_path
):
    header = [*REGION_HEADER, "Public"]
    rows = [
        [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", "note one", ""],
        ["NEW-AI", "ADD", "Doc 37 Add.2", "Internal AI line", "High", "", "No"],
        [2, "MOD", "Doc 37 Add.3", "Mandates", "Medium", "", ""],
    ]
    write_region(inputs, "APT", rows, header=header)
    (inputs / "matrix.toml").write_text(f"[publish]\n{PUBLISH}")
    released_and_published(run, inputs, monkeypatch, tmp_path)
    # Version 2 is released but not published; version 3 is published.
    rows[0][5] = "note changed"  # a note: never shown
    rows[1][3] = "Internal AI line, changed"  # not public: never shown
    write_region(inputs, "APT", rows, header=header)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729468800")  # 21 October
    assert run("release", "--inputs", inputs)[0] == 0
    rows[2][3] = "Mandates, redrafted"  # a public change
    write_region(inputs, "APT", rows, header=header)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729555200")  # 22 October
    assert run("release", "--inputs", inputs)[0] == 0
    status, out, err = run("publish", "--inputs", inputs)
    assert status == 0, err
    assert out.splitlines()[0] == (
        "Published v3 (as of 2024-10-22, changes since v1 (2024-10-14)): 6 resolutions, "
        "4 proposals; 1 kept back, not public."
    )
    folder = tmp_path / "outputs" / "WTSA-24" / "publish" / "WTSA-24_Issues_Matrix_v3"
    book = openpyxl.load_workbook(folder / "WTSA-24_Issues_Matrix_v3.xlsx")
    changes = book["Changes"]
    assert changes["A1"].value == "Changes since v1 (2024-10-14): 0 added, 1 changed, 0 removed"
    header_row = [c.value for c in changes[4]]
    assert "Notes before" not in header_row and "Source" not in header_row
    assert [c.value for c in changes[5]][:4] == ["Changed", "Res. 2", "APT", "Summary"]
    assert changes["A6"].value is None
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Changes since v1 (2024-10-14)" in page and "Mandates, redrafted" in page
    assert "note changed" not in page and "Internal AI" not in page


def test_the_readme_shows_publishing_with_a_picture():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publishing", 1)[1].split("\n## ", 1)[0]
    picture = re.search(r"!\[[^\]]+\]\(([^)]+\.png)\)", section)
    assert picture and (Path(__file__).resolve().parent.parent / picture[1]).stat().st_size > 10_000
    assert "make publish" in section


UNSIGNED = (
    "matrix.toml: warning: the public editions do not say organisation, licence and url: add "
    'them under a [publish] line, for example: [publish] organisation = "Your organisation" '
    'licence = "CC BY 4.0" url = "https://example.org/issues-matrix/"'
)


def test_publishing_without_saying_who_publishes_warns(inputs, run, monkeypatch, tmp_path):
    folder = released_and_published(run, inputs, monkeypatch, tmp_path) / STEM
    status, out, err = run("publish", "--inputs", inputs)
    assert (status, err.splitlines()) == (0, [UNSIGNED])
    assert out.startswith("Published v1 ")
    assert (folder / "index.html").is_file()


def test_a_publish_table_missing_the_licence_names_only_the_licence(inputs, run, monkeypatch):
    (inputs / "matrix.toml").write_text(
        '[publish]\norganisation = "Team"\nurl = "https://e.org/"\n'
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert run("release", "--inputs", inputs)[0] == 0
    status, _, err = run("publish", "--inputs", inputs)
    assert (status, err.splitlines()) == (
        0,
        [
            "matrix.toml: warning: the public editions do not say licence: add them under a "
            '[publish] line, for example: [publish] licence = "CC BY 4.0"'
        ],
    )


def test_strict_publishing_without_saying_who_publishes_refuses(inputs, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert run("release", "--inputs", inputs)[0] == 0
    status, out, err = run("publish", "--inputs", inputs, "--strict")
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        UNSIGNED.replace("warning: ", ""),
        "Error: 1 problem in 1 file; nothing was published.",
        "Hint: Correct matrix.toml (it opens in any text editor), save it, and run again.",
    ]
    assert not (Path("outputs") / "WTSA-24" / "publish").exists()


def test_publishing_with_the_publish_table_filled_in_says_nothing_more(inputs, run, monkeypatch):
    (inputs / "matrix.toml").write_text(f"[publish]\n{PUBLISH}")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert run("release", "--inputs", inputs)[0] == 0
    status, out, err = run("publish", "--inputs", inputs, "--strict")
    assert (status, err) == (0, "")
    assert out.startswith("Published v1 ")


#: Runs the command line, then says on its last line whether Great Expectations was imported.
WITH_GX_REPORT = (
    "import sys\n"
    "from pipeline.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "print(f'great_expectations imported: {\"great_expectations\" in sys.modules}', "
    "file=sys.stderr)\n"
    "sys.exit(status)\n"
)


def test_changed_inputs_are_refused_before_great_expectations_is_imported(
    inputs, run, monkeypatch, tmp_path
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (inputs / "matrix.toml").write_text(f"[publish]\n{PUBLISH}")
    assert run("release", "--inputs", inputs)[0] == 0
    write_region(inputs, "APT", [[64, "MOD", "Doc 37 Add.1", "Changed since", "Low", ""]])
    done = subprocess.run(
        [sys.executable, "-c", WITH_GX_REPORT, "publish", "--inputs", str(inputs)],
        cwd=tmp_path,
        env=CHECKOUT_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "Error: the inputs have changed since the latest release, v1 (2024-10-14), and a public "
        "edition shows a released version",
        "Hint: File the inputs as the next version with make release, then run make publish; or "
        "undo the edits to publish v1 (2024-10-14) as it was.",
        "great_expectations imported: False",
    ]
