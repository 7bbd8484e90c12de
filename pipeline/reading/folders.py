"""Which workbook plays which role: the catalogue, the outcomes workbook, one workbook per
regional group in `regions/` and per member state in `members/`; and the mistakes a folder can
hold (a copy beside the original, a file saved in another format, two files for one role, a
file matrix.toml does not list). Nothing is chosen silently: each is a problem naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..system.files import plain_reason
from ..words.problems import Code, PipelineError, Problem, quoted
from ..words.vocab import Group
from .matrix_toml import REGION_CODE, WINDOWS_DEVICE_NAMES, MatrixOptions, outputs_of

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CATALOGUE_FILE = "resolutions.xlsx"
REGIONS_DIR = "regions"
MEMBERS_DIR = "members"

#: What Windows Explorer and macOS Finder leave in every folder they show.
SYSTEM_FILES = frozenset(
    {"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", ".ds_store", "icon\r"}
)
#: Files that are nobody's input, only there while a workbook is open or being saved: Excel's
#: lock files (~$APT.xlsx) and temporary files (~WRL0001.tmp, *.tmp, and A1B2C3D4, eight hex
#: digits and no extension); hidden files, which include macOS's .DS_Store and ._APT.xlsx
#: and LibreOffice's lock files (.~lock.APT.xlsx#).
_PASSING = re.compile(r"^(?:~.*|\..*|.*\.tmp|[0-9a-f]{8})$", re.IGNORECASE | re.DOTALL)


def is_clutter(path: Path | str) -> bool:
    """Whether a folder entry is left there by the system or by an open Excel, not put there
    by an analyst: it is never read, reported, or watched."""
    name = Path(path).name
    return name.casefold() in SYSTEM_FILES or bool(_PASSING.match(name))


def is_system_file(path: Path | str) -> bool:
    """Whether the system made it to show a folder (Thumbs.db, .DS_Store, ._APT.xlsx): safe to
    delete with the folder, where a lock file means a workbook is open."""
    name = Path(path).name
    return name.casefold() in SYSTEM_FILES or name.startswith("._")


def code_clashes(regions: dict[str, Path], members: dict[str, Path]) -> list[Problem]:
    """A code used both by a region and by a member state: their columns would be one."""
    return [
        Problem(
            file=f"{MEMBERS_DIR}/{path.name}",
            code=Code.CODE_CLASH,
            message=f"{code} is also a regional group ({REGIONS_DIR}/{regions[code].name}); a "
            "code is a regional group or a member state, not both: rename one of the files",
        )
        for code, path in members.items()
        if code in regions
    ]


def find_catalogue(inputs: Path) -> Path | None:
    found = catalogue_files(inputs)
    return found[0] if len(found) == 1 else None


def catalogue_files(inputs: Path) -> list[Path]:
    """Every file that could be the catalogue (more than one is a mistake to report)."""
    return input_files(inputs, Path(CATALOGUE_FILE).stem)


def input_files(inputs: Path, stem: str) -> list[Path]:
    """Every workbook in the inputs folder named `stem` (.xlsx or .xlsm, in any case): the
    catalogue, the outcomes. More than one is a mistake to report (see `competing`)."""
    if not inputs.is_dir():
        return []
    names = {f"{stem}{suffix}" for suffix in EXCEL_SUFFIXES}
    return [
        p
        for p in sorted(_entries(inputs))
        if p.name.casefold() in names and not is_clutter(p) and p.is_file()
    ]


def competing(found: list[Path], plural: str, code: Code) -> Problem:
    """Two workbooks for one role: an error naming both, never a silent choice."""
    names = " and ".join(p.name for p in found)
    return Problem(
        file=found[1].name,
        code=code,
        message=f"there are {len(found)} {plural}, {names}; keep only one of them",
    )


def _entries(folder: Path) -> list[Path]:
    """A folder's entries; a folder that cannot be read is an input problem, said plainly."""
    try:
        return list(folder.iterdir())
    except OSError as exc:
        raise FolderUnreadable(folder, exc) from exc


