"""The optional `matrix.toml`: conference name, matrix title, region order, output file name."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

CONFIG_FILE = "matrix.toml"
DEFAULT_CONFERENCE = "WTSA-24"
REGION_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_SAFE_FILE_NAME = re.compile(r"^[^/\\:*?\"<>|]+\.xlsx$", re.IGNORECASE)

KNOWN_KEYS = ("conference", "title", "regions", "output", "notice")


@dataclass(frozen=True)
class Config:
    conference: str = DEFAULT_CONFERENCE
    title: str = ""
    regions: tuple[str, ...] = ()  # explicit column order; empty means alphabetical
    output: str = ""
    notice: str = ""  # shown in the title block, e.g. "illustrative example"

    @property
    def matrix_title(self) -> str:
        return self.title or f"{self.conference} Issues Matrix"

    @property
    def output_name(self) -> str:
        return self.output or f"{self.conference}_Issues_Matrix.xlsx"


def load_config(inputs: Path) -> tuple[Config, list[Problem]]:
    """Read `<inputs>/matrix.toml` if there is one. Problems are returned, not raised."""
    path = inputs / CONFIG_FILE
    if not path.is_file():
        return Config(), []

    def problem(message: str, code: str) -> Problem:
        return Problem(file=CONFIG_FILE, message=message, code=code)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Config(), [problem(f"cannot be read: {exc}", "config-syntax")]
    except OSError as exc:
        return Config(), [problem(f"cannot be opened: {exc.strerror}", "config-unreadable")]

    problems: list[Problem] = []
    values: dict = {}
    for key, value in data.items():  # in the file's order, so the lines read top to bottom
        if key == "regions":
            codes, found = _regions(value)
            problems += [problem(message, "config-region") for message in found]
            if codes is not None:
                values["regions"] = codes
        elif key in KNOWN_KEYS:
            if not isinstance(value, str) or (key != "notice" and not value.strip()):
                problems.append(problem(f"'{key}' must be a non-empty text", "config-type"))
            elif key == "output" and not _SAFE_FILE_NAME.match(value.strip()):
                problems.append(
                    problem(
                        f"'output' must be a plain file name ending in .xlsx, not '{value}'",
                        "config-output",
                    )
                )
            else:
                values[key] = value.strip()
        else:
            problems.append(
                problem(
                    f"unknown setting '{key}'; the settings are {', '.join(KNOWN_KEYS)}",
                    "config-unknown-key",
                )
            )
    return Config(**values), problems


def _regions(value) -> tuple[tuple[str, ...] | None, list[str]]:
    """The region codes of the 'regions' setting, upper-cased, and what is wrong with them."""
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        return None, ['\'regions\' must be a list of region codes, like ["APT", "CEPT"]']
    codes = [r.strip().upper() for r in value]
    problems = [
        f"region code '{code}' may hold only letters, digits, - and _"
        for code in codes
        if not REGION_CODE.match(code)
    ]
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.append(f"region '{code}' is listed twice in 'regions'")
        seen.add(code)
    return tuple(dict.fromkeys(c for c in codes if REGION_CODE.match(c))), problems
