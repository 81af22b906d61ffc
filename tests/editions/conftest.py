"""The sample site (content/, with its two issues of the printed bulletin),
built once per test session; the PDFs read back with pypdf."""

from __future__ import annotations

import pytest
from helpers import ROOT, build


@pytest.fixture(scope="session")
def edition_site(tmp_path_factory):
    """(output folder, build log) of the sample site, its edition cache
    beside it (a cold layout of both issues)."""
    folder = tmp_path_factory.mktemp("editions-site")
    output = folder / "output"
    code, report = build(
        ROOT / "content", output, EDITION_CACHE_PATH=str(folder / "cache" / "editions")
    )
    assert code == 0, report
    return output
