"""The fixture portal served once for the importer's tests."""

from __future__ import annotations

import pytest
from old_portal import make_portal, serve


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """tests/fixtures/old-portal/ at http://127.0.0.1:<port>, photos made."""
    root = make_portal(tmp_path_factory.mktemp("old-portal") / "portal")
    served, stop = serve(root)
    yield served
    stop()
