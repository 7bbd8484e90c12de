"""Problems found in the inputs, as data, and the few exceptions that stop a run.

A problem is collected, never raised: a run gathers every problem of every file and prints
them together at the end. Only a failure that makes going on pointless raises, and then only
one of the exceptions below, which the CLI turns into a one-line message and an exit status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    code: str = ""
    sheet: str | None = None
    row: int | None = None
    col: int | None = None
    field: str | None = None
    value: str | None = None
    severity: str = ERROR

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
REFUSED_CODES = frozenset({"unreadable", "too-big"})

#: Problems with the folders and files themselves, not with anything typed in them.
FOLDER_CODES = frozenset(
    {"regions-missing", "regions-empty", "catalogue-missing", "region-file-missing"}
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
