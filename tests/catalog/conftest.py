"""Fixtures of the catalog tests: the sample catalog and period, shared with the values tests."""

from tests.values.conftest import agencies, framework, indicator, period  # noqa: F401 - shared fixtures
