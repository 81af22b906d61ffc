"""The web editor writes the news desk's fields as the build reads them
(pelican-format.js in Node, the very file /admin/ loads)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from helpers import ROOT

from bulletin.content.desk import featured_flag
from bulletin.content.model import ARTICLE_KEYS

FORMAT_JS = ROOT / "plugins" / "bulletin" / "editor" / "assets" / "pelican-format.js"
NODE = shutil.which("node")
SCRIPT = """
const F = require(process.argv[1]);
const f = F.createFormat({keys: JSON.parse(process.argv[2]), movements: [{slug: "a", name: "A"}]});
const d = f.fromFile(
  "Title: X\\nDate: 2023-03-09 14:59\\nAuthor: A\\nMovement: a\\nFeatured: có\\n\\nB\\n");
const read = d.featured;
d.featured = false;
Object.assign(d, {modified: "10/03/2023 8:05", correction: "Sửa tên.", photo_credit: "Hồng Nhung",
                  featured_until: "31/03/2023"});
const e = f.fromFile("Title: Y\\nDate: 2023-03-09 14:59\\n\\nB\\n");
e.featured = true;
console.log(JSON.stringify({read, first: f.toFile(d), second: f.toFile(e)}));
"""


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_editor_reads_and_writes_the_news_desk_fields():
    done = subprocess.run(
        [NODE, "-e", SCRIPT, str(FORMAT_JS), json.dumps(list(ARTICLE_KEYS))],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(done.stdout)
    assert result["read"] is True and featured_flag("có")
    assert result["first"] == (
        "Title: X\nDate: 2023-03-09 14:59\nAuthor: A\nMovement: a\n"
        "Modified: 2023-03-10 08:05\nCorrection: Sửa tên.\nPhoto_credit: Hồng Nhung\n"
        "Featured_until: 31/03/2023\n\nB\n"
    )
    assert result["second"] == "Title: Y\nDate: 2023-03-09 14:59\nFeatured: yes\n\nB\n"
