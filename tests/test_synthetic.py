"""The benchmark's synthetic inputs follow the contract: they validate, and hold what they say."""

from __future__ import annotations

import collections

import openpyxl
import pytest

from benchmarks.synthetic import TEN_TIMES, Size, generate
from pipeline.build import check
from pipeline.settings import Settings
from pipeline.words import frames as F


def test_synthetic_inputs_validate_with_the_expected_count(tmp_path, validating):
    size = Size("small", regions=3, rows_per_region=60, resolutions=40)
    assert generate(tmp_path / "in", size) == 180
    checked = check(Settings(inputs=tmp_path / "in"))
    assert len(checked.proposals) == 180
    assert checked.inputs.submitter_codes == ["R01", "R02", "R03"]
    assert len(checked.catalogue) == 40
    assert set(checked.proposals[F.ACTION]) == {"ADD", "MOD", "SUP", "NOC"}
    per_cell = collections.Counter(
        zip(checked.proposals[F.SUBMITTER], checked.proposals[F.KEY], strict=True)
    )
    assert max(per_cell.values()) >= 2


def test_ten_times_the_shipped_data(tmp_path, validating):
    assert generate(tmp_path / "in", TEN_TIMES) == TEN_TIMES.proposals == 852
    checked = check(Settings(inputs=tmp_path / "in"))
    assert len(checked.proposals) == 852
    assert len(checked.catalogue) == 410


def test_the_same_seed_gives_the_same_inputs(tmp_path):
    size = Size("tiny", regions=1, rows_per_region=5, resolutions=10)
    generate(tmp_path / "a", size)
    generate(tmp_path / "b", size)

    def rows(folder):
        sheet = openpyxl.load_workbook(folder / "regions" / "R01.xlsx").active
        return list(sheet.iter_rows(values_only=True))

    assert rows(tmp_path / "a") == rows(tmp_path / "b")


@pytest.mark.slow
def test_the_benchmark_measures_a_build(tmp_path, monkeypatch, validating):
    """`make bench` is not run by the tests; this keeps its measuring code in step with the
    pipeline's (one run on the shipped inputs)."""
    from benchmarks import bench
    from conftest import SHIPPED_INPUTS

    monkeypatch.setattr(bench, "WORK", tmp_path)
    floors: list[float] = []
    measured = bench._measure(SHIPPED_INPUTS, 1, floors)
    assert measured["proposals"] == 93
    assert set(measured["stages"]) == set(bench.STAGES)
    assert all(seconds > 0 for seconds in measured["stages"].values())
    assert measured["wall"] > 0 and measured["peak_mb"] > 50 and len(floors) == 1


def test_the_scaling_measurement_builds_what_it_generates(tmp_path, validating):
    """`make fuzz` ends with benchmarks/scaling.py, which no other test runs; this keeps it in
    step with the pipeline (one small build of its odd inputs)."""
    from benchmarks import scaling

    proposals, seconds = scaling.measure(tmp_path, 50, 1)
    assert proposals == 50  # ten per region, every odd key spelling read
    assert seconds > 0
    assert [p.name for p in (tmp_path / "out-50").iterdir()] == ["WTSA-24_Issues_Matrix.xlsx"]
