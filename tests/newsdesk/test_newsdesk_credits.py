"""Photo credits (issue 16, item 2): "Ảnh: <name>" / "(Ảnh: <name>)" at the end
of a caption and ``Photo_credit``, in the figcaption and the cover's JSON-LD."""

from __future__ import annotations

import json

import pytest
from helpers import page
from markdown import Markdown

import pelicanconf
from bulletin.content.figures import Credit, split_credit

CREDITED = "tin-tuc/2023/tap-huan-van-hoa-cong-so-cho-cong-chuc-vien-chuc-ban-quan-ly-cac-kcn/"
DEFAULTED = "tin-tuc/2023/huong-ung-thang-hanh-dong-ve-an-toan-ve-sinh-lao-dong-nam-2023/"


@pytest.mark.parametrize(
    ("caption", "default", "expected"),
    [
        ("Lễ phát động. Ảnh: Hồng Nhung", "", ("Lễ phát động.", Credit("Ảnh", "Hồng Nhung"))),
        ("Lễ phát động (Ảnh: Hồng Nhung)", "", ("Lễ phát động", Credit("Ảnh", "Hồng Nhung"))),
        ("Lễ phát động (ảnh: Hồng  Nhung).", "", ("Lễ phát động", Credit("Ảnh", "Hồng Nhung"))),
        ("Tin, ảnh: Hồng Nhung", "", ("", Credit("Tin, ảnh", "Hồng Nhung"))),
        ("Lễ. Ảnh: Hồng Nhung", "Minh Đức", ("Lễ.", Credit("Ảnh", "Hồng Nhung"))),
        ("Lễ phát động", "Minh Đức", ("Lễ phát động", Credit("Ảnh", "Minh Đức"))),
        ("", "Minh Đức", ("", Credit("Ảnh", "Minh Đức"))),
        ("Lễ phát động", "", ("Lễ phát động", None)),
        # Not credits: a label in the middle, "ảnh" inside a word group.
        ("Ảnh minh họa: gạch, xi măng", "", ("Ảnh minh họa: gạch, xi măng", None)),
        ("Bức ảnh: đẹp", "", ("Bức ảnh: đẹp", None)),
        ("Hội nghị (ảnh: Lan) khai mạc", "", ("Hội nghị (ảnh: Lan) khai mạc", None)),
    ],
)
def test_split_credit(caption, default, expected):
    assert split_credit(caption, default) == expected


def render(body: str, credit: str = "") -> str:
    md = Markdown(**pelicanconf.MARKDOWN)
    md.bulletin_photo_credit = credit
    return md.convert(body)


def test_figcaption_sets_the_credit_apart():
    html = render('![Hội nghị](anh/a.jpg "Toàn cảnh hội nghị. Ảnh: Hồng Nhung")')
    assert "<figcaption>Toàn cảnh hội nghị. <small>Ảnh: Hồng Nhung</small></figcaption>" in html


def test_photo_credit_is_the_default_and_a_caption_wins():
    html = render(
        '![A](anh/a.jpg "Toàn cảnh")\n\n![B](anh/b.jpg "Đại biểu (Ảnh: Lan)")\n\n![C](anh/c.jpg)',
        credit="Minh Đức",
    )
    assert "<figcaption>Toàn cảnh <small>Ảnh: Minh Đức</small></figcaption>" in html
    assert "<figcaption>Đại biểu <small>Ảnh: Lan</small></figcaption>" in html
    assert "<figcaption><small>Ảnh: Minh Đức</small></figcaption>" in html


def test_built_caption_and_json_ld_creator(sample_site):
    soup = page(sample_site, CREDITED)
    caption = soup.select_one("figure.photo figcaption")
    assert caption.small.get_text() == "Ảnh: Stefan van der Walt"
    assert not caption.get_text().rstrip().endswith(")")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["image"], data
    for image in data["image"]:
        assert image["@type"] == "ImageObject" and image["url"].startswith("http")
        assert image["creator"] == {"@type": "Person", "name": "Stefan van der Walt"}
        assert image["creditText"] == "Stefan van der Walt"


def test_built_default_credit(sample_site):
    soup = page(sample_site, DEFAULTED)
    assert soup.select_one("figure.photo figcaption small").get_text() == "Ảnh: Mikael Häggström"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert {i["creator"]["name"] for i in data["image"]} == {"Mikael Häggström"}


def test_uncredited_photos_are_unchanged(sample_site):
    soup = page(sample_site, "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/")
    assert soup.select_one("figure.photo figcaption small") is None
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert all(isinstance(url, str) for url in data["image"])
