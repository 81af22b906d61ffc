"""Featured_until expires by itself (issue 16, item 5): an otherwise
unchanged site is built again once a featured article's Featured_until has
passed (bulletin.site.featured adds the moment to ``output_changes``;
bulletin.build.uptodate makes it "next due" and hashes the moments ahead),
and not before."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from helpers import build, copy_fixture_site, page

from bulletin.build import uptodate
from bulletin.content.vietnamese import TIMEZONE
from bulletin.site.featured import featured_ends

SEED = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
SEED_URL = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"
# Featured_until: a date alone means the whole day, up to midnight.
UNTIL = datetime(2030, 7, 2, tzinfo=TIMEZONE)


def lead(output) -> str:
    link = page(output, "").select_one("section.featured .card--lead .card__title a")
    return link["href"].removeprefix("./")


def build_at(content, output, monkeypatch, moment) -> bool:
    """Build at ``moment``; True when the build was skipped: ``output`` (a
    link to the published build's folder) still shows the same folder."""
    before = output.resolve() if output.exists() else None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    code, log = build(content, output)
    assert code == 0, log
    return output.resolve() == before


def test_featured_until_takes_the_article_off_the_home_page_on_its_day(tmp_path, monkeypatch):
    # The digest's code part held still: other work on plugins/ while the
    # test runs must not make an unchanged build look changed.
    monkeypatch.setattr(uptodate, "fingerprint", lambda settings: "code")
    content = copy_fixture_site(tmp_path)
    seed = content / SEED
    title, rest = seed.read_text(encoding="utf-8").split("\n", 1)
    seed.write_text(f"{title}\nFeatured: có\nFeatured_until: 01/07/2030\n{rest}", "utf-8")
    output = tmp_path / "output"

    build_at(content, output, monkeypatch, datetime(2030, 6, 30, tzinfo=TIMEZONE))
    assert lead(output) == SEED_URL  # the oldest article, first because featured
    # A minute before the end, nothing changed: nothing is written.
    skipped = build_at(content, output, monkeypatch, UNTIL - timedelta(minutes=1))
    assert skipped
    assert lead(output) == SEED_URL
    # Once it has passed, with no file touched, the home page is written again.
    skipped = build_at(content, output, monkeypatch, UNTIL)
    assert not skipped
    assert lead(output) != SEED_URL
    # The whole home page as a clean build at that moment writes it.
    clean = tmp_path / "clean" / "output"  # its own caches and record, beside it
    build_at(content, clean, monkeypatch, UNTIL)
    assert (output / "index.html").read_bytes() == (clean / "index.html").read_bytes()
    # And after that the site is current again.
    skipped = build_at(content, output, monkeypatch, datetime(2030, 7, 3, tzinfo=TIMEZONE))
    assert skipped


def test_featured_ends_lists_only_the_moments_ahead():
    def article(**metadata):
        return SimpleNamespace(metadata=metadata)

    now = datetime(2030, 7, 1, 12, tzinfo=TIMEZONE)
    articles = [
        article(featured="yes", featured_until="01/07/2030"),  # ends at midnight: ahead
        article(featured="yes", featured_until="30/06/2030"),  # passed
        article(featured="yes"),  # never ends
        article(featured="no", featured_until="05/07/2030"),  # not featured
        article(featured="yes", featured_until="ngày mai"),  # wrong: reported elsewhere
        article(featured="yes", featured_until="2030-07-01 23:59"),
    ]
    assert featured_ends(articles, now) == [
        datetime(2030, 7, 1, 23, 59, tzinfo=TIMEZONE),
        UNTIL,
    ]
