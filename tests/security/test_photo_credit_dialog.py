"""Hostile names typed into the web editor's "Người chụp ảnh" (the photo
dialog, pelican-format.js's photoLine, run in Node): whatever is typed, the
dialog writes one photo line — the caption's quotes curled, no line break, no
parenthesis to end the Markdown link — and the build publishes the name as
text in the figcaption's <small>, no element or handler from it."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT, build, copy_fixture_site, page, run_node

from security.vectors import SCRIPT_VECTORS

FORMAT_JS = ROOT / "plugins" / "bulletin" / "editor" / "assets" / "pelican-format.js"
DRIVER = r"""
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const F = require(job.format);
process.stdout.write(JSON.stringify(job.credits.map((credit) =>
  F.photoLine({ image: "anh/phat-dong/nhung-11.jpg", alt: "Ảnh", title: "Hội nghị", credit }))));
"""
CREDITS = [
    *SCRIPT_VECTORS[:8],
    'Lan" onerror="alert(1)',
    "Lan)\n\n<script>alert(1)</script>",
    "Lan</figcaption><b onclick=alert(1)>x",
    'Lan\\")',
    "Lan\u2028<img src=x onerror=alert(1)>",
]
# The photo line as bulletin.content.figures reads it (pelican-format.js's PHOTO_LINE).
PHOTO_LINE = re.compile(r'^!\[(.*)\]\((\S*?)(?:\s+"(.*)")?\)$')


@pytest.fixture(scope="module")
def lines():
    return run_node(DRIVER, {"format": str(FORMAT_JS), "credits": CREDITS})


def test_every_typed_name_makes_one_photo_line(lines):
    for credit, line in zip(CREDITS, lines, strict=True):
        assert "\n" not in line and "\u2028" not in line, credit
        match = PHOTO_LINE.match(line)
        assert match and match[2] == "anh/phat-dong/nhung-11.jpg", line
        assert '"' not in match[3] and "(" not in match[3] and ")" not in match[3], line


def test_the_build_publishes_each_name_as_text(lines, tmp_path):
    content = copy_fixture_site(tmp_path)
    body = "\n\n".join(["Đoạn mở đầu.", *lines])
    (content / "articles" / "2023" / "ten-la.md").write_text(
        "Title: Ảnh có tên lạ\nDate: 2023-05-02 09:00\nAuthor: Thu Hà\n"
        f"Movement: dan-van-kheo\nSlug: ten-la\n\n{body}\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0 and "Traceback" not in report, report
    soup = page(output, "tin-tuc/2023/ten-la/")
    figures = soup.select(".article__body figure.photo")
    assert len(figures) == len(CREDITS)
    for figure in figures:
        caption = figure.figcaption
        assert [child.name for child in caption.find_all(True)] == ["small"]
        assert caption.small.get_text().startswith("Ảnh: ")
    body = soup.select_one(".article__body")
    assert not body.select("script, b, [onerror], [onclick], [onload]")
    assert not [a for tag in body.find_all(True) for a in tag.attrs if a.startswith("on")]
