"""One release at a time: a lock file in the releases folder, held while a release is filed.

The team folder may be synced (OneDrive, Dropbox) or on a network drive, and opened from
Windows and macOS: the lock is a file created with O_CREAT | O_EXCL, which every one of them
honours, not an fcntl lock, which only some do. It says who holds it, where and since when,
so that whoever waits is told. A lock left by a release that died (its process is gone on
this computer, or it is older than any release takes) is taken over, saying so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..system.files import plain_reason
from ..words.problems import OutputError, PipelineError

LOCK_NAME = ".release-lock"
#: How long a second release waits for the first one before giving up.
WAIT_SECONDS = 60.0
#: How often it looks again meanwhile.
POLL_SECONDS = 0.5
#: A release takes seconds; a lock this old was left by one that never finished.
STALE_SECONDS = 600.0


class ReleaseBusy(PipelineError):
    """Another release was being filed all the time this one waited."""

    exit_status = 2


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    started: dt.datetime  # aware, UTC

    def __str__(self) -> str:
        when = self.started.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"started by {self.user} on {self.host} at {when}"


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (a service, a container)
        user = "someone"
    return Holder(user, socket.gethostname(), os.getpid(), dt.datetime.now(dt.UTC))


def _sees_processes() -> bool:
    """Whether a process of this computer can be asked after by its number. On Windows,
    os.kill(pid, 0) would end the process instead: there only the lock's age tells."""
    return os.name == "posix"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def _read(path: Path) -> Holder | None:
    """Who holds the lock, or None if that cannot be read (being written this instant, or
    damaged): then only its age tells."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(data["started"])
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), started)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _stale(path: Path, holder: Holder | None) -> str | None:
    """Why the lock at `path` was left behind by a release that is no longer running, or None
    if that release may still be running."""
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None  # released meanwhile: the next try takes it
    if holder is not None:
        age = max(age, (dt.datetime.now(dt.UTC) - holder.started).total_seconds())
        if holder.host == socket.gethostname() and _sees_processes() and not _alive(holder.pid):
            return "its process has ended"
    if age > STALE_SECONDS:
        return f"it is {age / 60:.0f} minutes old"
    return None


def _create(path: Path, me: Holder) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    text = json.dumps(
        {"user": me.user, "host": me.host, "pid": me.pid, "started": me.started.isoformat()}
    )
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    return True


def _take_over(path: Path, seen: Holder | None) -> bool:
    """Remove a stale lock, unless someone else took it over first: the lock is renamed to a
    name of this process's own, which only one renamer gets, and put back if it turns out to
    be another's fresh lock."""
    aside = path.with_name(f"{path.name}.{socket.gethostname()}.{os.getpid()}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return False
    if _read(aside) != seen:  # a fresh lock taken between looking and renaming
        with contextlib.suppress(OSError):
            os.rename(aside, path)
        return False
    with contextlib.suppress(OSError):
        aside.unlink()
    return True


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextlib.contextmanager
def release_lock(folder: Path, tell: Callable[[str], None] = _stderr) -> Iterator[None]:
    """Hold the releases folder's lock while the block runs: wait for another release (up to
    WAIT_SECONDS), take over a stale lock, and always remove the lock afterwards."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the releases folder {folder} ({plain_reason(exc)})",
            hint="Check that you may write there, then run again.",
        ) from exc
    path = folder / LOCK_NAME
    me = _me()
    deadline = time.monotonic() + WAIT_SECONDS
    told = False
    while True:
        try:
            if _create(path, me):
                break
        except OSError as exc:
            raise OutputError(
                f"cannot create {path} ({plain_reason(exc)})",
                hint="Check that you may write into the releases folder, then run again.",
            ) from exc
        holder = _read(path)
        why = _stale(path, holder)
        if why is not None:
            if _take_over(path, holder):
                who = f" ({holder})" if holder else ""
                tell(f"Taking over the lock of a release that did not finish{who}: {why}.")
            continue
        if time.monotonic() >= deadline:
            who = f" ({holder})" if holder else ""
            raise ReleaseBusy(
                f"another release is being filed{who}; no release was made",
                hint="Wait until it has finished, then run make release again.",
            )
        if not told:
            who = f" ({holder})" if holder else ""
            tell(f"Another release is being filed{who}; waiting...")
            told = True
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if _read(path) == me:  # never another's lock, taken over meanwhile
                path.unlink()
