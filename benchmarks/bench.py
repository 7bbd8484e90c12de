"""Benchmark: the pipeline's own time per stage, whole runs, the import floor, peak memory.

    python benchmarks/bench.py [--runs 3] [--sizes shipped,10x,100k]

Three sizes: the shipped inputs, ten times them (synthetic), and 100,000 proposals (20 regions x
5,000 rows over 2,000 resolutions, synthetic). For each: the seconds of each stage in one
process with the libraries loaded (median of the runs), the wall time of a whole
`python -m pipeline matrix` process, and the peak memory of that run (the process and its
validator together), and watch mode's rebuild after a region workbook is saved (shipped and
10x; median of 2 x runs + 1, and as a ratio to the whole process). The floor is a process
that only imports pandas and great_expectations.
The figures are printed and written to outputs/bench/latest.md. This is a measurement, not a
test: nothing here passes or fails, it reports against the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import LARGE, TEN_TIMES, generate  # noqa: E402

STAGES = ("load", "validate", "merge", "render", "write")
WORK = REPO / "outputs" / "bench"
TARGETS = {
    "ratio": 1.3,
    "large_seconds": 20.0,
    "large_memory_mb": 1536,
    "growth": 12.0,
    "watch_seconds": 0.3,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median; >= 3)")
    parser.add_argument("--sizes", default="shipped,10x,100k")
    args = parser.parse_args()
    runs = max(3, args.runs)
    WORK.mkdir(parents=True, exist_ok=True)

    inputs = {"shipped": REPO / "inputs"}
    for size in (TEN_TIMES, LARGE):
        if size.name in args.sizes.split(","):
            inputs[size.name] = _synthetic(size)
    sizes = [s for s in args.sizes.split(",") if s in inputs]

    print(_machine())
    # The floor is measured between the runs it is compared with, so that whatever else the
    # machine is doing weighs on both alike.
    floors: list[float] = []
    results = {}
    for name in sizes:
        print(f"measuring {name}: {inputs[name]}")
        results[name] = _measure(inputs[name], runs, floors)
    floor = statistics.median(floors)
    print(
        f"\nfloor: a process that imports pandas and great_expectations: {floor:.2f} s "
        f"(median of {len(floors)})"
    )
    for name in sizes:
        print(f"\n{name}:")
        _print_size(results[name], floor)

    report = _report(results, floor, runs)
    print("\n" + report["verdicts"])
    (WORK / "latest.md").write_text(report["markdown"], encoding="utf-8")
    print(f"\nWritten to {WORK / 'latest.md'}")
    return 0


def _synthetic(size) -> Path:
    folder = WORK / f"inputs-{size.name}"
    marker = folder / ".generated"
    stamp = f"{size}"
    if not (marker.is_file() and marker.read_text() == stamp):
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        count = generate(folder, size)
        marker.write_text(stamp)
        print(f"generated {count:,} proposals in {folder} ({time.perf_counter() - started:.1f} s)")
    return folder


def _measure(inputs: Path, runs: int, floors: list[float]) -> dict:
    from pipeline.build import build
    from pipeline.checking.validate import warm_up
    from pipeline.settings import Settings

    warm_up()  # stage times are the pipeline's own: the libraries are loaded once, before
    output = WORK / "matrix.xlsx"
    empty = WORK / "no-releases"  # a release to compare with would add its own stage
    stages = {s: [] for s in STAGES}
    proposals = 0
    for _ in range(runs):
        settings = Settings(inputs=inputs, outputs=WORK, output=output, releases=empty)
        built = build(settings)
        proposals = built.proposals
        for stage in STAGES:
            stages[stage].append(built.timings.get(stage, 0.0))
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "matrix",
        "--inputs",
        str(inputs),
        "--output",
        str(output),
        "--releases",
        str(empty),
    ]
    walls, peaks = [], []
    for _ in range(runs):
        floors.append(_process([sys.executable, "-c", "import pandas, great_expectations"])[0])
        wall, peak = _process(command)
        walls.append(wall)
        peaks.append(peak)
    median = {s: statistics.median(v) for s, v in stages.items()}
    return {
        "proposals": proposals,
        "stages": median,
        "own": sum(median.values()),
        "wall": statistics.median(walls),
        "peak_mb": max(peaks),
        # A rebuild takes a fraction of a second: more runs cost little and steady the median.
        "watch": _watch_rebuild(inputs, 2 * runs + 1) if inputs.name != "inputs-100k" else None,
        "watch_runs": 2 * runs + 1,
    }


def _watch_rebuild(inputs: Path, runs: int) -> float:
    """The median seconds of watch mode's rebuild after one region workbook is saved (a cell
    of its first proposal edited), Great Expectations loaded and the last results remembered,
    as `make watch` has them."""
    from pipeline.build import build
    from pipeline.checking.recall import remember_results
    from pipeline.reading.load import remember_reads
    from pipeline.settings import Settings

    copy = WORK / f"watch-{inputs.name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(inputs, copy)
    remember_results()
    remember_reads()
    settings = Settings(
        inputs=copy, outputs=WORK, output=WORK / "watch.xlsx", releases=WORK / "no-releases"
    )
    region = sorted((copy / "regions").glob("*.xlsx"))[0]
    try:
        build(settings.now())  # what a save is compared with, as watch mode's first build
        times = _saves_and_rebuilds(build, settings, region, runs)
    finally:  # the cold figures of the next size are measured with nothing remembered
        remember_results(False)
        remember_reads(False)
    return statistics.median(times)


def _saves_and_rebuilds(build, settings, region: Path, runs: int) -> list[float]:
    import openpyxl

    times = []
    for run in range(runs):
        book = openpyxl.load_workbook(region)
        sheet = book.worksheets[0]
        header = next(r for r in sheet.iter_rows() if r[0].value == "Resolution")
        summary = [c.value for c in header].index("Summary")
        sheet.cell(row=header[0].row + 1, column=summary + 1).value = f"Edited in run {run}"
        book.save(region)
        started = time.perf_counter()
        build(settings.now())
        times.append(time.perf_counter() - started)
    return times


def _process(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a process, and the peak memory (MB) of it and its children together."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=WORK,
        # The project is run from its folder, not installed: named on the path from WORK.
        env={**os.environ, "CI": "1", "PYTHONPATH": str(REPO)},
    )
    peak = [0]
    watcher = threading.Thread(target=_sample_memory, args=(process, peak), daemon=True)
    watcher.start()
    _, err = process.communicate()
    wall = time.perf_counter() - started
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()}")
    return wall, peak[0] / 1024


def _sample_memory(process, peak: list[int]) -> None:
    """Sum the resident memory (KB) of the process and its children, every 20 ms."""
    while process.poll() is None:
        total = _rss(process.pid)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        with contextlib.suppress(OSError):  # the process may end between two looks
            total += sum(_rss(int(pid)) for pid in children.read_text().split())
        peak[0] = max(peak[0], total)
        time.sleep(0.02)


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _print_size(result: dict, floor: float) -> None:
    stages = "  ".join(f"{s} {result['stages'][s]:.2f}" for s in STAGES)
    print(f"  {result['proposals']:,} proposals")
    print(f"  stages (s, median, libraries loaded): {stages}  = {result['own']:.2f}")
    print(f"  whole process: {result['wall']:.2f} s ({result['wall'] / floor:.2f} x the floor)")
    print(f"  peak memory: {result['peak_mb']:.0f} MB")
    if result.get("watch") is not None:
        print(
            f"  watch mode, rebuild after a region workbook is saved: {result['watch']:.2f} s "
            f"(median of {result['watch_runs']}), {result['watch'] / result['wall']:.3f} x the "
            f"cold build's {result['wall']:.2f} s"
        )


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("pandas", "great_expectations", "xlsxwriter", "python-calamine", "openpyxl")
    )
    return (
        f"Machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {versions}"
    )


def _report(results: dict, floor: float, runs: int) -> dict:
    verdicts = []

    def verdict(ok: bool, text: str) -> None:
        verdicts.append(f"{'PASS' if ok else 'MISS'}  {text}")

    if "shipped" in results:
        ratio = results["shipped"]["wall"] / floor
        verdict(
            ratio <= TARGETS["ratio"],
            f"shipped data: whole process {ratio:.2f} x the import floor "
            f"(target <= {TARGETS['ratio']})",
        )
    if results.get("shipped", {}).get("watch") is not None:
        watch = results["shipped"]["watch"]
        verdict(
            watch <= TARGETS["watch_seconds"],
            f"shipped data: watch mode rebuilds in {watch:.2f} s after a save "
            f"(target <= {TARGETS['watch_seconds']} s)",
        )
    if "100k" in results:
        large = results["100k"]
        verdict(
            large["wall"] < TARGETS["large_seconds"],
            f"100,000 proposals: {large['wall']:.1f} s end to end "
            f"(target < {TARGETS['large_seconds']:.0f} s)",
        )
        verdict(
            large["peak_mb"] < TARGETS["large_memory_mb"],
            f"100,000 proposals: peak memory {large['peak_mb']:.0f} MB (target < 1.5 GB)",
        )
    if "shipped" in results and "10x" in results:
        growth = results["10x"]["own"] / results["shipped"]["own"]
        data = results["10x"]["proposals"] / results["shipped"]["proposals"]
        verdict(
            growth <= TARGETS["growth"],
            f"growth: {data:.1f} x the data costs {growth:.1f} x the pipeline's own time "
            f"(target <= {TARGETS['growth']:.0f} x)",
        )
    if "10x" in results and "100k" in results:
        growth = results["100k"]["own"] / results["10x"]["own"]
        data = results["100k"]["proposals"] / results["10x"]["proposals"]
        verdicts.append(
            f"      and {data:.0f} x more again (10x to 100k) costs {growth:.0f} x "
            "(linear would be the same figure)"
        )

    lines = [
        "# Benchmark",
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. {_machine()}",
        "",
        f"Median of {runs} runs. Stage times are measured in one process with the libraries "
        "loaded; the whole process is `python -m pipeline matrix` from start to exit (in it, "
        "the checks run alongside the merging and rendering, in a second process); peak memory "
        "is that run's, the two processes together. The watch rebuild is watch mode's build "
        f"after one region workbook is saved (median of {2 * runs + 1}), and its ratio to the "
        "whole process, the cold build an analyst would otherwise wait for.",
        "",
        f"Floor (a process that imports pandas and great_expectations): {floor:.2f} s",
        "",
        "| size | proposals | " + " | ".join(STAGES) + " | own total | whole process | "
        "x floor | peak memory | watch rebuild | watch / cold |",
        "|---|---:|" + "---:|" * (len(STAGES) + 6),
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['proposals']:,} | "
            + " | ".join(f"{r['stages'][s]:.2f}" for s in STAGES)
            + f" | {r['own']:.2f} | {r['wall']:.2f} s | {r['wall'] / floor:.2f} | "
            f"{r['peak_mb']:.0f} MB | "
            + (
                f"{r['watch']:.2f} s | {r['watch'] / r['wall']:.3f} |"
                if r.get("watch") is not None
                else " | |"
            )
        )
    lines += ["", "Against the targets:", "", *(f"- {v.strip()}" for v in verdicts), ""]
    return {"verdicts": "\n".join(verdicts), "markdown": "\n".join(lines)}


if __name__ == "__main__":
    raise SystemExit(main())
