"""The sample site, built once for the news desk's tests (corrections,
credits, featured news are all in it)."""

from __future__ import annotations

import pytest
from helpers import ROOT, build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("newsdesk-sample") / "output"
    code, report = build(ROOT / "content", output)
    assert code == 0, report
    return output
