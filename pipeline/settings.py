"""Every setting of a run in one place: the folders, the switches and the moment of the build.

The command line builds one `Settings` from its flags and the environment; every stage gets the
paths and switches it needs from it, and no other module reads the environment or assumes the
current folder. (What the analyst sets for the matrix itself is in matrix.toml, read by
reading/matrix_toml.py.)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .reading.folders import require_inputs
from .reading.matrix_toml import OUTPUTS, outputs_of
from .words.problems import UsageError

INPUTS = Path("inputs")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Settings:
    """One run's folders and switches. Paths left empty default to places under `outputs`."""

    inputs: Path = INPUTS
    outputs: Path = OUTPUTS
    output: Path | None = None  # the working matrix; default: outputs/<matrix.toml's name>
    marked: Path | None = None  # copies of workbooks with problems marked
    releases: Path | None = None
    templates: Path | None = None
    published: Path | None = None  # the public editions
    since: Path | None = None  # an earlier matrix to compare with, instead of the release
    strict: bool = False  # warnings count as errors
    parallel: bool = True  # validate in a second process while the matrix is laid out
    debug: bool = False  # show the traceback of a fault of the tool
    progress: bool = True  # stage lines on a terminal
    moment: dt.datetime = field(default_factory=_now)  # the build's date and time, UTC
    fixed_moment: bool = False  # set by SOURCE_DATE_EPOCH: every build has the same moment

    def __post_init__(self):
        for name in ("inputs", "outputs"):
            object.__setattr__(self, name, Path(getattr(self, name)))
        defaults = {
            "marked": "validation",
            "releases": "releases",
            "templates": "templates",
            "published": "publish",
        }
        for name, folder in defaults.items():
            value = getattr(self, name)
            object.__setattr__(self, name, Path(value) if value else self.outputs / folder)
        for name in ("output", "since"):
            value = getattr(self, name)
            object.__setattr__(self, name, Path(value) if value is not None else None)

    @classmethod
    def outputs_for(cls, conference: str) -> Path:
        """Where a conference's outputs go: outputs/WTSA-24/, apart from every other's."""
        return outputs_of(conference)

    def require_inputs(self) -> None:
        """Stop, with a plain line, if the inputs folder is not there."""
        require_inputs(self.inputs)

    def matrix_file(self, output_name: str) -> Path:
        """Where the working matrix goes: --output, or outputs/<the name matrix.toml gives>."""
        return self.output if self.output is not None else self.outputs / output_name

    def now(self) -> Settings:
        """These settings for a build starting now (unless the moment is fixed)."""
        return self if self.fixed_moment else replace(self, moment=_now())

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **values) -> Settings:
        """Settings with the environment's switches: SOURCE_DATE_EPOCH (a fixed build time,
        for byte-identical builds), PIPELINE_PARALLEL=0, PIPELINE_DEBUG=1, and CI (no
        progress lines)."""
        environ = os.environ if environ is None else environ
        switches = {
            "parallel": environ.get("PIPELINE_PARALLEL", "1") != "0",
            "debug": bool(environ.get("PIPELINE_DEBUG")),
            "progress": not environ.get("CI"),
        }
        epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            switches["moment"], switches["fixed_moment"] = _moment(epoch), True
        return cls(**{**switches, **values})


def move_earlier_outputs(settings: Settings, conference: str) -> list[str]:
    """Releases and public editions filed before each conference had its own outputs folder
    (outputs/releases/, outputs/publish/) move into it, so that numbering and comparisons go
    on from them. Only this conference's files move; what moved is said in a line each."""
    from .reading.matrix_toml import file_stem

    prefix = f"{file_stem(conference)}_Issues_Matrix_v"
    said = []
    for old, new in ((OUTPUTS / "releases", settings.releases),
                     (OUTPUTS / "publish", settings.published)):  # fmt: skip
        if not old.is_dir() or old.resolve() == new.resolve():
            continue
        try:
            earlier = sorted(p for p in old.iterdir() if p.name.startswith(prefix))
        except OSError:
            continue  # an unreadable old folder: the run goes on with the new one
        moved = 0
        for path in earlier:
            target = new / path.name
            if target.exists():
                continue  # never replace: both stay, and the old one is not counted again
            new.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved += path.suffix == ".xlsx" or path.is_dir()
        if moved:
            what = "release" if old.name == "releases" else "public edition"
            said.append(
                f"Moved {moved} earlier {what}{'s' if moved != 1 else ''} of {conference} from "
                f"{old.as_posix()}/ into {new.as_posix()}/ (each conference now has its own "
                "outputs folder)."
            )
    return said


def _moment(epoch: str) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '{epoch}'",
            hint="Unset it, or set it to a whole number such as 1727740800.",
        ) from exc
