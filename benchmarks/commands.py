"""How long whole commands take, as an analyst waits for them: `matrix` beside `validate`.

    python benchmarks/commands.py [--runs 5] [--inputs inputs]

Each figure is the median wall time of a fresh `python -m pipeline` process; the two commands
take turns, so that whatever else the machine does weighs on both alike. The ratio
validate / matrix is the figure to compare between machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--inputs", type=Path, default=REPO / "inputs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        commands = {
            "matrix": ["matrix", "--output", str(out / "m.xlsx")],
            "validate": ["validate", "--marked", str(out / "marked")],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(max(1, args.runs)):
            for name, extra in commands.items():
                command = [sys.executable, "-m", "pipeline", *extra, "--inputs", str(args.inputs)]
                command += ["--releases", str(out / "releases")]
                start = time.perf_counter()
                subprocess.run(command, cwd=REPO, check=True, capture_output=True)
                walls[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(times) for name, times in walls.items()}
    for name, times in walls.items():
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:9} median {medians[name]:.2f} s of {len(times)} runs ({runs})")
    print(f"validate / matrix: {medians['validate'] / medians['matrix']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
