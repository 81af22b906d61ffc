"""An incremental build (warm caches, previous output) equals a clean build."""

from __future__ import annotations

import re
import shutil

from helpers import build, copy_fixture_site, make_photo, tree


def edit(content):
    """Edits, an addition, a deletion, a new photo and a registry change."""
    articles = content / "articles"
    seed = articles / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("thi đua đổi mới", "thi đua đổi mới, sáng kiến"),
        encoding="utf-8",
    )
    (articles / "2024" / "tieu-de-co-script.md").unlink()
    (articles / "2024" / "tin-moi.md").write_text(
        "Title: Tin mới về Đoàn thanh niên\nDate: 2024-08-01 08:00\nAuthor: Ngọc Ánh\n"
        "Movement: dan-van-kheo\n\n"
        '![Đoàn viên ra quân](anh/tin-moi/ra-quan.jpg "Đoàn viên ra quân")\n\nNội dung.\n',
        encoding="utf-8",
    )
    make_photo(articles / "2024" / "anh" / "tin-moi" / "ra-quan.jpg", color=(20, 60, 160))
    # The same photo name, new bytes: its page must change.
    make_photo(articles / "2023" / "anh" / "phat-dong" / "nhung-11.jpg", color=(200, 200, 0))
    registry = content / "movements.toml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            'name = "Dân vận khéo"', 'name = "Dân vận khéo trong doanh nghiệp"'
        ),
        encoding="utf-8",
    )


def edit_metadata(content):
    """What listings, neighbours and related boxes show: title, summary,
    tags, bylines, date (to another year), movement; and a page's body."""
    articles = content / "articles"
    report = articles / "2023" / "tin-ngay-viet-kieu-viet-nam.md"
    text = report.read_text(encoding="utf-8")
    text = text.replace("Hội nghị tổng kết công tác năm 2023", "Hội nghị tổng kết năm 2023")
    text = text.replace("Date: 25/12/2023 08:30", "Date: 02/01/2024 08:30")
    text = text.replace("Author: Thu Hà, Đỗ Văn Lâm", "Author: Thu Hà")
    text = text.replace(
        'Summary: Tóm tắt "có ngoặc kép" & dấu và.', "Summary: Tóm tắt mới.\nTags: hội nghị"
    )
    report.write_text(text, encoding="utf-8")
    seed = articles / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace(
            ", Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", ""
        ),
        encoding="utf-8",
    )
    about = content / "pages" / "gioi-thieu.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nĐịa chỉ mới.\n", encoding="utf-8")


def edit_body(content):
    """A fix deep in one article's body: no listing shows it."""
    seed = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nĐoạn bổ sung.\n", encoding="utf-8")


def assert_same_as_clean_build(content, output, folder):
    clean_output = folder / "output"
    code, report = build(
        content, clean_output, CACHE_PATH=str(folder / "c"), PHOTO_CACHE_PATH=str(folder / "p")
    )
    assert code == 0, report
    incremental, clean = tree(output), tree(clean_output)
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []
    return clean


def test_incremental_build_equals_clean_build(tmp_path, caplog):
    """Round after round of edits, the warm build (reader cache, pages reused
    by bulletin.build.writer, previous output) writes exactly what a clean one does."""
    import logging  # noqa: PLC0415

    content = copy_fixture_site(tmp_path / "site")
    output = tmp_path / "site" / "output"
    caches = tmp_path / "warm-cache"
    warm = {"CACHE_PATH": str(caches), "PHOTO_CACHE_PATH": str(caches / "p")}
    code, report = build(content, output, **warm)
    assert code == 0, report
    caplog.set_level(logging.INFO, logger="bulletin.build.main")
    for number, change in enumerate((edit, edit_metadata, edit_body)):
        change(content)
        caplog.clear()
        code, report = build(content, output, **warm)
        assert code == 0, report
        clean = assert_same_as_clean_build(content, output, tmp_path / f"clean{number}")
        reused = int(re.search(r"(\d+) giữ nguyên", caplog.text).group(1))
        rendered = int(re.search(r"(\d+) tệp dựng lại", caplog.text).group(1))
        if change is edit_body:
            # The article and the feeds that carry its body (of 29 writes):
            # nothing else is rendered again.
            assert rendered <= 5 and reused >= 20, caplog.text
    assert "tin-tuc/2024/tin-moi-ve-doan-thanh-nien/index.html" in clean
    assert "tin-tuc/2024/canh-giac-lua-dao/index.html" not in clean
    assert "tin-tuc/2024/hoi-nghi-tong-ket-nam-2023/index.html" in clean
    shutil.rmtree(caches)


