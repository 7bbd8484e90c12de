"""The project's .venv: made for this computer, holding the libraries and never the project.

Run by make before every command, in two ways:

    .venv/bin/python -I -S pipeline/environment.py --check [--dev]    (quiet; 0: all in place)
    python3 -m pipeline.environment [--dev]                          (sets .venv up, saying so)

The first costs one start of Python, so a make command pays almost nothing once .venv is set
up; only when it fails does the system's Python look closer, say what it does, and do it.

The project itself is never installed into .venv: make runs `python -m pipeline` from the project
folder, which finds the package there. An installed copy (pip's editable install included)
records the folder's absolute path, so moving or renaming the folder would break it.

Standard library only, and nothing imported from the package: the system's Python runs this
before any library is there.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

VENV = Path(".venv")
#: What .venv was made for, written once its libraries are installed.
RECORD = "issues-matrix.json"
#: pip's output of the latest installation, kept for whoever has to look into a failure.
LOG = "setup-log.txt"

# pip's words when it cannot reach the package index (or a proxy, or DNS).
_OFFLINE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "Network is unreachable",
    "Connection refused",
    "No route to host",
    "NewConnectionError",
    "ConnectTimeoutError",
    "ProxyError",
    "Read timed out",
    # No index answered at all; an index that answered lists the versions it has.
    "(from versions: none)",
)

OFFLINE_ERROR = (
    "Error: setting up .venv needs the Internet once, to download the libraries, and it could "
    "not reach it."
)
OFFLINE_HINT = (
    "Hint: connect to the Internet and run the command again; after that it works offline."
)
FOREIGN = (
    "The .venv folder was made on another computer (or for another Python); setting it up "
    "again for this one."
)
FIRST_RUN = (
    "Setting up .venv (first run only): downloading and installing the libraries, "
    "about 2 minutes..."
)
AGAIN = "Downloading and installing the libraries into .venv, about 2 minutes..."
CHANGED = "The project's list of libraries has changed: installing them into .venv..."
DEV = "Installing the developers' libraries (tests, ruff) into .venv, once..."
#: A .venv without a record: set up by an earlier version of the tool, or never finished.
UNFINISHED = "Completing .venv: installing the libraries it lacks, a minute or two..."


def python_of(venv: Path) -> Path:
    """The venv's Python, where `python -m venv` puts it on this operating system."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def this_python() -> dict:
    """What a venv made by the running Python is made for."""
    return {
        "python": f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}",
        "system": platform.system(),
        "machine": platform.machine(),
    }


def dependencies(project: Path = Path(".")) -> dict[str, list[str]]:
    """The libraries pyproject.toml asks for: `runtime`, and `dev` for the tests and tools."""
    import tomllib  # here: a Python too old to have it is told so plainly, in main()

    with open(project / "pyproject.toml", "rb") as file:
        data = tomllib.load(file)["project"]
    return {
        "runtime": list(data.get("dependencies", [])),
        "dev": list(data.get("optional-dependencies", {}).get("dev", [])),
    }


def digest(requirements: list[str]) -> str:
    return hashlib.sha256(json.dumps(requirements).encode("utf-8")).hexdigest()[:16]


