"""Hostile text in the news desk's fields: a Correction is sanitised like a
body (script is an error at its line, nothing published); a photo's credit —
in its caption or in Photo_credit — and a correction's code spans are text on
the page and in the JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import build, copy_fixture_site, page

from security.vectors import SCRIPT_VECTORS

HEADER = (
    "Title: Bài {slug}\nDate: 2023-05-02 09:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
    "Slug: {slug}\n"
)


def article(content: Path, slug: str, extra: str, body: str = "Nội dung.") -> None:
    path = content / "articles" / "2023" / f"{slug}.md"
    path.write_text(HEADER.format(slug=slug) + extra + f"\n{body}\n", encoding="utf-8")


def test_script_in_a_correction_is_an_error_at_its_line(tmp_path):
    content = copy_fixture_site(tmp_path)
    for number, vector in enumerate(SCRIPT_VECTORS):
        one_line = " ".join(vector.split())
        article(
            content, f"dinh-chinh-{number}", f"Modified: 2023-05-03 08:00\nCorrection: {one_line}\n"
        )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 1 and "Traceback" not in report
    for number in range(len(SCRIPT_VECTORS)):
        assert f"content/articles/2023/dinh-chinh-{number}.md:7: lỗi: " in report, report
    assert not output.exists()


# No quotes: typogrify curls them in the body (not in the JSON-LD).
HOSTILE_NAME = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_hostile_credit_and_correction_text_stay_text(tmp_path):
    content = copy_fixture_site(tmp_path)
    photo = "anh/phat-dong/nhung-11.jpg"
    article(
        content,
        "anh-co-tac-gia",
        f"Photo_credit: {HOSTILE_NAME}\nModified: 2023-05-03 08:00\n"
        "Correction: Đã bỏ đoạn `<script>alert(3)</script>` khỏi bài.\n",
        f'![Ảnh](anh/phat-dong/nhung-11.jpg "Hội nghị")\n\n'
        f'![Ảnh hai]({photo} "Đại biểu. Ảnh: </figcaption><b onclick=alert>Lan")',
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    soup = page(output, "tin-tuc/2023/anh-co-tac-gia/")
    theme_scripts = [s for s in soup.find_all("script") if s.get("src")]
    data_scripts = soup.find_all("script", type="application/ld+json")
    assert len(soup.find_all("script")) == len(theme_scripts) + len(data_scripts)
    assert not soup.select("[onerror]") and not soup.select("figcaption img")
    credits = [small.get_text() for small in soup.select("figure.photo figcaption small")]
    assert credits[0] == f"Ảnh: {HOSTILE_NAME}"
    assert credits[1] == "Ảnh: </figcaption><b onclick=alert>Lan"
    assert not soup.select("[onclick]")
    box = soup.select_one("aside.correction")
    assert box.code.get_text() == "<script>alert(3)</script>"
    data = json.loads(data_scripts[0].string)
    assert data["image"][0]["creator"]["name"] == HOSTILE_NAME
    assert "</script" not in data_scripts[0].string.lower()
