"""Reading the inputs: which file plays which role in the inputs folder, matrix.toml, the
workbooks (python-calamine for the cells, the zip parts for what calamine cannot tell) and the
outcomes workbook. Problems found while reading are returned as data, never raised."""
