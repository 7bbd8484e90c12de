"""Writing files safely: a file appears complete under its name, or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .problems import OutputError, UsageError


class Staged:
    """A temporary file beside `path` that becomes `path` only on `commit()`.

    Until then any earlier file at `path` stays exactly as it was; `discard()` (always call
    it, in a `finally`) removes the temporary file if it was not committed. With `exclusive`,
    an existing file at `path` is never replaced. Failures become an OutputError (exit 2).
    """

    def __init__(self, path: Path, exclusive: bool = False):
        self.path, self.exclusive = Path(path), exclusive
        self.committed = False
        # Folders made for this file go again if it is never committed.
        self._made = [p for p in [self.path.parent, *self.path.parent.parents] if not p.exists()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                prefix=f".{self.path.stem}.", suffix=f"{self.path.suffix}.tmp", dir=self.path.parent
            )
            os.close(fd)
        except OSError as exc:
            raise OutputError(
                f"cannot write in the folder {self.path.parent} ({exc.strerror or exc})",
                hint="Choose another output location.",
            ) from exc
        self.tmp = Path(name)
        # mkstemp makes the file private; the output is for sharing, as any new file would be.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)

    def commit(self) -> None:
        try:
            if self.exclusive:
                os.link(self.tmp, self.path)  # fails if path exists, where a rename replaces it
            else:
                os.replace(self.tmp, self.path)
            self.committed = True
        except FileExistsError as exc:
            raise OutputError(
                f"{self.path} already exists and is never overwritten",
                hint="Run the command again; it will choose the next free name.",
            ) from exc
        except OSError as exc:
            raise cannot_write(self.path, exc) from exc

    def write_text(self, text: str) -> None:
        try:
            self.tmp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise cannot_write(self.path, exc) from exc

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)
        if not self.committed:
            for folder in self._made:  # innermost first
                try:
                    folder.rmdir()
                except OSError:  # not empty (another file went there), or already gone
                    break


def atomic_write(path: Path, write: Callable[[Path], None], exclusive: bool = False) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    staged = Staged(path, exclusive)
    try:
        try:
            write(staged.tmp)
        except OSError as exc:
            raise cannot_write(staged.path, exc) from exc
        staged.commit()
    finally:
        staged.discard()


def cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write {path} ({exc.strerror or exc})",
        hint="If the file is open in Excel, close it and run the command again.",
    )


def refuse_inside_inputs(inputs_dir: Path, target: Path, what: str) -> None:
    """Inputs are read-only to the pipeline: nothing it writes may land among them."""
    try:
        inside = Path(target).resolve().is_relative_to(Path(inputs_dir).resolve())
    except OSError:
        inside = False
    if inside:
        raise UsageError(
            f"{what} '{target}' is inside the inputs folder '{inputs_dir}'",
            hint="Inputs are never written to; write to a folder under outputs/ instead.",
        )
