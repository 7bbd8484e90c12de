"""Helpers that write small input workbooks, so each test states exactly what the analyst typed."""

from __future__ import annotations

import contextlib
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hypothesis import settings

from pipeline.cli import main

# Property-based tests: a few examples with a fixed seed in `make test`, thousands, each run
# new, in `make fuzz` (HYPOTHESIS_PROFILE=fuzz, FUZZ_EXAMPLES=n).
settings.register_profile("test", max_examples=12, derandomize=True, deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3000")),
    deadline=None,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "test"))


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the web page in Chromium")
    config.addinivalue_line(
        "markers", "libreoffice: prints a workbook with LibreOffice and reads the PDF back"
    )
    config.addinivalue_line(
        "markers",
        "slow: costs what it tests (processes, a wheel, many builds, LibreOffice); "
        "make test-quick leaves these out",
    )


def pytest_collection_modifyitems(config, items):
    """Without Chromium, `make test` runs every other test and says the browser ones did not
    run; `make test-browser` (BROWSER_TESTS=required) runs them anyway, and fails without it.
    The same for LibreOffice and poppler, which the printing tests need."""
    missing = {}
    for marker, there, forced in (
        ("browser", Path(CHROMIUM).exists(), os.environ.get("BROWSER_TESTS") == "required"),
        ("libreoffice", bool(SOFFICE and PDFTOTEXT), False),
    ):
        if there or forced:
            continue
        left_out = [item for item in items if marker in item.keywords]
        if left_out:
            items[:] = [item for item in items if marker not in item.keywords]
            config.hook.pytest_deselected(items=left_out)
            missing[marker] = len(left_out)
    config.stash[_NOT_RUN] = missing


_NOT_RUN = pytest.StashKey[dict]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    missing = config.stash.get(_NOT_RUN, {})
    if missing.get("browser"):
        terminalreporter.write_line(
            f"{missing['browser']} browser tests did not run: there is no Chromium at {CHROMIUM} "
            "(apt-get install chromium; then make test-browser runs them)."
        )
    if missing.get("libreoffice"):
        terminalreporter.write_line(
            f"{missing['libreoffice']} printing tests did not run: they need LibreOffice "
            "(soffice) and poppler (pdftotext): apt-get install libreoffice-calc-nogui "
            "poppler-utils fonts-crosextra-carlito."
        )


REPO = Path(__file__).resolve().parent.parent
#: Debian's Chromium, which the browser tests drive (Playwright never downloads one here).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: LibreOffice, which prints a workbook to PDF, and poppler's pdftotext, which reads it back.
SOFFICE, PDFTOTEXT = shutil.which("soffice"), shutil.which("pdftotext")
SHIPPED_INPUTS = REPO / "inputs"
#: The environment for a `python -m pipeline` process run in another folder: the project is
#: not installed into .venv (make runs it from its own folder), so it is named on the path.
CHECKOUT_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
)}  # fmt: skip

REGION_HEADER = ["Resolution", "Action", "Document", "Summary", "Concern", "Notes"]


def codes(cells) -> list:
    """A header row's values with each group's heading cut to its code: a heading is the code,
    and the group's name on a line under it (``APT\nAsia-Pacific Telecommunity``)."""
    return [c.value.split("\n")[0] if isinstance(c.value, str) else c.value for c in cells]


def summary_tables(sheet) -> list[list]:
    """The Summary sheet's rows from its first table of counts on, each without empty cells:
    what comes above it is the summary's text."""
    rows = [[v for v in r if v is not None] for r in sheet.iter_rows(values_only=True)]
    rows = [r for r in rows if r]
    first = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Proposals by "))
    return rows[first:]


CATALOGUE_HEADER = ["Resolution", "Title", "Topic", "Priority", "ISOC analysis"]

CATALOGUE_ROWS = [
    [2, "Study group responsibility and mandates", "Study groups", "High", "Mandates"],
    [10, "Resolution ten", "Numbering", "Low", ""],
    [64, "IP address allocation and IPv6", "Internet addressing", "High", "RIRs' role"],
    [100, "Resolution one hundred", "Devices", "Medium", ""],
    ["NEW-AI", "Artificial intelligence standardization", "Emerging technologies", "High", ""],
    ["NEW-DPI", "Digital public infrastructure", "Development", "Medium", ""],
]


