"""matrix.toml's document_url: the parts of a document cite, the patterns that make web
addresses of them, and the mistakes a pattern can hold, each named with its line."""

from __future__ import annotations

import pytest

from conftest import error_lines
from pipeline.config import load_config
from pipeline.documents import Links, cite_parts, links, read_pattern

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