class FolderUnreadable(PipelineError):
    """An inputs folder cannot be listed (its permissions, or a broken disk)."""

    def __init__(self, folder: Path, exc: OSError):
        super().__init__(
            f"the folder '{folder}' cannot be read ({plain_reason(exc)})",
            hint="Check that you may open that folder (its permissions), then run again.",
        )


def find_submitter_files(
    folder: Path, config: MatrixOptions, group: Group = Group.REGION
) -> tuple[dict[str, Path], list[Problem]]:
    """Code -> workbook, in matrix column order, and the problems with the folder: the
    regions' folder, or the members' (which may be missing or empty)."""
    problems: list[Problem] = []
    listed = config.regions if group is Group.REGION else config.members
    if not folder.is_dir() and group is Group.MEMBER:
        return {}, [
            Problem(
                file=f"{MEMBERS_DIR}/{code}.xlsx",
                code=Code.REGION_FILE_MISSING,
                message=f"matrix.toml lists member state {code}, but there is no folder "
                f"{MEMBERS_DIR}/ for its workbook; {_template_to_copy(config, code, group)}",
            )
            for code in listed
        ]
    if not folder.is_dir():
        return {}, [
            Problem(
                file=f"{REGIONS_DIR}/",
                code=Code.REGIONS_MISSING,
                message=f"the folder of region workbooks is missing: create a folder named "
                f"{REGIONS_DIR} in the inputs folder and put one workbook per region in it",
            )
        ]

    entries = sorted(
        (p for p in _entries(folder) if not is_clutter(p) and not p.is_dir()),
        key=lambda p: p.name.casefold(),
    )  # sub-folders are not read: they are where old copies go
    workbooks = [p for p in entries if p.suffix.lower() in EXCEL_SUFFIXES]
    stems = [p.stem.strip().upper() for p in workbooks]
    copies = copy_codes(stems, listed)

    found: dict[str, Path] = {}
    for path in entries:
        rel = f"{group.folder}/{path.name}"
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            problems.append(
                Problem(file=rel, code=Code.NOT_A_WORKBOOK, message=_not_xlsx(path, group.folder))
            )
            continue
        code = path.stem.strip().upper()
        original = copies.get(code)
        if original is not None:
            problems.append(
                Problem(
                    file=rel,
                    code=Code.REGION_COPY,
                    message=_copy_message(original, group, original in stems),
                )
            )
            continue
        if not REGION_CODE.match(code):
            problems.append(
                Problem(
                    file=rel,
                    code=Code.REGION_NAME,
                    message=f"the file name should be the {group.short} code (letters, digits, - "
                    f"or _), like {group.example}.xlsx; {quoted(path.stem)} is not",
                )
            )
            continue
        if code in WINDOWS_DEVICE_NAMES:
            problems.append(
                Problem(
                    file=rel,
                    code=Code.REGION_NAME_RESERVED,
                    message=f"{code} cannot be a {group.short} code: Windows cannot have a file "
                    f"named {code}.xlsx, so colleagues on Windows could not open or sync this "
                    f"workbook; rename it, like {code}1.xlsx",
                )
            )
            continue
        if code in found:
            problems.append(
                Problem(
                    file=rel,
                    code=Code.REGION_TWICE,
                    message=f"{group.short} {code} already has the workbook "
                    f"{group.folder}/{found[code].name}; keep only one of them",
                )
            )
            continue
        found[code] = path

    if listed:
        for code, path in found.items():
            if code not in listed:
                problems.append(
                    Problem(
                        file=f"{group.folder}/{path.name}",
                        code=Code.REGION_NOT_LISTED,
                        message=f"{group.short} {code} is not in the '{group.folder}' list of "
                        f"matrix.toml ({', '.join(listed)}); add it there or move the file out",
                    )
                )
        for code in listed:
            if code not in found:
                problems.append(
                    Problem(
                        file=f"{group.folder}/{code}.xlsx",
                        code=Code.REGION_FILE_MISSING,
                        message=f"matrix.toml lists {group.short} {code}, but there is no "
                        f"workbook for it in {group.folder}/; "
                        + _template_to_copy(config, code, group),
                    )
                )
        ordered = {code: found[code] for code in listed if code in found}
    else:
        ordered = dict(sorted(found.items()))
        if not ordered and not problems and group is Group.REGION:
            problems.append(
                Problem(
                    file=f"{REGIONS_DIR}/",
                    code=Code.REGIONS_EMPTY,
                    message="holds no region workbooks: put one workbook per region in it, "
                    "named by the region code (APT.xlsx, CEPT.xlsx, ...)",
                )
            )
    return ordered, problems


