"""Fixtures of the build's tests."""

from __future__ import annotations

import threading

import pytest

from bulletin.build.rendering import safe_to_fork


@pytest.fixture
def no_other_threads():
    """Workers are only forked in a process without other threads: one left
    running by an earlier test would make a test of the workers see none."""
    assert safe_to_fork(), f"threads left running by an earlier test: {threading.enumerate()}"
