"""Problems found in the inputs, as data, and the few exceptions that stop a run.

A problem is collected, never raised: a run gathers every problem of every file and prints
them together at the end. Only a failure that makes going on pointless raises, and then only
one of the exceptions below, which the CLI turns into a one-line message and an exit status.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from enum import StrEnum

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

ERROR = "error"
WARNING = "warning"
#: A value quoted in a message is cut here: a line stays a line.
QUOTED_LENGTH = 60


def size_words(chars: int, units: int) -> str:
    """How long a text is, in characters, and as Excel counts it (UTF-16 units) if that differs."""
    if units == chars:
        return f"{chars:,} characters"
    return (
        f"{chars:,} characters, which Excel counts as {units:,} (emoji and some other characters "
        "count twice)"
    )


def quoted(value: object) -> str:
    """A value as a message quotes it: in quotes, at most 60 characters, marked if cut."""
    text = str(value)
    if len(text) > QUOTED_LENGTH:
        text = text[: QUOTED_LENGTH - 1] + "…"
    return f"'{text}'"


@enum.unique
class Code(StrEnum):
    """Every kind of problem the pipeline reports, once: its code (what the tests and the
    suites in expectations/ name it by), a short title, and what it means and what to do, for
    an analyst who meets it. A Problem is always made with one of these, never a typed code."""

    def __new__(cls, value: str, short: str, explanation: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.short = short
        member.explanation = explanation
        return member

    # fmt: off
    # The folders and the files in them.
    REGIONS_MISSING = ("regions-missing", "No regions folder",
        "The inputs have no regions/ folder. Create it and put one workbook per region in it.")
    REGIONS_EMPTY = ("regions-empty", "No region workbooks",
        "The regions/ folder holds no workbooks. Put one workbook per region in it, named by "
        "the region's code, like APT.xlsx.")
    REGIONS_UNKNOWN = ("regions-unknown", "No regions known",
        "Templates cannot be made for no region. List the regions in matrix.toml or put their "
        "workbooks in regions/.")
    REGION_FILE_MISSING = ("region-file-missing", "Listed workbook missing",
        "matrix.toml lists a region or member state that has no workbook. Copy its template "
        "into the folder, or take it off the list.")
    REGION_NOT_LISTED = ("region-not-listed", "Workbook not listed",
        "A workbook is in the folder but not in the list of matrix.toml. Add its code to the "
        "list, or move the file out of the folder.")
    REGION_COPY = ("region-copy", "Copy of a workbook",
        "The file looks like a copy of another region's workbook. Move it into a sub-folder "
        "such as regions/old/, which is not read.")
    REGION_NAME = ("region-name", "File name is not a code",
        "A workbook is named by the code of who tabled the proposals (letters, digits, - or _). "
        "Rename the file, like APT.xlsx.")
    REGION_NAME_RESERVED = ("region-name-reserved", "Name Windows cannot use",
        "Windows cannot have a file of this name, so colleagues on Windows could not open it. "
        "Rename the file, like CON1.xlsx.")
    REGION_TWICE = ("region-twice", "Two workbooks for one code",
        "Two files in the folder are for the same region or member state. Keep only one.")
    CODE_CLASH = ("code-clash", "Region and member state share a code",
        "A code is used both by a regional group and by a member state, so their columns would "
        "be one. Rename one of the two files.")
    NOT_A_WORKBOOK = ("not-a-workbook", "Not an Excel workbook",
        "Only .xlsx workbooks are read. Open the file in Excel and save it as an Excel workbook "
        "(.xlsx), or move it out of the folder.")
    CATALOGUE_MISSING = ("catalogue-missing", "No catalogue",
        "The catalogue of resolutions, resolutions.xlsx, is not in the inputs folder. Put it "
        "there.")
    CATALOGUE_TWICE = ("catalogue-twice", "Two catalogues",
        "There is more than one catalogue of resolutions, and none is chosen silently. Keep "
        "only one.")
    CATALOGUE_EMPTY = ("catalogue-empty", "Empty catalogue",
        "The catalogue lists no resolutions, perhaps a blank template copied over it. Restore "
        "it from a backup or fill in its rows.")
    OUTCOMES_TWICE = ("outcomes-twice", "Two outcomes workbooks",
        "There is more than one outcomes workbook, and none is chosen silently. Keep only one.")

    # A workbook as a whole.
    UNREADABLE = ("unreadable", "Workbook cannot be read",
        "The workbook is damaged, locked with a password, or open elsewhere. Open it in Excel, "
        "which may repair it, and save a copy without a password.")
    TOO_BIG = ("too-big", "Workbook too big to read",
        "The workbook would take more memory to read than any real one, often from a stray "
        "value far down or to the right. Delete those rows and columns and save it again.")
    SHEET_MISSING = ("sheet-missing", "Sheet not found",
        "The workbook has no sheet of the expected name, or two of them. Rename the sheet that "
        "holds the data.")
    HEADER_MISSING = ("header-missing", "No header row",
        "No row near the top names the columns. Put the header row back, as in the template.")
    COLUMN_MISSING = ("column-missing", "Column missing",
        "The header row lacks a column that is needed. Add it, or correct its heading.")
    COLUMN_TWICE = ("column-twice", "Column twice",
        "Two columns have the same heading. Rename or delete one of them.")
    CELL_ERROR = ("cell-error", "Excel error in a cell",
        "The cell shows an Excel error such as #REF!. Correct the formula or type the value.")
    FORMULA_NOT_CALCULATED = ("formula-not-calculated", "Formula without a result",
        "The cell holds a formula whose result was never saved. Open the workbook in Excel, "
        "let it calculate, and save it.")
    TOO_LONG = ("too-long", "Text too long for a cell",
        "The text is longer than an Excel cell can hold, as Excel counts it. Shorten it.")

    # matrix.toml.
    CONFIG_ENCODING = ("config-encoding", "Settings not UTF-8",
        "matrix.toml is not saved as UTF-8 text. Save it again in a text editor, choosing "
        "UTF-8.")
    CONFIG_UNREADABLE = ("config-unreadable", "Settings cannot be opened",
        "matrix.toml cannot be opened. Check that it is a file you may read.")
    CONFIG_SYNTAX = ("config-syntax", "Settings mistyped",
        "A line of matrix.toml is not written as a setting. Correct the line named.")
    CONFIG_UNKNOWN_KEY = ("config-unknown-key", "Unknown setting",
        "matrix.toml has a setting the pipeline does not know. Correct its name or delete it.")
    CONFIG_TYPE = ("config-type", "Setting not a text",
        "The setting must be a text in quotes, not empty.")
    CONFIG_TOO_LONG = ("config-too-long", "Setting too long",
        "The setting is longer than it may be. Shorten it.")
    CONFIG_REGION = ("config-region", "Wrong region list",
        "A list of regions or member states in matrix.toml holds something that is not a "
        "code. Correct the list.")
    CONFIG_CODE_CLASH = ("config-code-clash", "Region and member state share a code",
        "matrix.toml lists a code both as a region and as a member state. Keep it in one list.")
    CONFIG_NAMES = ("config-names", "Wrong name for a code",
        "A line under [names] in matrix.toml is not a code with its name. Correct it.")
    CONFIG_PUBLISH = ("config-publish", "Wrong publishing setting",
        "A line under [publish] in matrix.toml is not as it should be. Correct it.")
    CONFIG_DOCUMENT_URL = ("config-document-url", "Wrong document link",
        "The document_url setting is not a web address the documents' numbers can be put in. "
        "Correct it.")
    CONFIG_OUTPUT = ("config-output", "Wrong output name",
        "The output setting must be a plain file name ending in .xlsx that Windows can use. "
        "Choose another name.")
    CONFIG_CONFERENCE = ("config-conference", "Conference code unfit for file names",
        "The conference code names the output files, so it cannot hold characters Windows "
        "file names cannot. Write it without them, like WTSA-24.")
    CONFIG_PAPER = ("config-paper", "Unknown paper size",
        "The paper setting names a paper size the matrix cannot print on. Choose one of those "
        "listed.")
    CONFIG_NOTICE = ("config-notice", "Notice too long",
        "The notice is printed at the top of every page, where it does not fit. Shorten it.")
    CONFIG_TITLE = ("config-title", "Title too long for the footer",
        "The title is printed in the footer of every page, where it does not fit. Shorten it.")

    # The catalogue, the proposals and the outcomes, cell by cell.
    RESOLUTION_MISSING = ("resolution-missing", "Resolution empty",
        "Every row names the resolution it is about. Type its number (like 64) or draft key "
        "(like NEW-AI).")
    RESOLUTION_FORMAT = ("resolution-format", "Not a resolution",
        "The cell is not a resolution number (like 64 or Res. 64) or a draft key (like NEW-AI). "
        "Correct it.")
    RESOLUTION_UNKNOWN = ("resolution-unknown", "Resolution not in the catalogue",
        "The resolution is not in the catalogue. Correct it, or add the resolution to the "
        "catalogue.")
    DUPLICATE_RESOLUTION = ("duplicate-resolution", "Resolution listed twice",
        "The catalogue lists the resolution on two rows. Keep one row per resolution.")
    TITLE_MISSING = ("title-missing", "Title empty",
        "Every resolution in the catalogue needs its title. Type it.")
    TOPIC_MISSING = ("topic-missing", "Topic empty",
        "Every resolution in the catalogue needs its subject area, like Internet governance. "
        "Type it.")
    PRIORITY_MISSING = ("priority-missing", "Priority empty",
        "Every resolution in the catalogue needs a priority. Choose one; a workbook made from a "
        "template offers them in a dropdown.")
    PRIORITY_INVALID = ("priority-invalid", "Unknown priority",
        "The priority is not one of the words allowed, which the line names. Type one of them as "
        "the line spells it; a workbook made from a template offers them in a dropdown.")
    PUBLIC_INVALID = ("public-invalid", "Public neither Yes nor No",
        "Public says whether a row is in the public editions. Type Yes or No, or leave it "
        "empty for Yes.")
    ACTION_MISSING = ("action-missing", "Action empty",
        "Every proposal needs its action: what it does to the resolution. Choose one; a workbook "
        "made from a template offers them in a dropdown.")
    ACTION_INVALID = ("action-invalid", "Unknown action",
        "The action is not one of the words allowed, which the line names. Type one of them as "
        "the line spells it; a workbook made from a template offers them in a dropdown.")
    ADD_NEEDS_DRAFT = ("add-needs-draft", "Action only for drafts",
        "The action is only for draft new resolutions, and this resolution exists. Choose an "
        "action for an existing resolution.")
    DRAFT_NEEDS_ADD = ("draft-needs-add", "Action only for existing resolutions",
        "The action is only for resolutions in force, and this is a draft new resolution. "
        "Choose an action for a draft.")
    CONCERN_MISSING = ("concern-missing", "Concern empty",
        "A proposal that changes a text needs a concern. Choose one; a workbook made from a "
        "template offers them in a dropdown.")
    CONCERN_INVALID = ("concern-invalid", "Unknown concern",
        "The concern is not one of the words allowed, which the line names. Type one of them as "
        "the line spells it; a workbook made from a template offers them in a dropdown.")
    SUMMARY_MISSING = ("summary-missing", "Summary empty",
        "A proposal that changes a text needs a summary of what it proposes. Write one.")
    DUPLICATE_PROPOSAL = ("duplicate-proposal", "Proposal twice",
        "The same proposal is on two rows. Delete one of them.")
    RESULT_INVALID = ("result-invalid", "Unknown result",
        "The result is not one of the words allowed, which the line names. Type one of them, or "
        "leave it empty while not yet known; a workbook made from a template offers them in a "
        "dropdown.")
    CO_SIGNER_INVALID = ("co-signer-invalid", "Not a country code",
        "Co-signers are country codes of 1 to 3 letters, separated by commas. Correct the one "
        "named.")
    CO_SIGNER_TWICE = ("co-signer-twice", "Co-signer twice",
        "A country is named twice among the co-signers. Keep it once.")
    OUTCOME_MISSING = ("outcome-missing", "Outcome empty",
        "Every row of the outcomes workbook needs its outcome. Choose one; a workbook made from "
        "a template offers them in a dropdown.")
    OUTCOME_INVALID = ("outcome-invalid", "Unknown outcome",
        "The outcome is not one of the words allowed, which the line names. Type one of them as "
        "the line spells it; a workbook made from a template offers them in a dropdown.")
    OUTCOME_TWICE = ("outcome-twice", "Outcome twice",
        "The resolution has an outcome on two rows. Keep one of them.")
    OUTCOME_NEEDS_DRAFT = ("outcome-needs-draft", "Outcome only for drafts",
        "The outcome is only for draft new resolutions, and this resolution is in force. "
        "Choose an outcome for a resolution in force.")
    OUTCOME_NEEDS_NUMBER = ("outcome-needs-number", "Outcome only for resolutions in force",
        "The outcome is only for resolutions in force, and this is a draft. Choose an outcome "
        "for a draft.")
    ADOPTED_AS_MISSING = ("adopted-as-missing", "Adopted as empty",
        "The outcome needs Adopted as: the number the draft became, or the resolution it was "
        "merged into. Type it.")
    ADOPTED_AS_FORMAT = ("adopted-as-format", "Adopted as is not a resolution",
        "Adopted as names a resolution, like Res. 101. Correct it.")
    ADOPTED_AS_NUMBER = ("adopted-as-number", "Adopted as is not a number",
        "A draft that was adopted gets a resolution number, like Res. 101. Type that number.")
    ADOPTED_AS_TAKEN = ("adopted-as-taken", "Number already taken",
        "Adopted as is the number of a resolution already in the catalogue. Give the new "
        "resolution its own number, or record the draft as merged.")
    ADOPTED_AS_TWICE = ("adopted-as-twice", "Number given twice",
        "Two drafts were adopted as the same number. Correct one of them.")
    ADOPTED_AS_UNEXPECTED = ("adopted-as-unexpected", "Adopted as not expected",
        "This outcome takes no Adopted as. Clear it, or correct the outcome.")
    MERGED_INTO_ITSELF = ("merged-into-itself", "Merged into itself",
        "A text merged into another names that other resolution, not its own. Correct it.")
    ASSESSMENT_MISSING = ("assessment-missing", "Assessment empty",
        "Every outcome needs an assessment of the concern. Choose one; a workbook made from a "
        "template offers them in a dropdown.")
    ASSESSMENT_INVALID = ("assessment-invalid", "Unknown assessment",
        "The assessment is not one of the words allowed, which the line names. Type one of them "
        "as the line spells it; a workbook made from a template offers them in a dropdown.")

    # Warnings: worth a look, the matrix is written all the same.
    REGION_EMPTY = ("region-empty", "Workbook emptied",
        "A workbook that had proposals has none, perhaps a blank template copied over it. "
        "Restore it if its proposals went missing by mistake.")
    REGION_HALVED = ("region-halved", "Workbook halved",
        "A workbook has less than half the proposals it had in the last release. Check that no "
        "rows were deleted by mistake.")
    REGION_GONE = ("region-gone", "Workbook gone",
        "A workbook that was in the last release is missing, so its column is gone from the "
        "matrix. Put it back if that is a mistake.")
    TEMPLATE_VERSION = ("template-version", "Other template",
        "The workbook was made from an older template, or one for another conference. Copy "
        "its rows into the current template.")
    COLUMN_NEAR_MISS = ("column-near-miss", "Column nearly named",
        "A heading nearly names an optional column, whose values are ignored as it is. Head it "
        "exactly as the template does.")
    NAMES_MISSING = ("names-missing", "Codes without names",
        "Some codes have no name, so the matrix shows the code alone. Add their names under "
        "[names] in matrix.toml.")
    PUBLISH_UNSIGNED = ("publish-unsigned", "Public editions unsigned",
        "The public editions do not say who publishes them. Add it under [publish] in "
        "matrix.toml.")
    # fmt: on


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in one place of one input file.

    `row` is the row number Excel shows (1-based), `col` the 0-based column index, so the
    location reads exactly as the analyst finds it: ``regions/APT.xlsx:Proposals!B7``, the
    sheet quoted as Excel quotes it (``'Application Form'!B7``). In a file that is not a
    workbook (matrix.toml), `row` is the line: ``matrix.toml, line 3``.
    """

    file: str
    message: str
    code: Code
    sheet: str | None = None
    row: int | None = None
    col: int | None = None
    field: str | None = None
    value: str | None = None
    severity: str = ERROR

    def __post_init__(self):
        # A code typed as a string would be a typo nobody sees until a test compares codes.
        if not isinstance(self.code, Code):
            raise TypeError(f"a Problem's code is a Code, not {self.code!r}")

    @property
    def cell(self) -> str | None:
        if self.row is None:
            return None
        if self.col is None:
            return f"row {self.row}"
        return f"{xl_col_to_name(self.col)}{self.row}"

    @property
    def location(self) -> str:
        where = self.file
        if self.sheet:
            where += f":{quote_sheetname(self.sheet)}"
            if self.cell:
                where += f"!{self.cell}"
        elif self.row is not None:
            where += f", line {self.row}"
        return where

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.location}: {prefix}{self.message}"

    def sort_key(self) -> tuple:
        """File, then row, then column; problems in one place keep the order they were found."""
        return (
            self.file.casefold(),
            self.sheet or "",
            self.row if self.row is not None else -1,
            self.col if self.col is not None else -1,
        )


