"""Synthetic inputs that follow the contract, at any size, for the benchmark and its tests.

The data is random but reproducible (a fixed seed) and shaped like the real thing: a catalogue
of numbered and draft resolutions, region workbooks with two note rows above the header, every
action and concern level, summaries of realistic length, some notes, several proposals from one
region on one resolution.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

WORDS = (  # noqa: SIM905 - a sentence is easier to read and extend than a list
    "study group mandate internet protocol address allocation standardization resolution "
    "telecommunication development countries cooperation naming numbering identification "
    "security trust cybersecurity spam governance policy multistakeholder registry IPv6 "
    "digital public infrastructure artificial intelligence metaverse capacity building "
    "interoperability conformance testing roaming emergency location operators regulatory "
    "framework member states sector members TSB director report review assembly work programme"
).split()
TOPICS = ("Study groups", "Internet governance", "Security", "Numbering", "Development",
          "Emerging technologies", "Working methods", "Mobile", "Devices")  # fmt: skip
ACTIONS_NUMBERED = ("MOD", "MOD", "MOD", "NOC", "SUP")
CONCERNS = ("High", "Medium", "Low", "None")
REGION_HEADER = ["Resolution", "Action", "Document", "Summary", "Concern", "Notes"]


@dataclass(frozen=True)
class Size:
    name: str
    regions: int
    rows_per_region: int
    resolutions: int

    @property
    def proposals(self) -> int:
        return self.regions * self.rows_per_region


#: The benchmark's sizes beyond the shipped data: ten times it, and a hundred thousand proposals.
TEN_TIMES = Size("10x", regions=6, rows_per_region=142, resolutions=410)
LARGE = Size("100k", regions=20, rows_per_region=5_000, resolutions=2_000)


def _sentence(rng: random.Random, length: int) -> str:
    words, total = [], 0
    while total < length:
        word = rng.choice(WORDS)
        words.append(word)
        total += len(word) + 1
    return (" ".join(words)[:length].rstrip() + ".").capitalize()


def _summary_length(rng: random.Random) -> int:
    # Mostly a sentence or two, now and then a long paragraph, as analysts write them.
    return min(1_500, max(30, int(rng.lognormvariate(5.0, 0.6))))


def generate(folder: Path, size: Size, seed: int = 2024) -> int:
    """Write `<folder>/resolutions.xlsx`, `regions/*.xlsx` and `matrix.toml`; return the count
    of proposals written."""
    rng = random.Random(seed)
    folder = Path(folder)
    (folder / "regions").mkdir(parents=True, exist_ok=True)
    drafts = max(1, size.resolutions // 10)
    numbered = [str(n) for n in range(1, size.resolutions - drafts + 1)]
    keys = numbered + [f"NEW-D{n:04d}" for n in range(1, drafts + 1)]

    _workbook(
        folder / "resolutions.xlsx",
        "Resolutions",
        ["Resolution", "Title", "Topic", "Priority", "ISOC analysis"],
        (
            [
                int(key) if key.isdigit() else key,
                _sentence(rng, rng.randint(40, 120)),
                rng.choice(TOPICS),
                rng.choice(("High", "Medium", "Low")),
                _sentence(rng, rng.randint(60, 300)) if rng.random() < 0.6 else None,
            ]
            for key in keys
        ),
        "Synthetic catalogue for the benchmark",
    )

    codes = [f"R{n:02d}" for n in range(1, size.regions + 1)]
    written = 0
    for number, code in enumerate(codes, start=1):
        rows = []
        for i in range(size.rows_per_region):
            key = rng.choice(keys)
            action = "ADD" if key.startswith("NEW-") else rng.choice(ACTIONS_NUMBERED)
            concern = rng.choice(CONCERNS)
            summary = _sentence(rng, _summary_length(rng))
            if action == "NOC" and rng.random() < 0.5:
                concern, summary = None, None  # allowed for NOC
            resolution = (
                int(key)
                if key.isdigit() and rng.random() < 0.5
                else (key if key.startswith("NEW-") else f"Res. {key}")
            )
            notes = _sentence(rng, rng.randint(20, 120)) if rng.random() < 0.2 else None
            rows.append(
                [resolution, action, f"Doc {100 + number} Add.{i + 1}", summary, concern, notes]
            )
        _workbook(
            folder / "regions" / f"{code}.xlsx",
            "Proposals",
            REGION_HEADER,
            rows,
            f"{code}: synthetic proposals for the benchmark",
        )
        written += len(rows)

    regions = ", ".join(f'"{c}"' for c in codes)
    names = "".join(f'{c} = "Synthetic group {c}"\n' for c in codes)  # each column named
    (folder / "matrix.toml").write_text(
        f'conference = "BENCH"\nregions = [{regions}]\n'
        f'notice = "Synthetic data for the benchmark."\n[names]\n{names}',
        encoding="utf-8",
    )
    return written


def _workbook(path: Path, sheet: str, header: list[str], rows, note: str) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet(sheet)
    ws.write_string(0, 0, note)
    ws.write_string(1, 0, "Generated: not real positions.")
    ws.write_row(3, 0, header)
    for i, row in enumerate(rows):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int):
                ws.write_number(4 + i, col, value)
            else:
                ws.write_string(4 + i, col, value)
    book.close()