def test_cached_build_still_reports_problems(tmp_path):
    """The reader cache must never hide a file's problems on the next build."""
    content = copy_fixture_site(tmp_path)
    bad = content / "articles" / "2023" / "sai.md"
    bad.write_text(
        "Title: Sai\nDate: 31/02/2023 08:00\nAuthor: A\nMovement: dan-van-kheo\n\nX.\n",
        encoding="utf-8",
    )
    first = build(content, tmp_path / "output")
    second = build(content, tmp_path / "output")
    assert first[0] == second[0] == 1
    line = 'content/articles/2023/sai.md:2: lỗi: Trường "Date" (ngày đăng): ngày "31/02/2023 08:00"'
    assert line in first[1] and line in second[1]


def test_unchanged_build_writes_nothing_and_a_change_builds_again(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = tree(output)
    index = output / "index.html"
    index.touch()
    stamp = index.stat().st_mtime_ns
    assert build(content, output)[0] == 0
    assert tree(output) == before
    assert index.stat().st_mtime_ns == stamp  # nothing was written at all
    # Any input shapes the digest: here a theme file.
    theme = tmp_path / "theme"
    import shutil  # noqa: PLC0415

    from helpers import ROOT  # noqa: PLC0415

    shutil.copytree(ROOT / "theme", theme)
    footer = theme / "templates" / "base.html"
    footer.write_text(
        footer.read_text(encoding="utf-8").replace("Nguồn tin Atom", "Nguồn tin (Atom)"),
        encoding="utf-8",
    )
    assert build(content, output, THEME=str(theme))[0] == 0
    assert "Nguồn tin (Atom)" in index.read_text(encoding="utf-8")
    # Removing the output (`rm -rf output` removes the link to the published
    # build) forces a full build even with the same digest.
    assert output.is_symlink()
    output.unlink()
    assert build(content, output, THEME=str(theme))[0] == 0
    assert index.is_file()


def test_untouched_inputs_stop_the_build_before_reading(tmp_path, caplog):
    """Layer 1 (file stats) answers an unchanged rebuild; a touched file that
    reads the same falls through to layer 2 (the read content), which still
    writes nothing."""
    import logging  # noqa: PLC0415

    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    caplog.set_level(logging.INFO, logger="bulletin.build.uptodate")
    assert build(content, output)[0] == 0
    assert "No input changed" in caplog.text
    caplog.clear()
    seed = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    seed.write_bytes(seed.read_bytes())  # same bytes, new mtime and ctime
    assert build(content, output)[0] == 0
    assert "No input changed" not in caplog.text
    assert "Nothing to write" in caplog.text
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == before


def test_a_scheduled_article_is_published_by_an_otherwise_unchanged_rebuild(tmp_path, monkeypatch):
    """No file changes when a scheduled article falls due: the record keeps
    its moment, and "now" moving back before the last build is noticed too."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    scheduled = output / "tin-tuc" / "2099" / "tin-hen-gio-dang-nam-2099" / "index.html"
    due = 4070912400  # 2099-01-01 08:00 in Vietnam (UTC+7)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(due - 60))
    assert build(content, output)[0] == 0
    assert not scheduled.exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(due))
    assert build(content, output)[0] == 0
    assert scheduled.is_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(due - 60))
    assert build(content, output)[0] == 0
    assert not scheduled.exists()
