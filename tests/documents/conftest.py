"""The sample site (content/, with its register of documents), built once."""

from __future__ import annotations

import pytest
from helpers import ROOT, build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample site built with 4 items a page (the register has a page 2)."""
    output = tmp_path_factory.mktemp("documents-site") / "output"
    code, report = build(ROOT / "content", output, DEFAULT_PAGINATION=4)
    assert code == 0, report
    return output
