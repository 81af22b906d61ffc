"""The web editor's "Văn bản" collection: config.yml from the register's model,
and the header format (pelican-format.js, run in Node) that reads and writes a document.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import ROOT, build, copy_fixture_site

from bulletin.documents.model import (
    DOCUMENT_KEYS,
    FORMATS,
    MAX_FILE_MB,
    NUMBER_RE,
    REQUIRED_DOCUMENT_KEYS,
    known_types,
)
from bulletin.editor.documents import document_format

FORMAT_JS = ROOT / "plugins" / "bulletin" / "editor" / "assets" / "pelican-format.js"
NO_ENV = {"CMS_BACKEND": "", "CMS_REPO": "", "CMS_BASE_URL": ""}
SAMPLE = ROOT / "content" / "van-ban" / "2022" / "ke-hoach-huong-ung-chuyen-doi-so.md"


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    root = tmp_path_factory.mktemp("admin-documents")
    content = copy_fixture_site(root)
    code, report = build(
        content, root / "output", DOCUMENT_EXTRA_TYPES=[("Kế hoạch liên tịch", "KHLT")], **NO_ENV
    )
    assert code == 0, report
    folder = root / "output" / "admin"
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    return config, json.loads(page.find(id="bulletin-cms-settings").string)


def documents(config) -> dict:
    (collection,) = [c for c in config["collections"] if c["name"] == "documents"]
    return collection


def fields(config) -> dict[str, dict]:
    return {field["name"]: field for field in documents(config)["fields"]}


def test_articles_come_first_and_documents_are_saved_by_year(admin):
    config, _ = admin
    assert [c["name"] for c in config["collections"]] == ["articles", "documents"]
    collection = documents(config)
    assert collection["label"] == "Văn bản"
    assert collection["folder"] == "content/van-ban"
    assert collection["path"] == "{{path_year}}/{{slug}}"
    assert collection["slug"] == "{{fields.slug}}"
    assert collection["media_folder"] == collection["public_folder"] == ""  # files beside it
    assert collection["format"] == "pelican-document" and collection["delete"] is False


def test_every_key_of_the_register_in_order_required_as_the_check_requires(admin):
    config, _ = admin
    names = [name for name in fields(config) if name != "body"]
    assert ["status" if n == "draft" else n for n in names] == list(DOCUMENT_KEYS)
    required = {name for name, field in fields(config).items() if field.get("required", True)}
    assert required == set(REQUIRED_DOCUMENT_KEYS)


def test_types_are_the_known_ones_and_the_sites_own(admin):
    config, _ = admin
    options = fields(config)["type"]["options"]
    expected = known_types([("Kế hoạch liên tịch", "KHLT")])
    assert sorted(options) == sorted(t.name for t in expected.values())
    assert "Kế hoạch liên tịch" in options
    assert fields(config)["issuer"]["default"] == "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"


def test_files_are_the_formats_and_size_the_build_allows(admin):
    config, _ = admin
    files = fields(config)["files"]
    assert files["widget"] == "list" and files["min"] == 1
    file = files["field"]
    assert file["widget"] == "file"
    assert file["media_library"]["config"]["max_file_size"] == MAX_FILE_MB * 1024 * 1024
    pattern = re.compile(file["pattern"][0])
    for extension in FORMATS:
        assert pattern.search(f"ke-hoach.{extension}") and pattern.search(f"A.{extension.upper()}")
    for refused in ("anh.jpg", "tep.exe", "pdf", "ke-hoach.pdf.js"):
        assert not pattern.search(refused), refused


def test_the_settings_carry_the_documents_header_format(admin):
    _, settings = admin
    assert settings["documentFormat"] == document_format()
    assert settings["documentsJson"] == "../api/documents.json"


# --- in Node: the very files /admin/ loads ---------------------------------------------
DRIVER = r"""
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const F = require(job.format);
const format = F.createFormat(job.settings);
const data = format.fromFile(job.text);
const plain = Object.assign({}, data);
delete plain[F.STATE];
const kept = JSON.parse(JSON.stringify(data));
const out = {
  data: plain,
  same: format.toFile(kept),
  edited: format.toFile(Object.assign(JSON.parse(JSON.stringify(data)), job.changes)),
  created: format.toFile(job.create),
  patterns: job.patterns.map(([source, words]) => words.map((w) => new RegExp(source).test(w))),
};
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    if found is None:
        pytest.skip("Node is needed to run pelican-format.js")
    return found


