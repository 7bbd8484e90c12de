"""Releases one at a time: a lock file in the releases folder, waited for, taken over when
stale, removed afterwards; two releases started together never both file v1."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CHECKOUT_ENV
from pipeline.versions import lock

RELEASES = Path("outputs") / "WTSA-24" / "releases"
V1 = "WTSA-24_Issues_Matrix_v1_2024-10-14"


@pytest.fixture(autouse=True)
def _dated(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728864000")  # 14 October 2024


def held_by(pid: int, started: dt.datetime, host: str | None = None) -> Path:
    RELEASES.mkdir(parents=True, exist_ok=True)
    path = RELEASES / lock.LOCK_NAME
    path.write_text(
        json.dumps(
            {
                "user": "amina",
                "host": host or socket.gethostname(),
                "pid": pid,
                "started": started.isoformat(),
            }
        )
    )
    return path


def ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def local(when: dt.datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def test_a_held_lock_makes_a_release_wait_then_refuse(inputs, run, monkeypatch):
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.05)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = held_by(os.getpid(), started)  # a live process on this computer
    status, out, err = run("release", "--inputs", inputs)
    assert (status, out) == (2, "")
    holder = f"started by amina on {socket.gethostname()} at {local(started)}"
    assert err.splitlines() == [
        f"Another release is being filed ({holder}); waiting...",
        f"Error: another release is being filed ({holder}); no release was made",
        "Hint: Wait until it has finished, then run make release again.",
    ]
    assert sorted(p.name for p in RELEASES.iterdir()) == [lock.LOCK_NAME]
    assert json.loads(path.read_text())["user"] == "amina"  # another's lock is left alone


def test_a_lock_held_elsewhere_is_waited_for_until_it_is_released(inputs, run, monkeypatch):
    path = held_by(4242, dt.datetime.now(dt.UTC), host="another-laptop")
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.05)
    sleep = time.sleep

    def other_release_finishes(seconds):
        path.unlink(missing_ok=True)
        sleep(seconds)

    monkeypatch.setattr(lock.time, "sleep", other_release_finishes)
    status, out, err = run("release", "--inputs", inputs)
    assert status == 0, err
    assert err.splitlines()[0].startswith(
        "Another release is being filed (started by amina on another-laptop at "
    )
    assert out.splitlines()[0] == f"Released v1: {RELEASES.as_posix()}/{V1}.xlsx"
    assert not path.exists()


def test_an_old_lock_is_taken_over_saying_so(inputs, run):
    started = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=20)
    held_by(4242, started, host="another-laptop")
    status, out, err = run("release", "--inputs", inputs)
    assert status == 0, err
    assert err.splitlines() == [
        "Taking over the lock of a release that did not finish (started by amina on "
        f"another-laptop at {local(started)}): it is 20 minutes old."
    ]
    assert out.splitlines()[0] == f"Released v1: {RELEASES.as_posix()}/{V1}.xlsx"
    assert sorted(p.name for p in RELEASES.iterdir()) == [f"{V1}.json", f"{V1}.xlsx"]


def test_the_lock_of_an_ended_process_on_this_computer_is_taken_over(inputs, run):
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    held_by(ended_pid(), started)
    status, out, err = run("release", "--inputs", inputs)
    assert (status, out.splitlines()[0]) == (0, f"Released v1: {RELEASES.as_posix()}/{V1}.xlsx")
    assert err.splitlines() == [
        "Taking over the lock of a release that did not finish (started by amina on "
        f"{socket.gethostname()} at {local(started)}): its process has ended."
    ]
    assert sorted(p.name for p in RELEASES.iterdir()) == [f"{V1}.json", f"{V1}.xlsx"]


def test_where_processes_cannot_be_asked_after_only_the_age_tells(inputs, run, monkeypatch):
    """Windows: os.kill would end the process, so a recent lock is waited for, whatever its
    process number."""
    monkeypatch.setattr(lock, "_sees_processes", lambda: False)
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.05)
    held_by(ended_pid(), dt.datetime.now(dt.UTC))
    status, _, err = run("release", "--inputs", inputs)
    assert status == 2
    assert err.splitlines()[-2].startswith("Error: another release is being filed (started by")


def test_a_lock_being_written_is_waited_for(inputs, run, monkeypatch):
    """A lock created an instant ago is still empty: it is held, not stale."""
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.05)
    RELEASES.mkdir(parents=True)
    (RELEASES / lock.LOCK_NAME).write_text("")
    status, _, err = run("release", "--inputs", inputs)
    assert status == 2
    assert err.splitlines() == [
        "Another release is being filed; waiting...",
        "Error: another release is being filed; no release was made",
        "Hint: Wait until it has finished, then run make release again.",
    ]


def test_a_failed_release_removes_its_lock(inputs, run):
    (inputs / "regions" / "APT.xlsx").write_bytes(b"not a workbook")
    status, _, _ = run("release", "--inputs", inputs)
    assert status == 1
    assert list(RELEASES.iterdir()) == []


@pytest.mark.slow
def test_two_releases_started_together_file_v1_once(inputs, tmp_path):
    env = {**CHECKOUT_ENV, "SOURCE_DATE_EPOCH": "1728864000"}
    command = [sys.executable, "-m", "pipeline", "release", "--inputs", str(inputs)]
    start = {"cwd": tmp_path, "env": env, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    processes = [subprocess.Popen(command, text=True, **start) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert [status for status, _, _ in results] == [0, 0], results
    firsts = sorted(out.splitlines()[0] for _, out, _ in results)
    assert firsts == [
        "Nothing has changed since v1 (2024-10-14): no new release was made.",
        f"Released v1: {RELEASES.as_posix()}/{V1}.xlsx",
    ]
    assert sorted(p.name for p in (tmp_path / RELEASES).iterdir()) == [
        f"{V1}.json",
        f"{V1}.xlsx",
    ]