def write_sheet(path: Path, rows: list[list], sheet: str = "Proposals", above: int = 0) -> Path:
    """Write rows to a one-sheet workbook; `above` puts that many note rows over the header."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for i in range(above):
        ws.append([f"Note line {i + 1} above the header"])
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_region(inputs: Path, code: str, rows: list[list], header=None, above: int = 2) -> Path:
    """A region workbook like the shipped ones: two note rows, then the header (row 3)."""
    return write_sheet(
        inputs / "regions" / f"{code}.xlsx", [header or REGION_HEADER, *rows], above=above
    )


def write_catalogue(inputs: Path, rows=None, header=None, above: int = 0) -> Path:
    return write_sheet(
        inputs / "resolutions.xlsx",
        [header or CATALOGUE_HEADER, *(CATALOGUE_ROWS if rows is None else rows)],
        sheet="Resolutions",
        above=above,
    )


def stretch_cell(path: Path, marker: str, text: str) -> None:
    """Put text of any length where `marker` was typed.

    Excel, openpyxl and xlsxwriter all stop at 32,767 characters, but other programs write
    longer cells, and the pipeline must not lose them quietly.
    """
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, data.replace(marker.encode(), text.encode()))


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A small valid inputs folder: the catalogue above, APT and CEPT with a few proposals."""
    return write_small_inputs(tmp_path / "inputs")


def write_small_inputs(folder: Path) -> Path:
    """The `inputs` fixture's folder, written where a fixture of a wider scope wants it."""
    write_catalogue(folder)
    write_region(
        folder,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "watch"],
        ],
    )
    write_region(
        folder,
        "CEPT",
        [
            ["Res. 2", "MOD", "Doc 40 Add.1", "Restructure study groups", "Low", ""],
            ["Res. 64", "NOC", "Doc 40 Add.2", "", "", ""],
        ],
    )
    return folder


@pytest.fixture(scope="session")
def validating():
    """Great Expectations, loaded once for the tests that validate in this process (which then
    validate here; a fresh process forks a validator instead: the command-line tests cover
    that path). Tests that do not validate never pay for importing it."""
    from pipeline.checking.validate import warm_up

    warm_up()


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path, monkeypatch):
    """Run every test from its own folder, so default outputs/ never land in the project."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def shipped_inputs(tmp_path) -> Path:
    """A copy of the shipped inputs, safe to edit."""
    return Path(shutil.copytree(SHIPPED_INPUTS, tmp_path / "inputs"))


# Artefacts of the shipped inputs, built once for the session ------------------------------
#
# Many tests only read what the shipped inputs build: they share one build. A test that
# changes an artefact copies it first (copied_release). Each is built in a folder of its own,
# with every switch named (never the environment or folder of whichever test came first).

#: 1 October 2024, the golden matrix's build time; 14 October 2024, the shipped release's.
MATRIX_EPOCH, RELEASE_EPOCH = "1727740800", "1728864000"
RELEASE_STEM = "WTSA-24_Issues_Matrix_v1"


def fixed_settings(work: Path, epoch: str, **values):
    """Settings for a build in `work` (inputs/ and outputs/ in it) at a fixed moment, as
    `make` runs it with SOURCE_DATE_EPOCH set, whatever this process's environment holds."""
    from pipeline.settings import Settings

    values = {"inputs": work / "inputs", "outputs": work / "outputs", **values}
    return Settings.from_environment(
        {"SOURCE_DATE_EPOCH": epoch, "PIPELINE_PARALLEL": "0", "CI": "1"}, **values
    )


