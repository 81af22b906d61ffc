"""A dated SITE_NOTICE appears and goes on an otherwise unchanged rebuild
(bulletin.build.uptodate keeps its start and end as "next due" moments and
hashes the notice shown; bulletin.site.identity adds them to output_changes)."""

from __future__ import annotations

from datetime import datetime

from helpers import build, copy_fixture_site, page

from bulletin.content.vietnamese import TIMEZONE

START, END = datetime(2030, 7, 1, tzinfo=TIMEZONE), datetime(2030, 7, 2, tzinfo=TIMEZONE)
NOTICE = {"text": "Bảo trì hệ thống", "start": "2030-07-01", "end": "2030-07-01"}


def banner(output):
    return page(output, "").select_one(".site-banner--notice")


def test_a_dated_notice_comes_and_goes_without_any_file_changing(tmp_path, monkeypatch):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    # The fixture schedules an article for 2099: far beyond these moments.
    for moment, shown in ((START, False), (START, True), (END, False)):
        epoch = int(moment.timestamp()) - (60 if not shown and moment == START else 0)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        code, log = build(content, output, SITE_NOTICE=NOTICE)
        assert code == 0, log
        assert (banner(output) is not None) == shown, moment
