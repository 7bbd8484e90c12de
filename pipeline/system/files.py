"""Writing files safely: a file appears complete under its name, or not at all, and a failed or
killed run leaves nothing behind.

Every output is made in memory, then written to a file with no name (Linux's O_TMPFILE, which
the system removes by itself if the process dies) and given its name only on `commit()`.
Where the file system has no such files (Windows, macOS, some drives), a hidden temporary name
beside the target is used, removed on any failure the process lives through. An exclusive
commit (a release, never overwriting) is a hard link, which fails if the name is taken; where
there are no hard links it is a rename on Windows (which fails likewise), elsewhere a rename
over a name first reserved with O_EXCL.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..words.problems import OutputError, UsageError

#: What a failed write means, in words an analyst can act on.
_WORDS = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "your disk quota is full: free some space and run again",
    errno.EROFS: "the disk is read-only: write somewhere else",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the path is too long: choose a shorter folder or file name",
}


#: How a file system says it has no hard links: FAT and exFAT drives, many network and synced
#: folders. Windows' own codes too (invalid function, not supported, another drive, too many
#: links), which Python does not always turn into these.
_NO_LINK_ERRNOS = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)
_NO_LINK_WINERRORS = frozenset({1, 17, 50, 1142})


# The platform's choices, each in one place, so that tests on Linux can force the paths
# Windows and macOS take.


def _nameless_supported() -> bool:
    """Whether a file can be made without a name: Linux's O_TMPFILE, named through /proc."""
    return hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def _hard_link(source, target, **options) -> None:
    """os.link, which a drive without hard links refuses (and some Pythons lack)."""
    os.link(source, target, **options)


def _rename_refuses_existing() -> bool:
    """Whether os.rename fails where the target exists (Windows) instead of replacing it."""
    return os.name == "nt"


def _no_hard_links(exc: BaseException) -> bool:
    if isinstance(exc, AttributeError):
        return True
    if isinstance(exc, FileExistsError) or not isinstance(exc, OSError):
        return False
    return exc.errno in _NO_LINK_ERRNOS or getattr(exc, "winerror", None) in _NO_LINK_WINERRORS


def _write_all(fd: int, data: bytes) -> None:
    """All of `data`, from the file's start; Windows has no pwrite, so it seeks and writes."""
    view = memoryview(data)
    if hasattr(os, "pwrite"):
        while view:
            view = view[os.pwrite(fd, view, len(data) - len(view)) :]
        return
    os.lseek(fd, 0, os.SEEK_SET)
    while view:
        view = view[os.write(fd, view) :]


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
                f"cannot write in the folder {self.path.parent} ({plain_reason(exc)})",
                hint="Choose another output location.",
            ) from exc

    def write_bytes(self, data: bytes) -> None:
        try:
            fd = self._open()
            os.ftruncate(fd, 0)
            _write_all(fd, data)
        except OSError as exc:
            raise cannot_write(self.path, exc) from exc

    def write_text(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def read_bytes(self) -> bytes:
        return Path(self._where()).read_bytes()

    def _open(self) -> int:
        if self._fd is None and _nameless_supported():
            # A file without a name: if the process is killed, the system removes it.
            with contextlib.suppress(OSError):  # a file system without them
                self._fd = os.open(self.path.parent, os.O_TMPFILE | os.O_RDWR, 0o666)
        if self._fd is None:
            self._open_named()
        return self._fd

    def _open_named(self) -> None:
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

    def _give_a_name(self) -> None:
        """Copy a nameless file into a named one beside the target: its file system makes
        nameless files but cannot link them to a name."""
        data = self.read_bytes()
        nameless, self._fd = self._fd, None
        os.close(nameless)
        self._open_named()
        _write_all(self._fd, data)

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _where(self) -> str:
        self._open()
        return str(self._name) if self._name else f"/proc/self/fd/{self._fd}"

    def commit(self) -> None:
        try:
            self._open()
            if self.exclusive:
                self._name_exclusively()
            else:
                self._name_over()
            self.committed = True
        except FileExistsError as exc:
            raise OutputError(
                f"{self.path} already exists and is never overwritten",
                hint="Run the command again; it will choose the next free name.",
            ) from exc
        except OSError as exc:
            raise cannot_write(self.path, exc) from exc

    def _name_over(self) -> None:
        """Take the name, replacing any earlier file there in one step."""
        if self._name is None:  # name the nameless file beside the target first
            try:
                self._name = self._link_beside()
            except (OSError, AttributeError) as exc:
                if not _no_hard_links(exc):
                    raise
                self._give_a_name()
        self._close()  # Windows renames no file that is open
        os.replace(self._name, self.path)
        self._name = None

    def _name_exclusively(self) -> None:
        """Take the name only if nothing has it; an existing file is never replaced."""
        if not _rename_refuses_existing():
            try:  # a link fails if the path exists, where a rename on POSIX replaces it
                self._link(self.path)
            except (OSError, AttributeError) as exc:
                if not _no_hard_links(exc):
                    raise
            else:
                self._close()
                if self._name is not None:
                    self._name.unlink()
                    self._name = None
                return
        # No hard links here (FAT and exFAT drives, many network and synced folders), or
        # Windows, where a rename is exclusive already.
        if self._name is None:
            self._give_a_name()
        self._close()
        if _rename_refuses_existing():
            os.rename(self._name, self.path)
        else:
            # Reserve the name: O_EXCL fails if it exists; the rename then replaces only our
            # own empty file. Someone else's file could take the name only in between, from
            # a program that replaces files without asking.
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            try:
                os.replace(self._name, self.path)
            except BaseException:
                self.path.unlink(missing_ok=True)
                raise
        self._name = None

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
            _hard_link(self._name, target)
            return
        # linkat(2) with AT_SYMLINK_FOLLOW names a nameless file through /proc; Python only
        # calls linkat, not link(2) (which would link the /proc entry itself), given a dir_fd.
        root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        try:
            _hard_link(f"/proc/self/fd/{self._fd}", target, src_dir_fd=root, follow_symlinks=True)
        finally:
            os.close(root)

    def discard(self) -> None:
        self._close()
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


def plain_reason(exc: OSError) -> str:
    """An operating system's error in plain words."""
    return _WORDS.get(exc.errno, exc.strerror or str(exc))


def cannot_write(path: Path, exc: OSError) -> OutputError:
    words = _WORDS.get(exc.errno)
    if words and exc.errno not in (errno.EACCES, errno.EPERM):
        return OutputError(f"{words} (writing {path})")
    return OutputError(
        f"cannot write {path} ({plain_reason(exc)})",
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
