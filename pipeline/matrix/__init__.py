"""The matrix and its one view: merging the proposals by resolution (pure dataframe
functions), the outcomes as the matrix shows them, and the MatrixView every edition lays out,
with its rows, summary, changes in words and phrases."""
