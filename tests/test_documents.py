"""matrix.toml's document_url: the parts of a document cite, the patterns that make web
addresses of them, and the mistakes a pattern can hold, each named with its line."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pypdf
import pytest

from conftest import (
    RELEASE_EPOCH,
    RELEASE_STEM,
    error_lines,
    fixed_settings,
    working_in,
    write_region,
    write_small_inputs,
)
from pipeline.reading.documents import Links, cite_parts, links, read_pattern
from pipeline.reading.matrix_toml import load_config

ITU = "https://www.itu.int/md/T22-WTSA.24-C-{doc:4}!A{add}/en"
ITU_WHOLE = "https://www.itu.int/md/T22-WTSA.24-C-{doc:4}/en"


@pytest.mark.parametrize(
    ("cite", "parts"),
    [
        ("Doc 37 Add.12", {"doc": "37", "add": "12"}),
        ("Doc 37", {"doc": "37"}),
        ("doc.37  add 12", {"doc": "37", "add": "12"}),
        ("Document 37 (Rev.1)", {"doc": "37", "rev": "1"}),
        ("Doc 37 Add.12 Rev.2", {"doc": "37", "add": "12", "rev": "2"}),
        ("Doc 037 Addendum 012", {"doc": "37", "add": "12"}),
        ("Doc 37-E", None),  # a dash: a form of cite nobody defined
        ("TD 12", None),
        ("Res. 1 (Rev. New Delhi, 2024)", None),  # an outcome's document: not a cite
        ("Doc 37 Add.1 Add.2", None),  # a part twice
        ("Add.12 Doc 37", None),
        ("Doc ٣٧", None),  # digits of another script are not a document number
        ("Doc <37>", None),
        ("", None),
    ],
)
def test_a_cite_is_read_into_its_parts(cite, parts):
    assert cite_parts(cite) == parts


def test_a_cite_links_by_the_first_pattern_that_uses_exactly_its_parts():
    found = links((ITU, ITU_WHOLE))
    assert found.address("Doc 37 Add.12") == "https://www.itu.int/md/T22-WTSA.24-C-0037!A12/en"
    assert found.address("Doc 37") == "https://www.itu.int/md/T22-WTSA.24-C-0037/en"
    assert found.address("Doc 12345 Add.3") == "https://www.itu.int/md/T22-WTSA.24-C-12345!A3/en"
    # Never the page of Doc 37 itself for its revision, which no pattern names.
    assert found.address("Doc 37 Rev.1") == ""
    assert found.address("TD 12") == ""
    assert links((ITU_WHOLE,)).address("Doc 37 Add.12") == ""
    assert Links().address("Doc 37") == ""  # matrix.toml sets none: nothing links


def test_long_cites_and_patterns_are_read_whole_or_refused():
    """Both are read in one pass, no regular expression (benchmarks/scaling.py prints the
    times): a cite longer than any cite is no cite; a pattern of unclosed braces is refused."""
    assert cite_parts("Doc 37 " + "Add.1 " * 200_000) is None
    assert cite_parts("Doc " + "7" * 90) == {"doc": "7" * 90}
    assert read_pattern("https://example.org/" + "a{" * 200_000)[1] == (
        "has a { that is not closed by a }"
    )
    pattern, _ = read_pattern("https://example.org/" + "a" * 100_000 + "{doc}")
    assert pattern is not None and pattern.address({"doc": "1"}).endswith("a1")


def test_the_pattern_is_read_from_matrix_toml(inputs):
    (inputs / "matrix.toml").write_text(f'document_url = ["{ITU}", "{ITU_WHOLE}"]\n')
    config, problems = load_config(inputs)
    assert problems == []
    assert config.document_url == (ITU, ITU_WHOLE)
    (inputs / "matrix.toml").write_text(f'document_url = "{ITU_WHOLE}"\n')
    assert load_config(inputs)[0].document_url == (ITU_WHOLE,)


EXAMPLE = f'like document_url = "{ITU_WHOLE}"'


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            '"ftp://example.org/{doc}"',
            "'document_url' must be a web address starting with https:// (or http://), "
            f"{EXAMPLE} (it reads: 'ftp://example.org/{{doc}}')",
        ),
        (
            '"https://www.itu.int/md/C-{number}/en"',
            "'document_url' has the placeholder {number}, which is none of {doc} (the "
            "document's number), {add} (the addendum's number), {rev} (the revision's "
            f"number), {EXAMPLE} (it reads: 'https://www.itu.int/md/C-{{number}}/en')",
        ),
        (
            '"https://example.org/C-{doc:four}"',
            "'document_url' has {doc:four}: after the colon comes how many digits to pad the "
            f"number to, 1 to 9, like {{doc:4}}, {EXAMPLE} (it reads: "
            "'https://example.org/C-{doc:four}')",
        ),
        (
            '"https://example.org/my docs/{doc}"',
            "'document_url' cannot hold a space: a web address has none (write %20 for one), "
            f"{EXAMPLE} (it reads: 'https://example.org/my docs/{{doc}}')",
        ),
        (
            '"https://example.org/<{doc}>"',
            "'document_url' cannot hold '<', which no web address has, "
            f"{EXAMPLE} (it reads: 'https://example.org/<{{doc}}>')",
        ),
        (
            '"https://example.org/{doc"',
            "'document_url' has a { that is not closed by a }, "
            f"{EXAMPLE} (it reads: 'https://example.org/{{doc')",
        ),
        (
            '"https://{doc}.example.org/"',
            "'document_url' must name its web site after https://, before any placeholder, "
            f"{EXAMPLE} (it reads: 'https://{{doc}}.example.org/')",
        ),
        (
            '"https://example.org/documents/"',
            "'document_url' must use {doc}, the place of the document's number, "
            f"{EXAMPLE} (it reads: 'https://example.org/documents/')",
        ),
        (
            '["https://example.org/{doc}", "https://example.org/{add}"]',
            "address 2 of 'document_url' must use {doc}, the place of the document's number, "
            f"{EXAMPLE} (it reads: 'https://example.org/{{add}}')",
        ),
        (
            "37",
            "'document_url' must be a web address in double quotes, like "
            f'document_url = "{ITU_WHOLE}", or a list of them in brackets, tried in turn',
        ),
        (
            "[]",
            "'document_url' must be a web address in double quotes, like "
            f'document_url = "{ITU_WHOLE}", or a list of them in brackets, tried in turn',
        ),
    ],
)
def test_a_mistake_in_document_url_names_matrix_toml_and_its_line(inputs, run, typed, message):
    (inputs / "matrix.toml").write_text(f'conference = "WTSA-24"\n\ndocument_url = {typed}\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [f"matrix.toml, line 3: {message}"]
    assert "Traceback" not in err


# Links in the editions --------------------------------------------------------------------

LINKED = (
    'document_url = ["https://example.org/c/{doc:4}?add={add}&lang=en", '
    '"https://example.org/c/{doc:4}"]\n'
    '[publish]\norganisation = "Example team"\nlicence = "CC BY 4.0"\n'
    'url = "https://example.org/m/"\n'
)
#: What each cite of the inputs below links to; TD 12 and Doc 37 Rev.1 fit no pattern.
EXPECTED = {
    "Doc 37": "https://example.org/c/0037",
    "Doc 37 Add.1": "https://example.org/c/0037?add=1&lang=en",
    "Doc 40 Add.1": "https://example.org/c/0040?add=1&lang=en",
    "Doc 40 Add.2": "https://example.org/c/0040?add=2&lang=en",
}
PLAIN = ("TD 12", "Doc 37 Rev.1")


class _Links(HTMLParser):
    """Each link of a page: its text and where it goes."""

    def __init__(self):
        super().__init__()
        self.found, self.href = {}, None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag == "a":
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.found[data] = self.href


def linked_inputs(inputs: Path) -> Path:
    (inputs / "matrix.toml").write_text(LINKED)
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""],
            ["NEW-AI", "ADD", "Doc 37", "ITU-T lead on AI", "High", ""],
            [2, "MOD", "TD 12", "Study group mandates", "Medium", ""],
            [2, "SUP", "Doc 37 Rev.1", "Suppress it instead", "Low", ""],
        ],
    )
    return inputs


@pytest.fixture(scope="module")
def published_with_links(tmp_path_factory, validating) -> Path:
    """The small inputs with cites to link, released and published once for the tests that
    read the editions' links."""
    from pipeline.build import release
    from pipeline.publish import publish

    work = tmp_path_factory.mktemp("linked")
    linked_inputs(write_small_inputs(work / "inputs"))
    settings = fixed_settings(work, RELEASE_EPOCH, outputs=work / "outputs" / "WTSA-24")
    with working_in(work):
        release(settings)
        publish(settings)
    return work / "outputs" / "WTSA-24" / "publish" / RELEASE_STEM


