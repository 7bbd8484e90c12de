"""Delete the built matrices, which any command builds again; never a release, a template, the
inputs or .venv.

Standard library only, so that `make clean` runs it with the system's Python, in a moment, even
where .venv is not set up (`python -m pipeline.clean`); `python -m pipeline clean` is the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUTPUTS = Path("outputs")
#: Folders of outputs/ (or of a conference's folder in it) that hold what cannot be built again
#: as it was (releases, templates someone may have typed into), or is not a matrix.
KEPT = frozenset({"releases", "templates", "validation", "publish", "bench"})


def built_matrices(outputs: Path = OUTPUTS) -> list[Path]:
    """The workbooks in outputs/ and in each conference's folder there (outputs/WTSA-24/),
    not those in their sub-folders."""
    if not outputs.is_dir():
        return []
    folders = [outputs, *sorted(p for p in outputs.iterdir() if p.is_dir() and p.name not in KEPT)]
    return [
        path
        for folder in folders
        for path in sorted(folder.glob("*.xlsx"))
        if path.is_file() and not path.name.startswith("~$")  # Excel's lock file is Excel's
    ]


def clean(outputs: Path = OUTPUTS) -> tuple[list[Path], list[str]]:
    """Delete the built matrices: those deleted, and a line for each that could not be."""
    deleted, failed = [], []
    for path in built_matrices(outputs):
        try:
            path.unlink()
            deleted.append(path)
        except OSError as exc:
            failed.append(f"{path} was not deleted ({exc.strerror}); is it open in Excel?")
    return deleted, failed


def report(deleted: list[Path], failed: list[str]) -> int:
    count = len(deleted)
    print(f"Deleted {count} built matri{'x' if count == 1 else 'ces'}" + (
        ": " + ", ".join(str(p) for p in deleted) if deleted else "") + ".")  # fmt: skip
    for line in failed:
        print(f"Error: {line}", file=sys.stderr)
    if failed:
        print("Hint: close it and run the command again.", file=sys.stderr)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(report(*clean()))
