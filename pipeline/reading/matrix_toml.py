"""The optional `matrix.toml`: the conference (its code, full name, place, dates and whose
mandate is at stake), matrix title, region order, output file name, notice, paper size, what
the public editions say of themselves, and the names of codes ([names])."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..words.excel import (
    EXCEL_CELL_LIMIT,
    HEADING_LIMIT,
    LONGEST_EDITION,
    PAPERS,
    Page,
    excel_length,
    fits,
    footer,
    header,
)
from ..words.problems import Code, Problem, quoted
from ..words.vocab import Kind, Wording
from .documents import patterns_setting

CONFIG_FILE = "matrix.toml"
DEFAULT_CONFERENCE = "WTSA-24"
REGION_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_SAFE_FILE_NAME = re.compile(r"^[^/\\:*?\"<>|]+\.xlsx$", re.IGNORECASE)
#: What no file name may hold on Windows (or, for /, anywhere).
NOT_IN_FILE_NAMES = '/\\:*?"<>|'
#: Names Windows keeps for its devices, with any extension and in any case: CON.xlsx cannot
#: be made there, nor opened from a synced folder, a USB stick or an e-mail.
WINDOWS_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)}
)


def windows_device_name(name: str) -> bool:
    """Whether Windows refuses a file of this name: CON, CON.xlsx, nul.tar.gz, "COM1 .xlsx"."""
    return name.split(".")[0].strip().upper() in WINDOWS_DEVICE_NAMES


DEFAULT_PAPER = "A3"
#: The notice is repeated in every printed page's header, which Excel caps at 255 characters.
NOTICE_LIMIT = 200
#: How long a setting may be: a cell's worth, less where it goes elsewhere too (the conference
#: names the output files; the output name is a file name).
LIMITS = {"conference": 100, "output": 200}

KNOWN_KEYS = (
    "conference", "name", "place", "dates", "mandate", "title", "regions", "members", "output",
    "notice", "paper", "document_url", "publish", "names",
)  # fmt: skip
PUBLISH_KEYS = ("organisation", "licence", "url", "analysis")
#: How long a name in [names] may be: it is shown beside its code in the column headings.
NAME_LIMIT = 100

_TOML_WHERE = re.compile(r"\(at line (\d+), column \d+\)$")
_TOML_WORDS = {  # what the TOML reader says -> what the analyst reads
    "Unterminated string": "a text is not closed: it must end with a double quote",
    "Illegal character '\\n'": "a text is not closed: it must end with a double quote",
    "Cannot overwrite a value": "this setting is given twice; keep one of them",
    "Invalid value": "the value is not valid; write a text in double quotes, like "
    'title = "My matrix", and a list of regions in brackets, like regions = ["APT", "CEPT"]',
    "Expected '=' after a key in a key/value pair": "this line is not a setting; a setting "
    'reads name = "value"',
    "Invalid statement": 'this line is not a setting; a setting reads name = "value"',
}


@dataclass(frozen=True)
class Publishing:
    """What a public edition says of itself: who publishes it, under which licence, where."""

    organisation: str = ""
    licence: str = ""  # like "CC BY 4.0"
    url: str = ""  # where the edition is published
    analysis: bool = False  # whether the ISOC analysis column is published too


@dataclass(frozen=True)
class MatrixOptions:
    conference: str = DEFAULT_CONFERENCE
    title: str = ""
    regions: tuple[str, ...] = ()  # explicit column order; empty means alphabetical
    output: str = ""
    notice: str = ""  # shown in the title block and on every printed page
    paper: str = DEFAULT_PAPER
    publish: Publishing = Publishing()
    members: tuple[str, ...] = ()  # the member states' columns, after the regions', likewise
    name: str = ""  # the conference's full name; default: its kind's (Plenipotentiary Conference)
    place: str = ""  # where it meets: New Delhi
    dates: str = ""  # when, as the team writes it: 15-24 October 2024
    mandate: str = ""  # whose mandate its resolutions shape; default: its kind's (ITU-T, ITU)
    names: tuple[tuple[str, str], ...] = ()  # [names]: (code, name), over the tool's own names
    document_url: tuple[str, ...] = ()  # patterns a document cite links by (documents.py)

    @property
    def kind(self) -> Kind | None:
        return Kind.of(self.conference)

    @property
    def full_name(self) -> str:
        """``Plenipotentiary Conference (PP-26)``, or the name matrix.toml gives."""
        if self.name:
            return self.name
        return f"{self.kind.full_name} ({self.conference})" if self.kind else self.conference

    @property
    def described(self) -> str:
        """``Plenipotentiary Conference (PP-26), Doha, 9-27 November 2026``: the conference
        as a title block names it, when matrix.toml says more than its code; else empty."""
        if not (self.name or self.place or self.dates):
            return ""
        return ", ".join(part for part in (self.full_name, self.place, self.dates) if part)

    @property
    def wording(self) -> Wording:
        """The words that follow the conference: ``ITU-T's mandate``, ``the assembly``."""
        kind = self.kind
        return Wording(
            mandate=self.mandate or (kind.mandate if kind else "ITU"),
            assembly=kind.noun if kind else "conference",
        )

    @property
    def matrix_title(self) -> str:
        return self.title or f"{self.conference} Issues Matrix"

    @property
    def output_name(self) -> str:
        return self.output or f"{self.conference}_Issues_Matrix.xlsx"


