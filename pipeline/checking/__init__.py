"""Checking the inputs: the Great Expectations rules made into located problems, the findings
remembered between saves in watch mode, and the marked copies of workbooks with problems."""