@contextlib.contextmanager
def working_in(folder: Path):
    """The pipeline reads a few paths from the working folder (earlier outputs/ to move): a
    shared build runs in its own, never the project's or a test's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield


def _shipped_copy(folder: Path, paper: str | None = None) -> Path:
    inputs = Path(shutil.copytree(SHIPPED_INPUTS, folder / "inputs"))
    if paper:
        toml = inputs / "matrix.toml"
        toml.write_text(f'paper = "{paper}"\n' + toml.read_text())  # above any [table]
    return folder


@pytest.fixture(scope="session")
def shipped_matrices(tmp_path_factory, validating):
    """The matrix of the shipped inputs on a paper (A3 is the shipped default), each built
    once: matrix_on("A4") is the Built (its .path the workbook). Read, never change, them."""
    from pipeline.build import build

    built = {}

    def matrix_on(paper: str = "A3"):
        if paper not in built:
            work = _shipped_copy(tmp_path_factory.mktemp(f"shipped-{paper}"), paper)
            with working_in(work):
                settings = fixed_settings(work, MATRIX_EPOCH, output=work / "matrix.xlsx")
                built[paper] = build(settings)
        return built[paper]

    return matrix_on


@pytest.fixture(scope="session")
def shipped_matrix(shipped_matrices):
    """The matrix of the shipped inputs as the golden test builds it (A3, 1 October 2024)."""
    return shipped_matrices("A3")


@dataclass(frozen=True)
class Release:
    """The shipped inputs' first release with its public editions published."""

    work: Path  # inputs/ and outputs/ under it

    @property
    def inputs(self) -> Path:
        return self.work / "inputs"

    @property
    def outputs(self) -> Path:
        """The conference's outputs, where the command line files them (outputs/WTSA-24)."""
        return self.work / "outputs" / "WTSA-24"

    @property
    def editions(self) -> Path:
        """The folder of v1's web page (index.html), PDF and public workbook."""
        return self.outputs / "publish" / RELEASE_STEM

    def settings(self, epoch: str = RELEASE_EPOCH):
        return fixed_settings(self.work, epoch, outputs=self.outputs)


@pytest.fixture(scope="session")
def shipped_release(tmp_path_factory, validating) -> Release:
    """The shipped inputs released and published once (14 October 2024), for the tests that
    only read the editions. One that releases again or edits copies it: copied_release."""
    from pipeline.build import release
    from pipeline.publish import publish

    shipped = Release(_shipped_copy(tmp_path_factory.mktemp("shipped-release")))
    with working_in(shipped.work):
        release(shipped.settings())
        publish(shipped.settings())
    return shipped


@pytest.fixture
def copied_release(shipped_release, tmp_path) -> Release:
    """A copy of the shipped release, its inputs and outputs, safe to edit and release on."""
    return Release(Path(shutil.copytree(shipped_release.work, tmp_path / "released")))


@pytest.fixture
def run(capsys, validating):
    """Run the command line in-process; returns (exit status, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        status = main([str(a) for a in args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return _run


def error_lines(stderr: str) -> list[str]:
    """The problem lines of a failed run, without the closing lines (Error, Hint, Marked)."""
    closing = ("Error:", "Hint:", "Copies with these cells marked", "The list of problems:")
    return [line for line in stderr.splitlines() if line and not line.startswith(closing)]


# The inputs read here with openpyxl, apart from the code under test -------------------------


def resolution_key(typed) -> str:
    """A resolution as typed (``Res. 64 (Rev. Geneva, 2022)``, ``Resolution 2``, ``NEW-AI — ...``)
    as its key (``64``, ``NEW-AI``)."""
    text = str(typed).split(" — ")[0].split(" (")[0].strip()
    for prefix in ("Resolution ", "Res. ", "Res "):
        text = text.removeprefix(prefix)
    return text.upper()


def all_rows(path: Path, sheet: str, min_row: int = 1) -> list[tuple]:
    """A sheet's rows, read with openpyxl on its own, the file closed again (a read-only
    workbook holds its file open until closed)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet].iter_rows(min_row=min_row, values_only=True))
    finally:
        book.close()


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    rows = all_rows(path, sheet)
    at = next(i for i, r in enumerate(rows) if r and "Resolution" in r)
    return [dict(zip(rows[at], r, strict=False)) for r in rows[at + 1 :] if any(r)]


def high_keys(inputs: Path, public: bool = False) -> set[str]:
    """The resolutions on which any workbook typed a High concern (in any case), leaving out,
    for a public edition, what is marked Public: No."""
    hidden = set()
    if public:
        hidden = {
            resolution_key(r["Resolution"])
            for r in sheet_rows(inputs / "resolutions.xlsx", "Resolutions")
            if str(r.get("Public") or "").strip().lower() == "no"
        }
    found = set()
    for path in [*(inputs / "regions").glob("*.xlsx"), *(inputs / "members").glob("*.xlsx")]:
        for r in sheet_rows(path, "Proposals"):
            if public and str(r.get("Public") or "").strip().lower() == "no":
                continue
            if str(r.get("Concern") or "").strip().lower() == "high":
                found.add(resolution_key(r["Resolution"]))
    return found - hidden


def named_keys(leads: list[str]) -> set[str]:
    """The keys the summary names: ``Res. 64 (Internet Protocol…)``, ``NEW-AI → Res. 101 (…)``."""
    return {resolution_key(lead.split(" (")[0].split(" → ")[0]) for lead in leads}
