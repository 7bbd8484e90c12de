"""Does the pipeline's time grow linearly with odd inputs? A measurement, printed, not a test.

    python benchmarks/scaling.py [--runs 3]

Region workbooks of random Unicode text (astral characters, right-to-left scripts, combining
marks, control characters, text starting with `=`), keys in every accepted spelling (digits of
other scripts, long zero-padded numbers), at three sizes four times apart. For each, the median
time of the pipeline's own work (libraries loaded, checks in turn) is printed, with the ratio
to the size before: linear growth gives about 4.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.build import build  # noqa: E402
from pipeline.checking.validate import warm_up  # noqa: E402
from pipeline.reading.documents import cite_parts, read_pattern  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

ALPHABET = "abcdefghij KLMNOP ,.;=+-@ 😀𝔄𝔅 العربية עברית 中文字 é\u0301 \u200f\x01\x1f\t\n"
SIZES = (500, 2_000, 8_000)
REGIONS = 5


def spelled(number: int, rng: random.Random) -> str:
    digits = str(number)
    form = rng.randrange(5)
    if form == 1:
        digits = "".join(chr(0x0660 + int(d)) for d in digits)
    elif form == 2:
        digits = "0" * rng.randrange(1, 400) + digits
    return rng.choice(["{}", "Res. {}", "Resolution {}", "Res. {} (Rev. Geneva, 2022)"]).format(
        digits
    )


def text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(1, longest))).strip() or "x"


def generate(folder: Path, proposals: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    (folder / "regions").mkdir(parents=True)
    numbers = list(range(1, 201))
    book = xlsxwriter.Workbook(
        folder / "resolutions.xlsx", {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = book.add_worksheet("Resolutions")
    sheet.write_row(0, 0, ["Resolution", "Title", "Topic", "Priority", "ISOC analysis"])
    for row, number in enumerate(numbers, start=1):
        sheet.write_row(row, 0, [str(number), text(rng, 80), "Topic", "High", text(rng, 80)])
    book.close()
    for region in range(REGIONS):
        book = xlsxwriter.Workbook(
            folder / "regions" / f"R{region}.xlsx",
            {"strings_to_numbers": False, "strings_to_formulas": False},
        )
        sheet = book.add_worksheet("Proposals")
        sheet.write_row(0, 0, ["Resolution", "Action", "Document", "Summary", "Concern", "Notes"])
        for row in range(1, proposals // REGIONS + 1):
            sheet.write_row(
                row,
                0,
                [
                    spelled(rng.choice(numbers), rng),
                    "MOD",
                    f"Doc {region} Add.{row}",
                    text(rng, 400),
                    rng.choice(["High", "Medium", "Low", "None"]),
                    text(rng, 60),
                ],
            )
        book.close()
    names = "".join(f'R{region} = "Region {region}"\n' for region in range(REGIONS))
    (folder / "matrix.toml").write_text(f"[names]\n{names}", encoding="utf-8")


def measure(base: Path, size: int, runs: int) -> tuple[int, float]:
    """Generate `size` proposals under `base` and build their matrix `runs` times: the
    proposals in the matrix, and the median seconds of a build."""
    inputs = base / f"in-{size}"
    generate(inputs, size)
    settings = Settings(
        inputs=inputs, outputs=base / f"out-{size}", releases=base / "no-releases", progress=False
    )
    times, proposals = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proposals = build(settings).proposals  # invalid inputs raise: never a time of a refusal
        times.append(time.perf_counter() - start)
    return proposals, statistics.median(times)


#: The document_url pattern and document cites, read in one pass: sizes in characters.
TEXT_SIZES = (100_000, 400_000, 1_600_000)


def reading(size: int, runs: int) -> float:
    """The median seconds to read a pattern of `size` characters of unclosed braces and one
    of plain text (matrix_toml.py refuses patterns past 1,000 characters before this: here the
    reading itself is timed), and a cite of repeated addenda (refused by its length)."""
    unclosed = "https://example.org/" + "a{" * (size // 2)
    plain = "https://example.org/" + "a" * size + "{doc}"
    cite = "Doc 37" + " Add.1" * (size // 6)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        read_pattern(unclosed)
        read_pattern(plain)
        cite_parts(cite)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warm_up()
    previous = None
    print(f"{'proposals':>10} {'seconds':>8} {'x previous':>10}")
    with tempfile.TemporaryDirectory() as base:
        for size in SIZES:
            proposals, median = measure(Path(base), size, max(3, args.runs))
            ratio = f"{median / previous:10.1f}" if previous else f"{'':>10}"
            print(f"{proposals:>10,} {median:8.2f} {ratio}")
            previous = median
    print(f"Each size is {SIZES[1] // SIZES[0]} x the one before: linear growth gives about that.")
    print(f"\n{'characters':>10} {'seconds':>8} {'x previous':>10}  (document_url patterns)")
    previous = None
    for size in TEXT_SIZES:
        median = reading(size, max(3, args.runs))
        ratio = f"{median / previous:10.1f}" if previous else f"{'':>10}"
        print(f"{size:>10,} {median:8.4f} {ratio}")
        previous = median
    return 0


if __name__ == "__main__":
    sys.exit(main())
