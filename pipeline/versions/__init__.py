"""Versions of the matrix: numbered releases and their snapshots, one release at a time, and
the pure comparison of two versions (what changed)."""