def _copy_message(original: str, group: Group, beside: bool) -> str:
    aside = (
        f"move it into a sub-folder such as {group.folder}/old/ (sub-folders are not read) or "
        "delete it"
    )
    if beside:
        return f"looks like a copy of the {original} workbook; {aside}"
    return (
        f"looks like a copy of the {original} workbook, and there is no {group.folder}/"
        f"{original}.xlsx: if it is the one to use, rename it {original}.xlsx; if not, {aside}"
    )


def _template_to_copy(config: MatrixOptions, code: str, group: Group) -> str:
    """What to do about a listed group with no workbook: the blank template that fits it."""
    folder = outputs_of(config.conference) / "templates"
    template = (
        folder / f"{code}.xlsx" if group is Group.REGION else folder / MEMBERS_DIR / f"{code}.xlsx"
    )
    return (
        f"make templates writes a blank one, {template.as_posix()}: copy it into "
        f"{group.folder}/ (or remove {code} from the '{group.folder}' list)"
    )


_OTHER_FORMATS = {
    ".xls": "is an Excel 97-2003 workbook: open it in Excel and save it as .xlsx "
    "(File > Save As > Excel Workbook)",
    ".ods": "is an OpenDocument spreadsheet: save it as .xlsx (File > Save As > Excel 2007-365)",
    ".csv": "is a CSV file, not a workbook: open it in Excel and save it as .xlsx (Excel Workbook)",
    ".xlsb": "is an Excel binary workbook: save it as .xlsx (File > Save As > Excel Workbook)",
    ".numbers": "is a Numbers spreadsheet: export it as Excel (.xlsx)",
}


def _not_xlsx(path: Path, folder: str = REGIONS_DIR) -> str:
    known = _OTHER_FORMATS.get(path.suffix.lower())
    if known:
        return known
    return (
        "is not an Excel workbook (.xlsx or .xlsm), so its proposals would be lost; save it as "
        f"an Excel Workbook (.xlsx) or move it out of {folder}/"
    )


#: Words that make a file name a copy's, in English, French, Spanish and German: `Copy of APT`,
#: `APT - Copie`, `APT_final`, `CEPT ancien`, `ATU borrador`.
_COPY_WORDS = frozenset(
    {"COPY", "COPIE", "COPIA", "KOPIE", "OLD", "OLDER", "ANCIEN", "ANCIENNE", "ANTIGUO", "VIEJO",
     "BACKUP", "BAK", "SAVE", "SAVED", "SAUVEGARDE", "DRAFT", "BROUILLON", "BORRADOR", "FINAL",
     "FINALE", "DEFINITIF", "DÉFINITIF", "DEFINITIVE", "DEFINITIVO", "LATEST", "NEW", "NOUVEAU",
     "NUEVO", "VERSION", "REV", "REVISED", "REVISION", "V", "TEMP", "TMP", "ORIGINAL"}
)  # fmt: skip
#: Words that only join the others: `Copy of APT`, `copie de CEPT`, `Kopie von ATU`.
_LINKING_WORDS = frozenset({"OF", "DE", "DU", "DEL", "VON", "AND", "ET", "Y"})
#: Version marks, a prefix and a number: `v3`, `rev2`, `r1`, `ver2`.
_VERSION_PREFIXES = ("VERSION", "VER", "REV", "V", "R")