def test_each_cite_the_patterns_fit_links_on_the_web_page(published_with_links):
    page = (published_with_links / "index.html").read_text(encoding="utf-8")
    links = _Links()
    links.feed(page)
    cited = {text: href for text, href in links.found.items() if text.startswith(("Doc", "TD"))}
    assert cited == EXPECTED
    assert 'href="https://example.org/c/0037?add=1&amp;lang=en">Doc 37 Add.1</a>' in page
    for cite in PLAIN:  # shown, as text
        assert f'<span class="doc">{cite}</span>' in page


def test_each_cite_the_patterns_fit_links_in_the_pdf(published_with_links):
    reader = pypdf.PdfReader(published_with_links / "WTSA-24_Issues_Matrix_v1.pdf")
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(action["/URI"])
    # Each linked cite once, and the publisher's address; TD 12 and Doc 37 Rev.1 link nowhere.
    assert sorted(uris) == sorted([*EXPECTED.values(), "https://example.org/m/"])
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for cite in (*EXPECTED, *PLAIN):
        assert cite in text, cite


def test_the_team_matrix_links_each_cite_on_its_proposals_sheet(inputs, run, tmp_path):
    linked_inputs(inputs)
    status, _, err = run("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")
    assert status == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["Proposals"]
    column = [c.value for c in sheet[1]].index("Document") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    links = {c.value: c.hyperlink.target for c in cells if c.hyperlink is not None}
    assert links == EXPECTED
    assert sorted(c.value for c in cells if c.hyperlink is None) == sorted(PLAIN)
    # The matrix cells stay as they were: rich text, no links.
    matrix = openpyxl.load_workbook(tmp_path / "m.xlsx")["Matrix"]
    assert not any(cell.hyperlink for row in matrix.iter_rows() for cell in row)


def test_the_shipped_matrix_toml_sets_no_links_and_its_example_works_once_uncommented(
    shipped_inputs,
):
    toml = shipped_inputs / "matrix.toml"
    assert load_config(shipped_inputs)[0].document_url == ()
    lines = toml.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("# document_url = ["))
    example = [line.removeprefix("# ") for line in lines[at : at + 2]]
    toml.write_text("\n".join(example) + "\n", encoding="utf-8")
    config, problems = load_config(shipped_inputs)
    assert problems == []
    assert links(config.document_url).address("Doc 37 Add.12") == (
        "https://www.itu.int/md/T22-WTSA.24-C-0037!A12/en"
    )
