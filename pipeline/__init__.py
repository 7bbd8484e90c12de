"""Issues Matrix: per-region Excel workbooks of ITU assembly proposals in, one matrix out.

The package is a house of wings, lowest floor first: words (the domain's words and the shapes
of its data), system (atomic files, the machine's faults), reading (the inputs), checking (the
rules) and versions (releases, what changed), matrix (merging and the one view), workbook and
editions (the xlsx, the web page and the PDF), templates. On top: cli (the command line),
build (the stages in order), publish, watch, settings, conference, clean and environment.
docs/architecture.md draws the house; tests/test_wings.py keeps every import going down.
"""

__version__ = "1.0.0"
