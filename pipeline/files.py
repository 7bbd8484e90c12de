"""Writing files safely: a file appears complete under its name, or not at all, and a failed or
killed run leaves nothing behind.

Every output is made in memory, then written to a file with no name (Linux's O_TMPFILE, which
the system removes by itself if the process dies) and given its name only on `commit()`.
Where the file system has no such files, a hidden temporary name beside the target is used,
removed on any failure the process lives through.
"""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from .problems import OutputError, UsageError

#: What a failed write means, in words an analyst can act on.
_WORDS = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "your disk quota is full: free some space and run again",
    errno.EROFS: "the disk is read-only: write somewhere else",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the path is too long: choose a shorter folder or file name",
}


class Staged:
    """The next version of `path`, written in full before it takes the name.

    Until `commit()` any earlier file at `path` stays exactly as it was; `discard()` (always
    call it, in a `finally`) removes what was not committed. With `exclusive`, an existing file
    at `path` is never replaced. Failures become an OutputError (exit 2).
    """

    def __init__(self, path: Path, exclusive: bool = False):
        self.path, self.exclusive = Path(path), exclusive
        self.committed = False
        self._fd: int | None = None
        self._name: Path | None = None
        # Folders made for this file go again if it is never committed.
        self._made = [p for p in [self.path.parent, *self.path.parent.parents] if not p.exists()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot write in the folder {self.path.parent} ({describe(exc)})",
                hint="Choose another output location.",
            ) from exc

    def write_bytes(self, data: bytes) -> None:
        try:
            fd = self._open()
            os.ftruncate(fd, 0)
            view = memoryview(data)
            while view:
                view = view[os.pwrite(fd, view, len(data) - len(view)) :]
        except OSError as exc:
            raise cannot_write(self.path, exc) from exc

    def write_text(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def read_bytes(self) -> bytes:
        return Path(self._where()).read_bytes()

    def _open(self) -> int:
        if self._fd is None:
            # A file without a name: if the process is killed, the system removes it.
            try:
                self._fd = os.open(self.path.parent, os.O_TMPFILE | os.O_RDWR, 0o666)
            except (AttributeError, OSError):  # not Linux, or a file system without them
                fd, name = tempfile.mkstemp(
                    prefix=f".{self.path.stem}.",
                    suffix=f"{self.path.suffix}.tmp",
                    dir=self.path.parent,
                )
                self._fd, self._name = fd, Path(name)
                # mkstemp makes the file private; an output is for sharing, as any new file is.
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self._name, 0o666 & ~umask)
        return self._fd

    def _where(self) -> str:
        self._open()
        return str(self._name) if self._name else f"/proc/self/fd/{self._fd}"

    def commit(self) -> None:
        try:
            if self.exclusive:  # a link fails if the path exists, where a rename replaces it
                self._open()
                self._link(self.path)
                if self._name is not None:
                    self._name.unlink()
            else:
                if self._name is None:  # name the nameless file beside the target first
                    self._name = self._link_beside()
                os.replace(self._name, self.path)
            self._name = None
            self.committed = True
        except FileExistsError as exc:
            raise OutputError(
                f"{self.path} already exists and is never overwritten",
                hint="Run the command again; it will choose the next free name.",
            ) from exc
        except OSError as exc:
            raise cannot_write(self.path, exc) from exc

    def _link_beside(self) -> Path:
        while True:
            name = self.path.parent / f".{self.path.stem}.{secrets.token_hex(4)}.tmp"
            try:
                self._link(name)
                return name
            except FileExistsError:
                continue

    def _link(self, target: Path) -> None:
        """Give the file the name `target` (failing if it exists)."""
        if self._name is not None:
            os.link(self._name, target)
            return
        # linkat(2) with AT_SYMLINK_FOLLOW names a nameless file through /proc; Python only
        # calls linkat, not link(2) (which would link the /proc entry itself), given a dir_fd.
        root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{self._fd}", target, src_dir_fd=root, follow_symlinks=True)
        finally:
            os.close(root)

    def discard(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._name is not None:
            self._name.unlink(missing_ok=True)
            self._name = None
        if not self.committed:
            for folder in self._made:  # innermost first
                try:
                    folder.rmdir()
                except OSError:  # not empty (another file went there), or already gone
                    break


class Staging:
    """The files of one run, made one by one and named together at the end, or not at all.

    ``with Staging() as staging:`` ... ``staging.add(path)`` ... ``staging.commit()``; leaving
    the block removes whatever was not committed, the last made first (it may sit in a folder
    the first one made).
    """

    def __init__(self):
        self.staged: list[Staged] = []

    def add(self, path: Path, exclusive: bool = False) -> Staged:
        self.staged.append(Staged(path, exclusive))
        return self.staged[-1]

    def commit(self) -> None:
        for stage in self.staged:
            stage.commit()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        for stage in reversed(self.staged):
            stage.discard()


def atomic_write(path: Path, make: Callable[[], bytes], exclusive: bool = False) -> None:
    """Write the bytes `make()` returns to `path`, all or nothing."""
    with Staging() as staging:
        staging.add(path, exclusive).write_bytes(make())
        staging.commit()


def describe(exc: OSError) -> str:
    """An operating system's error in plain words."""
    return _WORDS.get(exc.errno, exc.strerror or str(exc))


def cannot_write(path: Path, exc: OSError) -> OutputError:
    words = _WORDS.get(exc.errno)
    if words and exc.errno not in (errno.EACCES, errno.EPERM):
        return OutputError(f"{words} (writing {path})")
    return OutputError(
        f"cannot write {path} ({describe(exc)})",
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