NUMBERS = ["45/KH-BQL", "12/2023/QĐ-UBND", " 202/2025/QH15 ", "45/kh-bql", "Số 45/KH", "45-KH"]


def run(node, admin, tmp_path, **job):
    config, settings = admin
    patterns = [
        [fields(config)["number"]["pattern"][0], NUMBERS],
        [fields(config)["date"]["pattern"][0], ["2025-03-01", "01/03/2025", "03-01-2025", "1/3"]],
    ]
    settings_js = settings["documentFormat"] | {"movements": settings["movements"]}
    job = {"format": str(FORMAT_JS), "settings": settings_js, "patterns": patterns, **job}
    script = tmp_path / "driver.js"
    script.write_text(DRIVER, encoding="utf-8")
    result = subprocess.run(
        [node, str(script)], input=json.dumps(job), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_a_document_reads_into_the_form_and_is_written_back_unchanged(node, admin, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    out = run(node, admin, tmp_path, text=text, changes={}, create={})
    data = out["data"]
    assert data["number"] == "08/KH-BQL" and data["type"] == "Kế hoạch"
    assert data["date"] == "2022-02-15"  # a day stays a day
    assert data["files"] == ["08-kh-bql.pdf"]
    assert data["movement"] == ["bac-kan-day-manh-chuyen-doi-so"]
    assert data["body"].startswith("Kế hoạch hưởng ứng của Ban")
    assert out["same"] == text  # byte for byte


def test_an_edit_rewrites_only_its_lines(node, admin, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    changes = {"files": ["08-kh-bql.pdf", "./phu-luc.docx"], "signer": "Phó Trưởng ban"}
    out = run(node, admin, tmp_path, text=text, changes=changes, create={})
    expected = text.replace("Signer: Trưởng ban\n", "Signer: Phó Trưởng ban\n").replace(
        "Files: 08-kh-bql.pdf\n", "Files: 08-kh-bql.pdf, phu-luc.docx\n"
    )
    assert out["edited"] == expected


def test_a_new_document_is_written_in_the_registers_key_order(node, admin, tmp_path):
    create = {
        "title": "Kế hoạch tổ chức Ngày hội Đoàn viên 2025",
        "number": "45/KH-BQL",
        "date": "01/03/2025",
        "type": "Kế hoạch",
        "issuer": "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn",
        "files": ["45-kh-bql.pdf"],
        "slug": "ke-hoach-to-chuc-ngay-hoi-doan-vien-2025",
        "draft": True,
        "body": "Ghi chú ngắn.",
    }
    out = run(
        node, admin, tmp_path, text=SAMPLE.read_text(encoding="utf-8"), changes={}, create=create
    )
    assert out["created"] == (
        "Title: Kế hoạch tổ chức Ngày hội Đoàn viên 2025\n"
        "Number: 45/KH-BQL\n"
        "Date: 01/03/2025\n"
        "Type: Kế hoạch\n"
        "Issuer: Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn\n"
        "Files: 45-kh-bql.pdf\n"
        "Slug: ke-hoach-to-chuc-ngay-hoi-doan-vien-2025\n"
        "Status: draft\n"
        "\n"
        "Ghi chú ngắn.\n"
    )


def test_the_forms_patterns_agree_with_the_check(node, admin, tmp_path):
    out = run(node, admin, tmp_path, text="", changes={}, create={})
    numbers, days = out["patterns"]
    assert numbers == [bool(NUMBER_RE.match(n.strip())) for n in NUMBERS]
    assert days == [True, True, False, False]