def load_config(inputs: Path) -> tuple[MatrixOptions, list[Problem]]:
    """Read `<inputs>/matrix.toml` if there is one. Problems are returned, not raised."""
    path = inputs / CONFIG_FILE
    if not path.is_file():
        return MatrixOptions(), []

    def problem(message: str, code: Code, line: int | None = None) -> Problem:
        return Problem(file=CONFIG_FILE, message=message, code=code, row=line)

    try:
        # utf-8-sig: Windows Notepad may start the file with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return MatrixOptions(), [
            problem(
                "is not saved as UTF-8 text; save it again in a text editor, choosing UTF-8",
                Code.CONFIG_ENCODING,
            )
        ]
    except OSError as exc:
        return MatrixOptions(), [
            problem(f"cannot be opened ({exc.strerror})", Code.CONFIG_UNREADABLE)
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _plain_toml_error(str(exc), text)
        return MatrixOptions(), [problem(message, Code.CONFIG_SYNTAX, line)]

    problems: list[Problem] = []
    values: dict = {}
    lines = _setting_lines(text)
    for key, value in data.items():  # in the file's order, so the lines read top to bottom
        line = lines.get(key)
        if key in ("regions", "members"):
            codes, found = _regions(value, key)
            problems += [problem(message, Code.CONFIG_REGION, line) for message in found]
            if codes is not None:
                values[key] = codes
        elif key == "publish":
            publishing, found = _publishing(value)
            problems += [
                problem(message, Code.CONFIG_PUBLISH, lines.get(f"publish.{name}", line))
                for name, message in found
            ]
            values["publish"] = publishing
        elif key == "document_url":
            patterns, found = patterns_setting(value)
            problems += [problem(message, Code.CONFIG_DOCUMENT_URL, line) for message in found]
            if not found:
                values[key] = patterns
        elif key == "names":
            names, found = _names(value)
            problems += [
                problem(message, Code.CONFIG_NAMES, lines.get(f"names.{name}", line))
                for name, message in found
            ]
            values["names"] = names
        elif key in KNOWN_KEYS:
            if not isinstance(value, str) or (key != "notice" and not value.strip()):
                problems.append(
                    problem(f"'{key}' must be a non-empty text", Code.CONFIG_TYPE, line)
                )
            elif excel_length(value.strip()) > LIMITS.get(key, EXCEL_CELL_LIMIT):
                problems.append(
                    problem(
                        f"'{key}' is {excel_length(value.strip()):,} characters long, more than "
                        f"the {LIMITS.get(key, EXCEL_CELL_LIMIT):,} it may be; shorten it",
                        Code.CONFIG_TOO_LONG,
                        line,
                    )
                )
            elif key == "output" and not _SAFE_FILE_NAME.match(value.strip()):
                problems.append(
                    problem(
                        f"'output' must be a plain file name ending in .xlsx, not {quoted(value)}",
                        Code.CONFIG_OUTPUT,
                        line,
                    )
                )
            elif key == "output" and windows_device_name(value):
                stem = value.strip().split(".")[0].strip()
                problems.append(
                    problem(
                        f"'output' cannot be {quoted(value.strip())}: Windows cannot have a file "
                        f"named {stem.upper()}.xlsx; choose another name, like {stem}1.xlsx",
                        Code.CONFIG_OUTPUT,
                        line,
                    )
                )
            elif key == "conference" and _unfit_for_file_names(value):
                problems.append(
                    problem(
                        f"'conference' names the output files, so it cannot hold "
                        f"{_unfit_for_file_names(value)}: Windows file names cannot have any of "
                        f"{' '.join(NOT_IN_FILE_NAMES)}; write it without, like WTSA-24",
                        Code.CONFIG_CONFERENCE,
                        line,
                    )
                )
            elif key == "paper" and _paper(value) is None:
                problems.append(
                    problem(
                        f"'paper' must be one of {', '.join(PAPERS)}, not {quoted(value)}",
                        Code.CONFIG_PAPER,
                        line,
                    )
                )
            elif key == "notice" and len(value.strip()) > NOTICE_LIMIT:
                problems.append(
                    problem(
                        f"'notice' is {len(value.strip())} characters; it is printed at the top "
                        f"of every page, where at most {NOTICE_LIMIT} fit: shorten it",
                        Code.CONFIG_NOTICE,
                        line,
                    )
                )
            elif key in ("notice", "title") and _heading_overflow(key, value.strip()):
                code = Code.CONFIG_NOTICE if key == "notice" else Code.CONFIG_TITLE
                problems.append(problem(_heading_overflow(key, value.strip()), code, line))
            else:
                values[key] = _paper(value) if key == "paper" else value.strip()
        else:
            problems.append(
                problem(
                    f"unknown setting {quoted(key)}; the settings are {', '.join(KNOWN_KEYS)}",
                    Code.CONFIG_UNKNOWN_KEY,
                    line,
                )
            )
    both = [c for c in values.get("members", ()) if c in values.get("regions", ())]
    if both:
        problems.append(
            problem(
                f"{', '.join(both)} {'is' if len(both) == 1 else 'are'} listed both in 'regions' "
                "and in 'members'; a code is a regional group or a member state, not both",
                Code.CONFIG_CODE_CLASH,
                lines.get("members"),
            )
        )
    return MatrixOptions(**values), problems


#: Where every conference's outputs go, each in a folder of its own.
OUTPUTS = Path("outputs")


def outputs_of(conference: str) -> Path:
    """Where a conference's outputs go: outputs/WTSA-24/, apart from every other's, in the same
    safe form as the file names."""
    return OUTPUTS / file_stem(conference)


def file_stem(conference: str) -> str:
    """The conference as file and folder names take it: letters, digits, dots, - and _."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", conference).strip("-.") or "Matrix"


def conference_of(inputs: Path) -> str:
    """The conference an inputs folder is for, as early as a command needs it (to choose its
    outputs folder): matrix.toml's `conference`, even when another line of it is wrong."""
    config, _ = load_config(inputs)
    if config.conference != DEFAULT_CONFERENCE:
        return config.conference
    try:  # a file the TOML reader refuses as a whole: its conference line, read plainly
        text = (inputs / CONFIG_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return config.conference
    for line in text.splitlines():
        name, equals, value = line.partition("=")
        value = value.split("#")[0].strip()
        if equals and name.strip() == "conference" and len(value) > 2 and value[0] == '"':
            return value.strip('"').strip() or config.conference
    return config.conference


def _publishing(value) -> tuple[Publishing, list[tuple[str, str]]]:
    """The [publish] table, and what is wrong with it: (setting, message) pairs."""
    if not isinstance(value, dict):
        return Publishing(), [
            ("", "'publish' must be a table: a line [publish], then its settings")
        ]
    problems, values = [], {}
    for key, setting in value.items():
        if key in KNOWN_KEYS:  # typed at the end of the file, it falls inside [publish]
            problems.append(
                (
                    key,
                    f"{quoted(key)} is under [publish], where it does not belong; move the line "
                    "above the [publish] line (settings after [publish] belong to it)",
                )
            )
        elif key not in PUBLISH_KEYS:
            problems.append(
                (
                    key,
                    f"unknown setting {quoted(key)} in [publish]; the settings are "
                    f"{', '.join(PUBLISH_KEYS)}",
                )
            )
        elif key == "analysis":
            if isinstance(setting, bool):
                values[key] = setting
            else:
                problems.append((key, "'analysis' in [publish] must be true or false"))
        elif not isinstance(setting, str):
            problems.append((key, f"'{key}' in [publish] must be a text in double quotes"))
        elif excel_length(setting.strip()) > 500:
            problems.append(
                (key, f"'{key}' in [publish] is longer than 500 characters; shorten it")
            )
        else:
            values[key] = setting.strip()
    return Publishing(**values), problems


def _names(value) -> tuple[tuple[tuple[str, str], ...], list[tuple[str, str]]]:
    """The [names] table (code = "name"), codes upper-cased, and what is wrong with it:
    (setting, message) pairs."""
    if not isinstance(value, dict):
        example = 'EACO = "East African Communications Organisation"'
        return (), [("", f"'names' must be a table: a line [names], then lines like {example}")]
    problems, names = [], {}
    for key, name in value.items():
        code = key.strip().upper()
        if key in KNOWN_KEYS:  # typed at the end of the file, it falls inside [names]
            problems.append(
                (
                    key,
                    f"{quoted(key)} is under [names], where it does not belong; move the line "
                    "above the [names] line (settings after [names] belong to it)",
                )
            )
        elif not REGION_CODE.match(code):
            problems.append(
                (
                    key,
                    f"{quoted(key)} in [names] is not a code: a code holds only letters, "
                    "digits, - and _, like EACO",
                )
            )
        elif not isinstance(name, str) or not name.strip():
            problems.append((key, f"the name of {code} in [names] must be a text in double quotes"))
        elif excel_length(name.strip()) > NAME_LIMIT:
            problems.append(
                (
                    key,
                    f"the name of {code} in [names] is longer than {NAME_LIMIT} characters; "
                    "shorten it",
                )
            )
        elif code in names:
            problems.append((key, f"{code} is named twice in [names]; keep one of them"))
        else:
            names[code] = " ".join(name.split())
    return tuple(names.items()), problems


def _heading_overflow(key: str, value: str) -> str:
    """Why the notice (in every printed page's header) or the title (in its footer) would not
    fit there, built exactly as printing builds them; empty when it fits."""
    if key == "notice":
        built, place = header(Page("", "", value)), "header"
    else:
        built = footer(Page(value, LONGEST_EDITION))
        place = "footer"
    if fits(built):
        return ""
    signs = f", or write 'and' for some of its {value.count('&')} & signs" if "&" in value else ""
    return (
        f"'{key}' does not fit in the {place} of the printed pages, where Excel allows "
        f"{HEADING_LIMIT} characters: it makes one of {excel_length(built)} (each & "
        f"counts twice, and the {place}'s own codes take some); shorten it{signs}"
    )


def _unfit_for_file_names(value: str) -> str:
    """The characters of `value` no file name may have on Windows, as a message names them."""
    found = dict.fromkeys(c for c in value if c in NOT_IN_FILE_NAMES or ord(c) < 32)
    return " ".join(c if c in NOT_IN_FILE_NAMES else "a control character" for c in found)


def _paper(value: str) -> str | None:
    wanted = value.strip().casefold()
    return next((name for name in PAPERS if name.casefold() == wanted), None)


def _setting_lines(text: str) -> dict[str, int]:
    """Where each setting is, for the line numbers of its problems: `paper` at the top level,
    `publish.url` inside the [publish] table."""
    found: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and "]" in stripped:  # a table: [publish]
            table = stripped[1 : stripped.index("]")].strip()
            found.setdefault(table, number)
            continue
        name, equals, _ = line.partition("=")
        name = name.strip().strip('"')
        if equals and name and not name.startswith("#"):
            found.setdefault(f"{table}.{name}" if table else name, number)
    return found


def _plain_toml_error(message: str, text: str) -> tuple[str, int | None]:
    """The TOML reader's message in plain words, and the line it is about."""
    where = _TOML_WHERE.search(message)
    line = int(where[1]) if where else _first_bad_line(text)
    reason = message[: where.start()].strip() if where else message.split(" (at ")[0]
    words = _TOML_WORDS.get(reason, "this line is not a valid setting")
    if line is not None:
        lines = text.splitlines()
        typed = lines[line - 1].strip() if line <= len(lines) else ""
        if typed:
            shown = typed if len(typed) <= 60 else typed[:59] + "…"
            return f"{words} (the line reads: {shown})", line
    return words, line


def _first_bad_line(text: str) -> int | None:
    """For an error the reader places at the end of the file: the first line from which the
    file stops being valid. Settings files are a few lines long; longer ones are not searched."""
    lines = text.splitlines()
    if len(lines) > 200:
        return None
    for count in range(1, len(lines) + 1):
        try:
            tomllib.loads("\n".join(lines[:count]))
        except tomllib.TOMLDecodeError:
            return count
    return None


def _regions(value, key: str = "regions") -> tuple[tuple[str, ...] | None, list[str]]:
    """The codes of the 'regions' (or 'members') setting, upper-cased, and what is wrong with
    them."""
    noun, example = (
        ("region", '["APT", "CEPT"]') if key == "regions" else ("member state", '["USA", "B"]')
    )
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        return None, [f"'{key}' must be a list of {noun} codes, like {example}"]
    codes = [r.strip().upper() for r in value]
    problems = [
        f"{noun} code {quoted(code)} may hold only letters, digits, - and _"
        for code in codes
        if not REGION_CODE.match(code)
    ]
    problems += [
        f"{noun} code {quoted(code)} cannot be used: Windows cannot have a file named "
        f"{code}.xlsx; choose another code, like {code}1"
        for code in codes
        if code in WINDOWS_DEVICE_NAMES
    ]
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.append(f"{noun} {quoted(code)} is listed twice in '{key}'")
        seen.add(code)
    usable = (c for c in codes if REGION_CODE.match(c) and c not in WINDOWS_DEVICE_NAMES)
    return tuple(dict.fromkeys(usable)), problems
