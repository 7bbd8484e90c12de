"""The domain's words and the shapes of its data, defined once and read by every other wing:
the vocabulary (actions, concerns, outcomes, groups), the frames passed between stages,
resolution keys, problems as data, the names beside codes, Excel's own limits and what every
workbook carries. Imports nothing else of the pipeline."""
