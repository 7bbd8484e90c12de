"""The package installs as a wheel and runs outside the checkout: the rules ship with it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from conftest import REPO, SHIPPED_INPUTS


@pytest.mark.slow
def test_the_wheel_installs_into_a_fresh_environment_and_builds_the_matrix(tmp_path):
    # Built from a copy, so that the checkout gets no build/ folder.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("pipeline", "expectations"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", wheels, source],
        check=True, timeout=300,
    )  # fmt: skip
    wheel = next(wheels.glob("issues_matrix-*.whl"))
    assert {"pipeline/expectations/proposals.json", "pipeline/expectations/catalogue.json"} <= set(
        zipfile.ZipFile(wheel).namelist()
    )

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--disable-pip-version-check", wheel],
        check=True, timeout=300,
    )  # fmt: skip
    # The libraries it depends on come from this environment (the test runs offline); the
    # checkout itself is not on the path, nor this environment's editable install of it.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (venv / site / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "elsewhere"
    work.mkdir()
    inputs = shutil.copytree(SHIPPED_INPUTS, work / "my inputs")
    where = subprocess.run(
        [python, "-c", "import pipeline; print(pipeline.__file__)"],
        cwd=work, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(venv)), where
    result = subprocess.run(
        [venv / "bin" / "issues-matrix", "matrix", "--inputs", inputs],
        cwd=work, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Wrote outputs/WTSA-24/WTSA-24_Issues_Matrix.xlsx: 41 resolutions"
    )
    assert (work / "outputs" / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx").stat().st_size > 10_000
