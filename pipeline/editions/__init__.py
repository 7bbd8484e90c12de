"""The other editions, laid out from the view: the web page and the PDF report (Jinja2
templates in jinja/, the PDF printed by WeasyPrint). Imports nothing of the workbook."""