def read_record(venv: Path) -> dict | None:
    try:
        return json.loads((venv / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def probe(python: Path) -> dict | None:
    """What the venv's Python says it is, or None when it does not run here (its program is
    missing, a link to a Python this computer lacks, or made for another operating system)."""
    script = (
        "import json, platform, sys; print(json.dumps({'python': '%s-%d.%d' % "
        "(sys.implementation.name, *sys.version_info[:2]), 'system': platform.system(), "
        "'machine': platform.machine()}))"
    )
    try:
        result = subprocess.run(
            [str(python), "-I", "-S", "-c", script],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        return json.loads(result.stdout) if result.returncode == 0 else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def decide(venv: Path, wanted: dict[str, list[str]], dev: bool, running: dict | None) -> str:
    """What to do with `venv`: "ok", "create" (there is none), "replace" (it is not for this
    computer or this Python), "install" (it has not got every library yet), "update" (the list
    of libraries changed since they were installed) or "dev" (the developers' ones are missing).

    `running` is what the venv's own Python says it is (`probe`), None when it does not run.
    """
    if not venv.exists():
        return "create"
    if running is None:
        return "replace"
    record = read_record(venv)
    if record is None:
        return "install"
    if any(record.get(key) != value for key, value in running.items()):
        return "replace"
    if record.get("runtime") != digest(wanted["runtime"]):
        return "update"
    if dev and record.get("dev") != digest(wanted["dev"]):
        return "dev"
    return "ok"


def check(venv: Path, dev: bool) -> bool:
    """True when nothing needs doing; run by the venv's own Python, so it is its own probe."""
    return decide(venv, dependencies(), dev, this_python()) == "ok"


class SetupError(Exception):
    def __init__(self, message: str, hint: str, log: Path | None = None):
        super().__init__(message)
        self.message, self.hint, self.log = message, hint, log


def ensure(venv: Path, dev: bool, say=print, wanted: dict[str, list[str]] | None = None) -> str:
    """Make `venv` ready for this computer, saying first, in one line, what it does; returns
    the decision (see `decide`). `wanted`: the libraries, by default pyproject.toml's."""
    wanted = wanted or dependencies()
    python = python_of(venv)
    running = probe(python) if venv.exists() else None
    decision = decide(venv, wanted, dev, running)
    if decision == "ok":
        return decision
    if decision == "replace":
        say(FOREIGN)
    say(
        {"update": CHANGED, "dev": DEV, "replace": AGAIN, "install": UNFINISHED}.get(
            decision, FIRST_RUN
        )
    )
    if decision == "replace":
        _remove(venv)
    if decision in ("create", "replace"):
        _create(venv)
        running = probe(python)
        if running is None:
            raise SetupError(
                f"the Python just made in {venv} does not run.",
                "run 'make distclean' and try again; if it fails again, reinstall Python "
                f"{sys.version_info[0]}.{sys.version_info[1]}.",
            )
    kept = read_record(venv) if decision in ("update", "dev") else None
    record = {**(kept or {}), **running}
    if decision == "install":
        # A .venv from before the record holds an editable install of the project, pointing
        # at the folder where it was made: gone, so that only the folder's own copy is found.
        _pip(venv, ["uninstall", "--yes", "issues-matrix"])
    dev = dev or "dev" in record  # an update keeps the developers' libraries up to date too
    requirements = [] if decision == "dev" else list(wanted["runtime"])
    _pip(venv, ["install", *requirements, *(wanted["dev"] if dev else [])])
    record["runtime"] = digest(wanted["runtime"])
    if dev:
        record["dev"] = digest(wanted["dev"])
    (venv / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return decision


def _remove(venv: Path) -> None:
    try:
        shutil.rmtree(venv)
    except OSError as exc:
        raise SetupError(
            f"the old .venv folder cannot be deleted ({exc.strerror}: {exc.filename}).",
            "close the programs that may be using it (a terminal or an editor running its "
            "Python), or delete the .venv folder yourself, and run the command again.",
        ) from exc


def _create(venv: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        _remove(venv)
        why = (result.stderr or result.stdout).strip().splitlines()
        raise SetupError(
            "this Python cannot make a virtual environment"
            + (f" ({why[-1].strip()})." if why else "."),
            "on Debian or Ubuntu, install it with: sudo apt install python3-venv; then run the "
            "command again.",
        )


def _pip(venv: Path, arguments: list[str]) -> None:
    """Run pip quietly in `venv`; its output goes to the log, and a failure is one plain line."""
    command = [
        str(python_of(venv)), "-m", "pip", *arguments[:1],
        "--quiet", "--disable-pip-version-check", "--no-input", *arguments[1:],
    ]  # fmt: skip
    log = venv / LOG
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).strip()
    with open(log, "a", encoding="utf-8") as file:
        file.write(f"$ {' '.join(command)}\n{output}\n(exit status {result.returncode})\n\n")
    if result.returncode == 0:
        return
    if any(words in output for words in _OFFLINE):
        raise SetupError(
            OFFLINE_ERROR.removeprefix("Error: "), OFFLINE_HINT.removeprefix("Hint: "), log
        )
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    raise SetupError(
        "installing the libraries into .venv failed"
        + (f" (pip said: {lines[-1]})." if lines else "."),
        f"pip's own words are in {log}; run the command again, and if it fails the same way, "
        "send that file to the team that maintains the pipeline.",
    )


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    dev = "--dev" in arguments
    if sys.version_info < (3, 11):  # noqa: UP036 (the system's Python may be older)
        print(
            f"Error: the pipeline needs Python 3.11 or newer; this one is "
            f"{sys.version_info[0]}.{sys.version_info[1]} ({sys.executable}).",
            file=sys.stderr,
        )
        print("Hint: install a newer Python, or name it: make matrix PYTHON=python3.12",
              file=sys.stderr)  # fmt: skip
        return 2
    if "--check" in arguments:
        return 0 if check(VENV, dev) else 1
    try:
        ensure(VENV, dev, say=lambda line: print(line, flush=True))
    except SetupError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        print(f"Hint: {exc.hint}", file=sys.stderr)
        if exc.log is not None:
            print(f"What pip said is in {exc.log}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Nothing is recorded until pip has finished, so the next command starts again.
        print("Stopped: .venv is not set up yet; the next command sets it up.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
