"""The photo dialog's credit (pelican-format.js, run in Node): the caption it
writes ends in "Ảnh: <name>", which the build's own parser
(bulletin.content.figures.split_credit) reads back; the JavaScript copy of the
credit patterns answers as the build does, for every caption here."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import ROOT, run_node

from bulletin.content.figures import split_credit

FORMAT_JS = ROOT / "plugins" / "bulletin" / "editor" / "assets" / "pelican-format.js"
NODE = shutil.which("node")

DRIVER = r"""
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const F = require(job.format);
process.stdout.write(JSON.stringify({
  split: job.captions.map((c) => F.splitCredit(c)),
  fields: job.captions.map((c) => F.captionFields(c)),
  lines: job.photos.map((p) => F.photoLine(p)),
}));
"""

pytestmark = pytest.mark.skipif(
    NODE is None and os.environ.get("CI") != "true", reason="Node.js is not installed"
)

CAPTIONS = [
    "Lễ khai mạc. Ảnh: Hồng Nhung",
    "Lễ khai mạc (Ảnh: Hồng Nhung)",
    "Lễ khai mạc (ảnh: Hồng Nhung).",
    "Lễ khai mạc. Tin, ảnh: Minh Đức",
    "Lễ khai mạc. TIN, ẢNH: Minh Đức.",
    "ẢNH: Thu Hà",
    "Ảnh: Hồng   Nhung",
    "Bức ảnh: đẹp",  # not a credit: "ảnh" inside a word
    "Lễ khai mạc. ảnh: Hồng Nhung",  # lower case without parentheses: not one
    "Lễ khai mạc",
    "Ảnh:",
    "Ảnh: (TTXVN)",
    "",
]


def run(captions, photos) -> dict:
    if NODE is None:
        pytest.fail("CI=true: Node.js is needed to test the editor's format (.ci/run)")
    return run_node(DRIVER, {"format": str(FORMAT_JS), "captions": captions, "photos": photos})


def test_the_editor_splits_credits_as_the_build_does():
    answers = run(CAPTIONS, [])
    for caption, js in zip(CAPTIONS, answers["split"], strict=True):
        text, credit = split_credit(caption)
        expected = (text, credit.label, credit.name) if credit else (caption, "", "")
        assert (js["caption"], js["label"], js["name"]) == expected, caption


PHOTOS = [
    # (caption, credit as typed) → the caption written
    ("Trao chìa khóa.", "Hồng Nhung", "Trao chìa khóa. Ảnh: Hồng Nhung"),
    ("", "Hồng Nhung", "Ảnh: Hồng Nhung"),
    ("Trao chìa khóa", "  Ảnh:  Hồng Nhung. ", "Trao chìa khóa Ảnh: Hồng Nhung"),
    ("Trao chìa khóa", "Hồng Nhung (TTXVN)", "Trao chìa khóa Ảnh: Hồng Nhung TTXVN"),
    ('Lễ "Ngày hội"', "Thu Hà", "Lễ “Ngày hội” Ảnh: Thu Hà"),
    ("Trao chìa khóa", "", "Trao chìa khóa"),
    ("Trao chìa khóa", "Ảnh:", "Trao chìa khóa"),
]


def test_the_dialog_writes_the_credit_the_build_reads_back():
    photos = [
        {"image": "anh/a.jpg", "alt": "Mô tả", "title": caption, "credit": credit}
        for caption, credit, _ in PHOTOS
    ]
    answers = run([written for _, _, written in PHOTOS], photos)
    for (caption, credit, written), line, fields in zip(
        PHOTOS, answers["lines"], answers["fields"], strict=True
    ):
        assert line == f'![Mô tả](anh/a.jpg "{written}")', (caption, credit)
        text, found = split_credit(written)
        typed = " ".join(credit.replace("Ảnh:", "").replace("(", " ").replace(")", " ").split())
        typed = typed.rstrip(".")
        assert (found.name if found else "") == typed, written
        # Read back by the visual editor's photo component: the same two fields.
        assert fields == {"title": text if found else written, "credit": typed}, written


def test_a_credit_written_otherwise_stays_in_the_caption():
    """The visual editor splits only what it would write back the same."""
    kept = ["Lễ (Ảnh: Hồng Nhung)", "Lễ. Tin, ảnh: Minh Đức", "Lễ. Ảnh:  Hồng Nhung"]
    for caption, fields in zip(kept, run(kept, [])["fields"], strict=True):
        assert fields == {"title": caption, "credit": ""}
