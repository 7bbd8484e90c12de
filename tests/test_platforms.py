"""The paths Windows and macOS take, run here on Linux by forcing each platform's choices."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import error_lines, write_region
from pipeline.system import files
from pipeline.system.files import Staged, atomic_write
from pipeline.words.problems import OutputError

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
    releases = tmp_path / "outputs" / "WTSA-24" / "releases"
    assert names(releases) == [
        "WTSA-24_Issues_Matrix_v1_2024-09-30.json",
        "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx",
    ]
    working = tmp_path / "outputs" / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx"
    assert (
        working.read_bytes() == (releases / "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx").read_bytes()
    )
    assert names(tmp_path / "outputs" / "WTSA-24") == ["WTSA-24_Issues_Matrix.xlsx", "releases"]


# Validating in a second process started as on Windows and macOS (spawn), not forked.


@pytest.fixture
def spawning(monkeypatch):
    """Validation in a spawned process; a process that dies is a failure here, not quietly
    replaced by validating in this one. Returns the start methods used."""
    from pipeline.checking import validate

    used = []
    real = validate.ProcessPoolExecutor

    def pool(*args, **kwargs):
        used.append(kwargs["mp_context"].get_start_method())
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "_start_method", lambda: "spawn")
    monkeypatch.setattr(validate, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(validate, "BrokenProcessPool", type("NeverRaised", (Exception,), {}))
    return used


def test_a_spawned_validation_finds_what_one_here_finds(shipped_inputs, spawning, validating):
    from pipeline import build
    from pipeline.checking import validate
    from pipeline.settings import Settings

    write_region(
        shipped_inputs,
        "APT",
        [
            [64, "MDO", "Doc 1", "x", "Low", ""],
            ["NEW-XX", "ADD", "Doc 2", "x", "Low", ""],
            [64, "MDO", "Doc 1", "x", "Low", ""],
            ["Res. 2", "MOD", "Doc 3", "x", "Sometimes", ""],
        ],
    )
    loaded = build.load(Settings(inputs=shipped_inputs))
    frames = (loaded.catalogue, loaded.proposals, loaded.tables, loaded.outcomes)
    here = validate.validate(*frames)
    with validate.alongside(*frames) as answer:
        spawned, seconds = answer()
    assert spawning == ["spawn"]
    assert spawned == here
    assert seconds > 0
    assert sorted(str(p) for p in here) == [
        "regions/APT.xlsx:Proposals!A5: Resolution 'NEW-XX' is not in the catalogue "
        "(resolutions.xlsx); correct it, or add the resolution to the catalogue",
        "regions/APT.xlsx:Proposals!A6: the same proposal (Res. 64 MDO, document Doc 1) is "
        "already on row 4; delete one of the two rows",
        "regions/APT.xlsx:Proposals!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC",
        "regions/APT.xlsx:Proposals!B6: Action 'MDO' is not one of ADD, MOD, SUP, NOC",
        "regions/APT.xlsx:Proposals!E7: Concern 'Sometimes' is not one of High, Medium, Low, None",
    ]


def test_make_validate_checks_in_its_own_process(inputs, run, spawning):
    """`validate` has nothing to lay out while the rules run: they run in its own process,
    and no second one is started, where one would be spawned (it cost more than it saved)."""
    write_region(inputs, "APT", [[64, "MDO", "Doc 1", "x", "Low", ""]])
    status, out, err = run("validate", "--inputs", inputs)
    assert (status, out) == (1, "")
    assert error_lines(err) == [
        "regions/APT.xlsx:Proposals!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC"
    ]
    assert spawning == []


def test_a_spawned_validation_builds_the_same_bytes(inputs, run, tmp_path, monkeypatch, spawning):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")
    outputs = {}
    for parallel in ("1", "0"):
        monkeypatch.setenv("PIPELINE_PARALLEL", parallel)
        output = tmp_path / f"parallel-{parallel}.xlsx"
        status, _, err = run("matrix", "--inputs", inputs, "--output", output)
        assert status == 0, err
        outputs[parallel] = output.read_bytes()
    assert spawning == ["spawn"]  # the in-turn build started no process
    assert outputs["1"] == outputs["0"]


def test_the_command_does_not_run_when_a_spawned_process_imports_it(monkeypatch):
    import runpy
    import sys

    monkeypatch.setattr(sys, "argv", ["issues-matrix", "--version-that-does-not-exist"])
    module = runpy.run_module("pipeline.__main__", run_name="__mp_main__")
    assert callable(module["main"])  # imported, and nothing ran (it would have exited)


def test_every_value_sent_to_a_spawned_process_pickles(shipped_inputs, validating):
    import pickle

    from pipeline import build
    from pipeline.settings import Settings
    from pipeline.words.problems import Code, Problem

    loaded = build.load(Settings(inputs=shipped_inputs))
    for value in (loaded.catalogue, loaded.proposals, loaded.outcomes, loaded.tables):
        again = pickle.loads(pickle.dumps(value))
        assert type(again) is type(value)
    table = loaded.tables["regions/APT.xlsx"]
    again = pickle.loads(pickle.dumps(table))
    assert (again.file, again.sheet, again.columns, again.group) == (
        table.file,
        table.sheet,
        table.columns,
        table.group,
    )
    problem = Problem(
        "regions/APT.xlsx", "m", Code.ACTION_INVALID, "Proposals", 4, 1, "Action", "MDO"
    )
    assert pickle.loads(pickle.dumps(problem)) == problem


# What Windows, macOS, Excel and LibreOffice leave in the inputs: never read, never reported.

CLUTTER = [
    "Thumbs.db",
    "thumbs.DB",
    "desktop.ini",
    "Desktop.ini",
    "ehthumbs.db",
    ".DS_Store",
    "._APT.xlsx",
    "Icon\r",
    "~$APT.xlsx",
    "~$resolutions.xlsx",
    "~WRL0001.tmp",
    "~DF3A2B.TMP",
    "APT.xlsx.tmp",
    "A1B2C3D4",
    "9a1b2c3d",
    ".~lock.APT.xlsx#",
]
NOT_CLUTTER = ["APT.xlsx", "notes.docx", "APT.xls", "A1B2C3D4.xlsx", "A1B2C3D", "Thumbs.db.xlsx"]


def test_clutter_is_told_from_inputs():
    from pipeline.reading.folders import is_clutter

    assert [name for name in CLUTTER if not is_clutter(name)] == []
    assert [name for name in NOT_CLUTTER if is_clutter(name)] == []


def _with_members(inputs: Path) -> Path:
    write_region(inputs, "APT", [[64, "MOD", "Doc 5", "US view", "High", ""]]).rename(
        Path(inputs / "members").mkdir() or inputs / "members" / "USA.xlsx"
    )
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "watch"],
        ],
    )
    return inputs


@pytest.mark.parametrize("name", CLUTTER)
@pytest.mark.parametrize("folder", ["regions", "members"])
def test_clutter_in_a_workbook_folder_is_passed_over(inputs, name, folder):
    from pipeline.reading.folders import find_submitter_files
    from pipeline.reading.matrix_toml import MatrixOptions
    from pipeline.words.vocab import Group

    _with_members(inputs)
    (inputs / folder / name).write_bytes(b"\0\1 not a workbook")
    group = Group.REGION if folder == "regions" else Group.MEMBER
    found, problems = find_submitter_files(inputs / folder, MatrixOptions(), group)
    assert problems == []
    assert {code: path.name for code, path in found.items()} == (
        {"APT": "APT.xlsx", "CEPT": "CEPT.xlsx"} if folder == "regions" else {"USA": "USA.xlsx"}
    )


def test_clutter_everywhere_builds_the_same_matrix(inputs, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")
    _with_members(inputs)
    status, _, err = run("matrix", "--inputs", inputs, "--output", tmp_path / "clean.xlsx")
    assert status == 0, err
    for folder in (inputs, inputs / "regions", inputs / "members"):
        for name in CLUTTER:
            (folder / name).write_bytes(b"\0\1 not a workbook")
    status, _, err = run("matrix", "--inputs", inputs, "--output", tmp_path / "cluttered.xlsx")
    assert (status, err) == (0, ""), err
    assert (tmp_path / "cluttered.xlsx").read_bytes() == (tmp_path / "clean.xlsx").read_bytes()


def test_a_real_stray_file_is_still_reported_among_clutter(inputs, run):
    for name in CLUTTER:
        (inputs / "regions" / name).write_bytes(b"clutter")
    (inputs / "regions" / "notes.docx").write_bytes(b"PK notes")
    (inputs / "regions" / "ATU.xls").write_bytes(b"old Excel")
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "regions/ATU.xls: is an Excel 97-2003 workbook: open it in Excel and save it as .xlsx "
        "(File > Save As > Excel Workbook)",
        "regions/notes.docx: is not an Excel workbook (.xlsx or .xlsm), so its proposals would "
        "be lost; save it as an Excel Workbook (.xlsx) or move it out of regions/",
    ]


def test_a_marked_folder_holding_only_what_finder_left_is_cleared(inputs, run, tmp_path):
    write_region(inputs, "APT", [[64, "MDO", "Doc 1", "x", "Low", ""]])
    assert run("validate", "--inputs", inputs)[0] == 1
    marked = tmp_path / "outputs" / "WTSA-24" / "validation"
    for name in ("Thumbs.db", ".DS_Store", "._APT.xlsx", "desktop.ini"):
        (marked / "regions" / name).write_bytes(b"seen in Explorer or Finder")
        (marked / name).write_bytes(b"seen in Explorer or Finder")
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "x", "Low", ""]])
    assert run("validate", "--inputs", inputs)[0] == 0
    assert not marked.exists()


def test_a_marked_copy_still_open_keeps_its_lock_file_and_folder(inputs, run, tmp_path):
    write_region(inputs, "APT", [[64, "MDO", "Doc 1", "x", "Low", ""]])
    assert run("validate", "--inputs", inputs)[0] == 1
    marked = tmp_path / "outputs" / "WTSA-24" / "validation"
    (marked / "regions" / "~$APT.xlsx").write_bytes(b"Excel has the copy open")
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "x", "Low", ""]])
    assert run("validate", "--inputs", inputs)[0] == 0
    assert sorted(p.relative_to(marked).as_posix() for p in marked.rglob("*")) == [
        "regions",
        "regions/~$APT.xlsx",
    ]


# Watch mode on any file system.


def test_clutter_coming_and_going_is_not_a_change(inputs):
    from pipeline.watch import state

    _with_members(inputs)
    before = state(inputs)
    for folder in (inputs, inputs / "regions", inputs / "members"):
        for name in CLUTTER:
            (folder / name).write_bytes(b"clutter")
    assert state(inputs) == before


def test_a_save_is_seen_where_files_have_no_identity(inputs, monkeypatch):
    """Some Windows and network file systems give every file the inode 0."""
    import types

    from pipeline.watch import state

    real = Path.stat

    def stat(self, **kwargs):
        info = real(self, **kwargs)
        return types.SimpleNamespace(
            st_mode=info.st_mode, st_ino=0, st_size=info.st_size, st_mtime_ns=info.st_mtime_ns
        )

    monkeypatch.setattr(Path, "stat", stat)
    apt = inputs / "regions" / "APT.xlsx"
    before = state(inputs)
    assert {identity for identity, _, _ in before.values()} == {0}

    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "a longer summary than before", "Low", ""]])
    resized = state(inputs)
    assert resized[str(apt)] != before[str(apt)]

    same_size = apt.read_bytes()
    apt.write_bytes(same_size)  # the same size: only the time tells
    os.utime(apt, ns=(resized[str(apt)][2] + 2_000_000_000,) * 2)
    assert state(inputs)[str(apt)] == (0, len(same_size), resized[str(apt)][2] + 2_000_000_000)
    assert state(inputs) != resized


# Names Windows cannot give a file.


def test_codes_windows_keeps_for_devices_are_refused_in_matrix_toml(inputs, run):
    (inputs / "matrix.toml").write_text(
        'title = "Matrix"\nregions = ["APT", "con", "CEPT", "Com1"]\nmembers = ["LPT9", "nul"]\n'
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 2: region code 'CON' cannot be used: Windows cannot have a file named "
        "CON.xlsx; choose another code, like CON1",
        "matrix.toml, line 2: region code 'COM1' cannot be used: Windows cannot have a file "
        "named COM1.xlsx; choose another code, like COM11",
        "matrix.toml, line 3: member state code 'LPT9' cannot be used: Windows cannot have a file "
        "named LPT9.xlsx; choose another code, like LPT91",
        "matrix.toml, line 3: member state code 'NUL' cannot be used: Windows cannot have a file "
        "named NUL.xlsx; choose another code, like NUL1",
    ]


def test_codes_like_device_names_are_allowed(inputs):
    from pipeline.reading.matrix_toml import load_config

    (inputs / "matrix.toml").write_text('regions = ["CON1", "COM10", "LPT", "NULL", "AUXI"]\n')
    config, problems = load_config(inputs)
    assert (config.regions, problems) == (("CON1", "COM10", "LPT", "NULL", "AUXI"), [])


@pytest.mark.parametrize(("folder", "noun"), [("regions", "region"), ("members", "member state")])
def test_a_workbook_named_for_a_windows_device_is_reported_by_name(inputs, run, folder, noun):
    (inputs / folder).mkdir(exist_ok=True)
    write_region(inputs, "CEPT", [[64, "MOD", "Doc 9", "x", "Low", ""]]).rename(
        inputs / folder / "nul.xlsx"
    )
    write_region(inputs, "CEPT", [[64, "MOD", "Doc 9", "x", "Low", ""]])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"{folder}/nul.xlsx: NUL cannot be a {noun} code: Windows cannot have a file named "
        "NUL.xlsx, so colleagues on Windows could not open or sync this workbook; rename it, "
        "like NUL1.xlsx"
    ]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('"WTSA/24"', "/"),
        ('"WTSA: 2024"', ":"),
        ("'WTSA \"24\" <draft>?'", '" < > ?'),
        ("'WTSA\\24|*'", "\\ | *"),
        ('"WTSA\\t24"', "a control character"),
    ],
)
def test_a_conference_no_file_can_be_named_after_is_refused(inputs, run, typed, shown):
    (inputs / "matrix.toml").write_text(f'title = "Matrix"\nconference = {typed}\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"matrix.toml, line 2: 'conference' names the output files, so it cannot hold {shown}: "
        'Windows file names cannot have any of / \\ : * ? " < > |; write it without, like WTSA-24'
    ]


def test_an_output_named_for_a_windows_device_is_refused(inputs, run):
    (inputs / "matrix.toml").write_text('output = "Con.xlsx"\n')
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "matrix.toml, line 1: 'output' cannot be 'Con.xlsx': Windows cannot have a file named "
        "CON.xlsx; choose another name, like Con1.xlsx"
    ]
