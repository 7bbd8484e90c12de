"""Per-stage progress lines, for runs long enough to make someone wonder.

Nothing is shown for the first couple of seconds; after that the current stage is printed, and
each stage after it, with the time so far. Only on a terminal: when the output is piped or
captured, or in CI, a run stays quiet.
"""

from __future__ import annotations

import sys
import threading
import time

DELAY = 2.0  # seconds before the first line


class Progress:
    def __init__(self, stream=None, delay: float = DELAY, enabled: bool = True):
        """`enabled`: whether the run may show lines at all (not in CI); they are shown only
        on a terminal."""
        self.stream = stream or sys.stderr
        enabled = enabled and _is_terminal(self.stream)
        self.enabled = enabled
        self.start = time.monotonic()
        self.current: str | None = None
        self.showing = False
        self._lock = threading.Lock()
        self._timer = None
        if enabled:
            self._timer = threading.Timer(delay, self._late)
            self._timer.daemon = True
            self._timer.start()

    def stage(self, text: str) -> None:
        with self._lock:
            self.current = text
            if self.showing:
                self._print(text)

    def done(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _late(self) -> None:
        with self._lock:
            self.showing = True
            if self.current:
                self._print(self.current)

    def _print(self, text: str) -> None:
        elapsed = time.monotonic() - self.start
        print(f"  [{elapsed:5.1f} s] {text}…", file=self.stream, flush=True)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def quiet(_text: str) -> None:
    """A progress callback that says nothing."""
