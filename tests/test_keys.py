import pandas as pd
import pytest

from pipeline.words.keys import label, parse_key, parse_keys


@pytest.mark.parametrize(
    "typed",
    [
        "64",
        "64.0",
        " 64 ",
        "064",
        "Res. 64",
        "Res 64",
        "res.64",
        "Resolution 64",
        "RESOLUTION 64",
        "Res. 64 (Rev. Geneva, 2022)",
        "Resolution 64 (Rev. Dubai, 2012)",
        "Res.\u00a064",
    ],
)
def test_every_accepted_spelling_of_a_numbered_resolution_gives_its_number(typed):
    assert parse_key(typed) == "64"
    assert parse_keys(pd.Series([typed])).tolist() == ["64"]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("NEW-AI", "NEW-AI"),
        ("new-ai", "NEW-AI"),
        ("New-Caller-Location", "NEW-CALLER-LOCATION"),
        (" NEW-V2X ", "NEW-V2X"),
    ],
)
def test_draft_keys_are_case_insensitive_and_upper_cased(typed, key):
    assert parse_key(typed) == key


@pytest.mark.parametrize(
    "typed",
    ["64.5", "sixty-four", "Res.", "NEW-", "NEW--AI", "NEW-AI-", "NEW AI", "64 65", "Rec. 64", ""],
)
def test_other_text_is_not_a_key(typed):
    assert parse_key(typed) is None
    assert parse_keys(pd.Series([typed])).tolist() == [None]


def test_missing_values_stay_missing():
    assert parse_keys(pd.Series([None, "2"], dtype=object)).tolist() == [None, "2"]


def test_labels_are_shown_as_in_the_matrix():
    assert label("64") == "Res. 64"
    assert label("NEW-AI") == "NEW-AI"