def copy_codes(stems: list[str], listed: tuple[str, ...]) -> dict[str, str]:
    """Each of these file names (upper-cased stems) that is a copy of a group's workbook ->
    that group's code. A code in `listed` is never a copy; a plain code (a name that is one
    code, with no decoration) is the workbook that the others are copies of."""
    plain = {
        stem for stem in stems if REGION_CODE.match(stem) and _copied_from(stem, set()) is None
    }
    known = set(listed) | plain
    found = {}
    for stem in stems:
        if stem in listed:
            continue
        original = _copied_from(stem, known - {stem})
        if original is not None:
            found[stem] = original
    return found


def _copied_from(code: str, others: set[str]) -> str | None:
    """The group whose workbook this file name looks like a copy of, if any.

    `APT - Copy`, `APT (1)`, `Copy of APT`, `APT_old`, `APT v2`, `RCC_final_v3`, `CITEL
    2024-10-01`: a code standing apart from words of copying, versions, dates and numbers.
    The code is one of `others` (the workbooks there, the listed groups), or, when none fits, a
    lone code among words that leave no doubt (a number alone, as in `EU-27`, might be part of
    the code). Each name is read once, word by word, with windows no longer than the longest
    code of `others`: linear in its length.
    """
    words = "".join(c if c.isalnum() else " " for c in code).split()
    if len(words) < 2:
        return None
    decorations = [_decoration(w) for w in words]
    # before[i]: every word before i decorates; after[j]: every word from j on does.
    before = [True]
    for decorates in decorations:
        before.append(before[-1] and decorates is not None)
    after = [True]
    for decorates in reversed(decorations):
        after.append(after[-1] and decorates is not None)
    after.reverse()
    index = {tuple("".join(c if c.isalnum() else " " for c in o).split()): o for o in others}
    longest = max((len(k) for k in index), default=0)
    best = None
    for start in range(len(words)):
        if not before[start]:
            break
        for length in range(min(longest, len(words) - start - (start == 0)), 0, -1):
            stop = start + length
            found = index.get(tuple(words[start:stop])) if after[stop] else None
            if found is not None and (best is None or length > best[0]):
                best = (length, found)
                break
    if best is not None:
        return best[1]
    # No workbook there to be the original: one word that decorates nothing, among words that
    # say "copy" beyond doubt.
    bare = [w for w, decorates in zip(words, decorations, strict=True) if decorates is None]
    sure = "(" in code or any(d == "sure" for d in decorations)
    if len(bare) == 1 and sure and REGION_CODE.match(bare[0]) and not bare[0].isdigit():
        return bare[0]
    return None


def _decoration(word: str) -> str | None:
    """How a word of a file name decorates a code: "sure" (a word of copying, a version, a
    date), "number" (a number alone, which a code may hold), or None (it may be a code)."""
    if word in _COPY_WORDS:
        return "sure"
    if word in _LINKING_WORDS:
        return "link"
    if word.isdigit():
        return "sure" if len(word) >= 4 else "number"  # 2024, 20241001: a date
    for prefix in _VERSION_PREFIXES:
        if len(word) > len(prefix) and word.startswith(prefix) and word[len(prefix) :].isdigit():
            return "sure"
    return None


def require_inputs(inputs: Path) -> None:
    """Stop, with a plain line, if the inputs folder is not there."""
    if not inputs.is_dir():
        raise PipelineError(
            f"the inputs folder '{inputs}' does not exist",
            hint="Run the command from the project folder, or give the folder with --inputs.",
        )
