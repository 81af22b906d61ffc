"""A WordPress export (WXR) imported: posts with their dates, bylines, tags,
captions and attachments; drafts and pages left out; the result checked."""

from __future__ import annotations

import io

from helpers import settings_for
from old_portal import import_into, new_content, wordpress_export

from bulletin.build.main import check_site
from bulletin.content.model import read_header
from bulletin.importer.sources import parse_xml
from bulletin.importer.wordpress import wxr_items


def header(path) -> dict:
    meta = read_header(path.read_text(encoding="utf-8")).meta
    return {key: " ".join(values) for key, values in meta.items()}


def test_wxr_items_read_as_pelican_import_reads_them(portal, tmp_path):
    export = wordpress_export(portal, tmp_path)
    items = wxr_items(parse_xml(export.read_bytes()), str(export))
    by_title = {item.hints.get("title"): item for item in items}
    post = by_title["Giải bóng chuyền hơi Công đoàn năm 2023"]
    assert post.hints["date"].isoformat(" ") == "2023-05-12 08:30:15"  # wp:post_date, local
    assert post.hints["authors"] == ["Ngọc Ánh"]  # display name, not the login
    assert post.hints["categories"] == ["Văn hóa - Thể thao"]
    assert post.hints["tags"] == ["bóng chuyền", "công đoàn"]
    assert post.hints["documents"][-1].endswith("/the-le-giai.pdf")  # an attachment
    assert "<figure>" in post.fragment and "<figcaption>" in post.fragment  # [caption]
    assert by_title["Bản nháp: kế hoạch hội thao"].hints["skip"] == "bản nháp trên WordPress"
    assert "trang tĩnh" in by_title["Giới thiệu Công đoàn"].hints["skip"]
    assert "bong-chuyen" not in by_title  # attachments are not posts


def test_a_wordpress_export_is_imported_and_passes_the_check(portal, tmp_path):
    content = new_content(tmp_path)
    export = wordpress_export(portal, tmp_path)
    code, report, _ = import_into(content, str(export), movement="van-hoa-cong-so")
    assert code == 0, report
    assert "- Đã nhập: 2 bài, 1 ảnh, 1 tệp đính kèm" in report
    assert "?p=60 — bản nháp trên WordPress" in report
    folder = content / "articles" / "2023"
    meta = header(folder / "giai-bong-chuyen-hoi-cong-doan-nam-2023.md")
    assert meta["date"] == "2023-05-12 08:30:15"
    assert meta["author"] == "Ngọc Ánh"  # the last line, as on the portals
    assert meta["tags"] == "bóng chuyền, công đoàn"
    assert meta["summary"].startswith("Công đoàn Ban Quản lý các KCN tổ chức giải")
    assert meta["redirect_from"] == "/2023/05/12/giai-bong-chuyen-hoi-cong-doan-nam-2023/"
    body = (folder / "giai-bong-chuyen-hoi-cong-doan-nam-2023.md").read_text(encoding="utf-8")
    caption = "Các đội thi đấu sôi nổi trên sân nhà văn hóa"
    assert f'bong-chuyen.jpg "{caption}")' in body
    assert "\n- Giải nhất: Công đoàn Công ty Cổ phần Khoáng sản\n- Giải nhì:" in body
    assert "(anh/giai-bong-chuyen-hoi-cong-doan-nam-2023/the-le-giai.pdf)" in body
    assert "wp:paragraph" not in body
    other = header(content / "articles/2024/cong-doan-tham-hoi-cong-nhan-co-hoan-canh-kho-khan.md")
    assert other["author"] == "Ban biên tập Công đoàn"  # no byline line: the display name
    assert other["redirect_from"] == "/?p=57"
    stream = io.StringIO()
    assert check_site(settings_for(content, tmp_path / "output", PUBLISHED_REF=False), stream) == 0
    # /?p=57 is at the site's root: only the web server's maps can route it.
    assert '"/?p=57" nằm ở trang chủ' in stream.getvalue()
