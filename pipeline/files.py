"""Writing files safely: a file appears complete under its name, or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .problems import OutputError


def atomic_write(path: Path, write: Callable[[Path], None], exclusive: bool = False) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place.

    A crash or a full disk leaves any earlier file at `path` exactly as it was, and no
    temporary file behind. With `exclusive`, an existing file at `path` is never replaced.
    Failures to write become an OutputError (exit status 2).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.stem}.", suffix=f"{path.suffix}.tmp", dir=path.parent
        )
        os.close(fd)
    except OSError as exc:
        raise OutputError(
            f"cannot write in the folder {path.parent} ({exc.strerror or exc})",
            hint="Choose another output location.",
        ) from exc
    tmp = Path(tmp_name)
    try:
        write(tmp)
        if exclusive:
            os.link(tmp, path)  # fails if path exists, where a rename would replace it
        else:
            os.replace(tmp, path)
    except FileExistsError as exc:
        raise OutputError(
            f"{path} already exists and is never overwritten",
            hint="Run the command again; it will choose the next free name.",
        ) from exc
    except OSError as exc:
        raise OutputError(
            f"cannot write {path} ({exc.strerror or exc})",
            hint="If the file is open in Excel, close it and run the command again.",
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
