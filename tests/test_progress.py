"""Progress lines: after a delay, on a terminal only."""

from __future__ import annotations

import io
import time

from pipeline.settings import Settings
from pipeline.system.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_for_a_quick_run():
    stream = Terminal()
    progress = Progress(stream, delay=5.0)
    progress.stage("reading the workbooks")
    progress.done()
    assert stream.getvalue() == ""


def test_a_slow_run_shows_the_current_stage_then_each_next_one():
    stream = Terminal()
    progress = Progress(stream, delay=0.05)
    progress.stage("reading the workbooks")
    time.sleep(0.3)
    progress.stage("writing the matrix")
    progress.done()
    lines = stream.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [
        "reading the workbooks…",
        "writing the matrix…",
    ]
    assert all(line.startswith("  [") and " s] " in line for line in lines)


def test_silent_when_piped_or_in_ci():
    assert Progress(io.StringIO(), delay=0.0).enabled is False  # not a terminal
    assert Progress(Terminal(), delay=0.0).enabled is True
    in_ci = Settings.from_environment({"CI": "true"})
    assert Progress(Terminal(), delay=0.0, enabled=in_ci.progress).enabled is False
