"""Issues Matrix: per-region Excel workbooks of ITU assembly proposals in, one matrix out.

Stages, one module each: config, load, validate (Great Expectations), merge, render; build runs
them in order and cli is the command line.
"""

__version__ = "1.0.0"
