"""The validation rules, as Great Expectations suites: package data of `pipeline`."""
