"""The golden matrix: the workbook built from the shipped inputs, kept in tests/golden/ with a
text listing of every cell and format; and the view every edition lays out (view.py), as JSON:
the team's, and the public one of its first release. The tests compare with them, and a change
shows as a diff to review.

    make golden          (python tests/golden.py): build them again, with a fixed date
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.cell.rich_text import CellRichText

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GOLDEN = HERE / "golden"
WORKBOOK = GOLDEN / "WTSA-24_Issues_Matrix.xlsx"
LISTING = GOLDEN / "WTSA-24_Issues_Matrix.txt"
VIEW = GOLDEN / "WTSA-24_view.json"
PUBLIC_VIEW = GOLDEN / "WTSA-24_public_view.json"
#: 1 October 2024, 00:00 UTC: the golden matrix's build time.
EPOCH = "1727740800"


if str(REPO) not in sys.path:  # run as a script (make golden), the project is not on the path
    sys.path.insert(0, str(REPO))


def _settings(work: Path, **values):
    from pipeline.settings import Settings

    return Settings.from_environment(
        {"SOURCE_DATE_EPOCH": EPOCH, "PIPELINE_PARALLEL": "0", "CI": "1"},
        inputs=REPO / "inputs",
        outputs=work,
        **values,
    )


def build(target: Path) -> None:
    """The matrix from the shipped inputs, as `make matrix` builds it, at the fixed moment."""
    with tempfile.TemporaryDirectory() as work:
        from pipeline.build import build as run_build

        run_build(_settings(Path(work), output=target))


def _json(view) -> str:
    from pipeline.matrix.view import plain

    return json.dumps(plain(view), ensure_ascii=False, indent=1) + "\n"


def view() -> str:
    """The team's view of the shipped inputs, as `make matrix` lays it out, as JSON."""
    with tempfile.TemporaryDirectory() as work:
        from pipeline.build import draft_view

        return _json(draft_view(_settings(Path(work))))


def public_view() -> str:
    """The view of the public editions of the shipped inputs' first release, as JSON."""
    with tempfile.TemporaryDirectory() as work:
        from pipeline.build import release
        from pipeline.publish import public_view as published

        settings = _settings(Path(work))
        release(settings)
        return _json(published(settings).view)


def _font(font) -> str:
    if font is None:
        return ""
    parts = [
        "b" if font.b else "",
        "i" if font.i else "",
        f"sz={font.sz}" if font.sz else "",
        f"color={_colour(font.color)}" if font.color is not None else "",
        f"u={font.u}" if font.u else "",
    ]
    return ",".join(p for p in parts if p)


def _colour(colour) -> str:
    """An RGB colour as its hex; a theme colour (Excel's default text) by its theme index."""
    if colour.type == "theme":
        return f"theme{colour.theme}"
    return str(colour.rgb)


def _value(cell) -> str:
    value = cell.value
    if isinstance(value, CellRichText):
        return " + ".join(f"[{_font(getattr(part, 'font', None))}]{str(part)!r}" for part in value)
    return repr(value)


def _style(cell) -> str:
    fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else ""
    border = cell.border
    edges = "/".join(str(getattr(border, side).style or "") for side in ("left", "top"))
    align = cell.alignment
    return (
        f"font({_font(cell.font)}) fill({fill}) border({edges}) "
        f"align({align.horizontal or ''},{align.vertical or ''},wrap={bool(align.wrap_text)}) "
        f"format({cell.number_format})"
    )


def listing(path: Path) -> list[str]:
    """Every sheet's layout and print set-up, and every cell's value and format, one per line."""
    book = openpyxl.load_workbook(path, rich_text=True)
    lines = [f"sheets {book.sheetnames} active {book.active.title}"]
    for sheet in book.worksheets:
        setup = sheet.page_setup
        lines += [
            f"== {sheet.title}",
            f"freeze {sheet.freeze_panes} filter {sheet.auto_filter.ref}",
            f"print paper={setup.paperSize} {setup.orientation} scale={setup.scale} "
            f"fit={sheet.sheet_properties.pageSetUpPr.fitToPage if sheet.sheet_properties.pageSetUpPr else None} "  # noqa: E501
            f"order={setup.pageOrder} rows={sheet.print_title_rows} cols={sheet.print_title_cols} "
            f"breaks={[b.id for b in sheet.col_breaks.brk]}",
            f"header {sheet.oddHeader.center.text!r}",
            f"footer {sheet.oddFooter.left.text!r} {sheet.oddFooter.center.text!r} "
            f"{sheet.oddFooter.right.text!r}",
            f"merged {sorted(str(r) for r in sheet.merged_cells.ranges)}",
        ]
        for key, dim in sorted(sheet.column_dimensions.items()):
            lines.append(f"column {key}:{dim.min}-{dim.max} width={dim.width}")
        for key, dim in sorted(sheet.row_dimensions.items()):
            if dim.height is not None:
                lines.append(f"row {key} height={dim.height}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                lines.append(f"{cell.coordinate} {_value(cell)} {_style(cell)}")
    return lines


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        built = Path(work) / "matrix.xlsx"
        build(built)
        shutil.copyfile(built, WORKBOOK)
    LISTING.write_text("\n".join(listing(WORKBOOK)) + "\n", encoding="utf-8")
    VIEW.write_text(view(), encoding="utf-8")
    PUBLIC_VIEW.write_text(public_view(), encoding="utf-8")
    written = ", ".join(str(p.relative_to(REPO)) for p in (WORKBOOK, LISTING, VIEW, PUBLIC_VIEW))
    print(f"Wrote {written}.")
    print("Review the change with: git diff tests/golden/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