@dataclass
class Report:
    """Every problem of a run, in the order an analyst would walk through the files."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def _sorted(self, severity: str) -> list[Problem]:
        unique = dict.fromkeys(p for p in self.problems if p.severity == severity)
        return sorted(unique, key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return self._sorted(ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return self._sorted(WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [str(p) for p in self.errors + self.warnings]

    def explanations(self) -> list[str]:
        """What each kind of problem listed means and what to do, once per kind, in the order
        the lines above first show it: ``Unknown action: ...``."""
        kinds = dict.fromkeys(p.code for p in self.errors + self.warnings)
        return [f"{code.short}: {code.explanation}" for code in kinds]


class PipelineError(Exception):
    """A failure that stops the run. `exit_status` is what the command returns."""

    exit_status = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputsInvalid(PipelineError):
    """The inputs have problems; nothing was written. Carries the full report.

    `outcome` says what did not happen ("no matrix was written"); a check that was never going
    to write anything has none.
    """

    exit_status = 1

    def __init__(self, report: Report, marked=None, outcome: str | None = None):
        n_err = len(report.errors)
        files = len({p.file for p in report.errors})
        counted = (
            f"{n_err} problem{'s' if n_err != 1 else ''} in {files} file{'s' if files != 1 else ''}"
        )
        super().__init__(f"{counted}; {outcome}." if outcome else f"{counted}.", _hint(report))
        self.report = report
        self.marked = marked  # marked_copies.Marked: the copies with the cells marked, if written


#: A workbook refused as a whole (damaged, locked, or costlier to unpack than any real one):
#: no program of ours opens it again, not even to mark a copy.
REFUSED_CODES = frozenset({Code.UNREADABLE, Code.TOO_BIG})

#: Problems with the folders and files themselves, not with anything typed in them.
FOLDER_CODES = frozenset(
    {Code.REGIONS_MISSING, Code.REGIONS_EMPTY, Code.CATALOGUE_MISSING, Code.REGION_FILE_MISSING}
)


def _hint(report: Report) -> str:
    """What to do next, fitting the problems: cells, settings, files or folders."""
    kinds = set()
    for problem in report.errors:
        if problem.file == "matrix.toml":
            kinds.add("settings")
        elif problem.code in FOLDER_CODES:
            kinds.add("folders")
        elif problem.sheet:
            kinds.add("cells")
        else:
            kinds.add("files")
    if kinds == {"cells"}:
        return "Correct the cells named above in your workbooks, save them, and run again."
    if kinds == {"settings"}:
        return "Correct matrix.toml (it opens in any text editor), save it, and run again."
    if kinds <= {"folders", "files"}:
        return "Each line above says what to do with that file or folder; then run again."
    return (
        "Each line above names the place to correct (a cell, a file or a setting); then run again."
    )


class OutputError(PipelineError):
    """The matrix could not be written where it was asked for."""

    exit_status = 2


class UsageError(PipelineError):
    """The command was called wrongly (for example an output path inside the inputs)."""

    exit_status = 2


class InstallationError(PipelineError):
    """The pipeline itself is incomplete (for example the expectation suites are missing)."""

    exit_status = 2
