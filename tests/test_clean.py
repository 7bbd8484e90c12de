"""`make clean` and `python -m pipeline clean`: the built matrices go, nothing else."""

from __future__ import annotations

from pipeline.cli import main


def test_clean_deletes_the_built_matrices_and_keeps_releases_templates_and_inputs(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    kept = [
        "outputs/releases/WTSA-24_Issues_Matrix_v1_2024-10-14.xlsx",
        "outputs/WTSA-24/releases/WTSA-24_Issues_Matrix_v2_2024-10-15.xlsx",
        "outputs/templates/regions/APT.xlsx",
        "outputs/WTSA-24/templates/resolutions.xlsx",
        "outputs/WTSA-24/validation/regions/APT.xlsx",
        "outputs/WTSA-24/publish/WTSA-24_Issues_Matrix_v2/WTSA-24_Issues_Matrix_v2.xlsx",
        "outputs/~$WTSA-24_Issues_Matrix.xlsx",
        "inputs/regions/APT.xlsx",
    ]
    built = ["outputs/WTSA-24_Issues_Matrix.xlsx", "outputs/WTSA-24/WTSA-24_Issues_Matrix.xlsx"]
    for name in kept + built:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"PK")

    assert main(["clean"]) == 0
    assert capsys.readouterr().out == (
        "Deleted 2 built matrices: outputs/WTSA-24_Issues_Matrix.xlsx, "
        "outputs/WTSA-24/WTSA-24_Issues_Matrix.xlsx.\n"
    )
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.xlsx")) == sorted(kept)
    assert main(["clean"]) == 0
    assert capsys.readouterr().out == "Deleted 0 built matrices.\n"
