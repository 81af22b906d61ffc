"""Fixtures of the security tests: tests/browser's Chromium, shared."""

from browser.conftest import browser  # noqa: F401 - a fixture, used by name
