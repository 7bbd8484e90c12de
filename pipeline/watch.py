"""Watch mode: keep the libraries loaded and rebuild the matrix whenever an input is saved.

The inputs folder is looked at a few times a second (no extra library, works the same on every
system and on network drives). Excel saves by writing a new file and renaming it over the old
one: the file's identity, size or time changes, which is what is compared (where a file
system has no identities, as some Windows and network drives, which give 0, the size and time
still tell). What comes and goes as workbooks are opened and saved (Excel's lock and temporary
files) and what the system leaves (Thumbs.db, .DS_Store) are not inputs, so they are ignored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from .build import build
from .checking.recall import remember_results
from .checking.validate import warm_up
from .reading.folders import MEMBERS_DIR, REGIONS_DIR, is_clutter
from .reading.load import remember_reads
from .settings import Settings
from .words.problems import InputsInvalid, PipelineError

State = dict[str, tuple[int, int, int]]


def state(inputs_dir: Path) -> State:
    """What identifies each input file's current version: inode, size, modification time."""
    found: State = {}
    candidates = [*Path(inputs_dir).glob("*")]
    for name in (REGIONS_DIR, MEMBERS_DIR):
        folder = Path(inputs_dir) / name
        if folder.is_dir():
            candidates += folder.glob("*")
    for path in candidates:
        if is_clutter(path) or not path.is_file():
            continue
        try:
            info = path.stat()
        except OSError:  # gone between listing and looking: the next look will tell
            continue
        found[str(path)] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def watch(
    settings: Settings,
    interval: float = 0.3,
    stop: threading.Event | None = None,
    say: Callable[[str], None] = print,
) -> int:
    """Build now, then after every save, until `stop` is set (or Ctrl-C). Returns builds made."""
    stop = stop or threading.Event()
    inputs_dir = settings.inputs
    say(f"Watching {inputs_dir} (Ctrl-C to stop).")
    warm_up()  # load Great Expectations once, now, rather than at the first save
    remember_results()  # a save changes a few cells: only the rules that read them rerun
    remember_reads()  # nor need the other workbooks be read again
    try:
        return _watch(settings, inputs_dir, interval, stop, say)
    finally:  # what was remembered is watch mode's alone
        remember_results(False)
        remember_reads(False)


def _watch(settings, inputs_dir, interval, stop, say) -> int:
    seen = state(inputs_dir)
    _rebuild(settings, say)
    builds = 1
    while not stop.wait(interval):
        now = state(inputs_dir)
        if now == seen:
            continue
        # A save is a burst of changes (a temporary file, a rename): wait until it settles.
        while not stop.wait(interval):
            settled = state(inputs_dir)
            if settled == now:
                break
            now = settled
        if stop.is_set():
            break
        seen = now
        _rebuild(settings, say)
        builds += 1
    return builds


def _rebuild(settings: Settings, say: Callable) -> None:
    stamp = time.strftime("%H:%M:%S")
    start = time.perf_counter()
    try:
        built = build(settings.now())
    except InputsInvalid as exc:
        for line in exc.report.lines():
            say(line)
        say(f"[{stamp}] {exc.message} The last good matrix is unchanged.")
        return
    except PipelineError as exc:
        say(f"[{stamp}] Error: {exc.message}")
        return
    for problem in built.warnings:
        say(str(problem))
    seconds = time.perf_counter() - start
    say(
        f"[{stamp}] matrix updated in {seconds:.1f} s ({built.proposals:,} proposals): {built.path}"
    )
