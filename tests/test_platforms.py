"""The paths Windows and macOS take, run here on Linux by forcing each platform's choices."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from pipeline import files
from pipeline.files import Staged, atomic_write
from pipeline.problems import OutputError

DATA = b"PK\x03\x04 a whole workbook\r\n\n" * 10_000


def _open_here(path) -> bool:
    """Whether this process holds `path` open, as Windows would refuse to rename it."""
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


def _no_links(*args, **kwargs):
    raise OSError(errno.EPERM, "Operation not permitted")


def _force_windows(monkeypatch):
    """Windows: no nameless files, no pwrite, a rename that refuses an existing target, and no
    rename or replace of a file that is still open."""
    real_rename, real_replace = os.rename, os.replace

    def rename(source, target):
        assert not _open_here(Path(source).resolve()), "Windows renames no open file"
        if os.path.exists(target):
            raise FileExistsError(
                errno.EEXIST, "Cannot create a file when that file already exists"
            )
        real_rename(source, target)

    def replace(source, target):
        assert not _open_here(Path(source).resolve()), "Windows replaces no open file"
        real_replace(source, target)

    def link(*args, **kwargs):
        raise AssertionError("on Windows an exclusive commit is a rename, never a link")

    monkeypatch.setattr(files, "_nameless_supported", lambda: False)
    monkeypatch.setattr(files, "_rename_refuses_existing", lambda: True)
    monkeypatch.setattr(files, "_hard_link", link)
    monkeypatch.setattr(files.os, "rename", rename)
    monkeypatch.setattr(files.os, "replace", replace)
    monkeypatch.delattr(files.os, "pwrite")


PLATFORMS = {
    "no-nameless-files": lambda mp: mp.setattr(files, "_nameless_supported", lambda: False),
    "nameless-files-without-links": lambda mp: mp.setattr(files, "_hard_link", _no_links),
    "no-hard-links": lambda mp: (
        mp.setattr(files, "_nameless_supported", lambda: False),
        mp.setattr(files, "_hard_link", _no_links),
    ),
    "windows": _force_windows,
}


@pytest.fixture(params=list(PLATFORMS))
def platform(request, monkeypatch):
    PLATFORMS[request.param](monkeypatch)
    return request.param


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_file_is_written_complete_and_nothing_else_is_left(platform, tmp_path):
    target = tmp_path / "m.xlsx"
    atomic_write(target, lambda: DATA)
    assert target.read_bytes() == DATA
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    atomic_write(target, lambda: b"the next version")  # a working matrix is replaced
    assert (target.read_bytes(), names(tmp_path)) == (b"the next version", ["m.xlsx"])


def test_an_exclusive_commit_takes_a_free_name(platform, tmp_path):
    target = tmp_path / "releases" / "v1.xlsx"
    atomic_write(target, lambda: DATA, exclusive=True)
    assert target.read_bytes() == DATA
    assert names(target.parent) == ["v1.xlsx"]


def test_an_exclusive_commit_refuses_an_existing_file_and_leaves_it_as_it_was(platform, tmp_path):
    target = tmp_path / "v1.xlsx"
    target.write_bytes(b"the release analysts were sent")
    with pytest.raises(OutputError) as caught:
        atomic_write(target, lambda: DATA, exclusive=True)
    assert caught.value.message == f"{target} already exists and is never overwritten"
    assert target.read_bytes() == b"the release analysts were sent"
    assert names(tmp_path) == ["v1.xlsx"]


def test_a_discarded_file_leaves_nothing_not_even_its_folders(platform, tmp_path):
    stage = Staged(tmp_path / "new" / "folder" / "m.xlsx", exclusive=True)
    stage.write_bytes(DATA)
    assert stage.read_bytes() == DATA
    stage.discard()
    assert names(tmp_path) == []


def test_a_failed_rename_leaves_nothing_temporary(platform, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    if platform == "no-nameless-files":  # where an exclusive commit links instead
        monkeypatch.setattr(files, "_hard_link", fail)
    monkeypatch.setattr(files.os, "replace", fail)
    monkeypatch.setattr(files.os, "rename", fail)
    for exclusive in (False, True):
        with pytest.raises(OutputError) as caught:
            atomic_write(tmp_path / "m.xlsx", lambda: DATA, exclusive=exclusive)
        assert caught.value.message == f"cannot write {tmp_path / 'm.xlsx'} (permission denied)"
        assert names(tmp_path) == []  # no temporary file, and no reservation of the name


def test_without_hard_links_the_name_is_reserved_before_the_rename(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_nameless_supported", lambda: False)
    monkeypatch.setattr(files, "_hard_link", _no_links)
    seen = []
    real = os.replace

    def replace(source, target):
        seen.append((Path(target).read_bytes(), Path(source).read_bytes() == DATA))
        real(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    atomic_write(tmp_path / "v1.xlsx", lambda: DATA, exclusive=True)
    assert seen == [(b"", True)]  # an empty file held the name; the whole file replaced it


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOTSUP, "Operation not supported"),
        OSError(errno.EXDEV, "Invalid cross-device link"),
        OSError(errno.EMLINK, "Too many links"),
        OSError(errno.ENOSYS, "Function not implemented"),
        AttributeError("module 'os' has no attribute 'link'"),
    ],
)
def test_every_way_of_saying_no_hard_links_falls_back(tmp_path, monkeypatch, error):
    def link(*args, **kwargs):
        raise error

    monkeypatch.setattr(files, "_hard_link", link)
    atomic_write(tmp_path / "v1.xlsx", lambda: DATA, exclusive=True)
    atomic_write(tmp_path / "m.xlsx", lambda: DATA)
    assert names(tmp_path) == ["m.xlsx", "v1.xlsx"]
    assert (tmp_path / "v1.xlsx").read_bytes() == DATA


def test_another_link_failure_is_not_taken_for_missing_hard_links(tmp_path, monkeypatch):
    def link(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_hard_link", link)
    with pytest.raises(OutputError) as caught:
        atomic_write(tmp_path / "v1.xlsx", lambda: DATA, exclusive=True)
    assert caught.value.message == (
        f"the disk is full: free some space and run again (writing {tmp_path / 'v1.xlsx'})"
    )
    assert names(tmp_path) == []


def test_releases_are_filed_without_hard_links_as_with_them(
    platform, inputs, run, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")  # 2024-09-30
    status, _, err = run("release", "--inputs", inputs)
    assert status == 0, err
    releases = tmp_path / "outputs" / "releases"
    assert names(releases) == [
        "WTSA-24_Issues_Matrix_v1_2024-09-30.json",
        "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx",
    ]
    working = tmp_path / "outputs" / "WTSA-24_Issues_Matrix.xlsx"
    assert (
        working.read_bytes() == (releases / "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx").read_bytes()
    )
    assert names(tmp_path / "outputs") == ["WTSA-24_Issues_Matrix.xlsx", "releases"]
