"""Published addresses never move (bulletin.content.addresses), with real git repositories.

The fixture site is committed in a temporary repository; then an editor's
edit (title, year, slug) is checked against that commit, as ``invoke check``
and the build do.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site, page

from bulletin.build.main import check_site, load_settings
from bulletin.content.addresses import published_version, read_blobs
from bulletin.content.vietnamese import build_now

ARTICLE = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
OLD_URL = "/tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Biên tập", "-c", "user.email=bt@example.invalid", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def committed_site(tmp_path: Path) -> Path:
    """The fixture site's content/ in a fresh repository, all committed."""
    content = copy_fixture_site(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "Bản tin")
    return content


def check(content: Path, **overrides) -> tuple[int, list[str]]:
    settings = load_settings(
        str(ROOT / "pelicanconf.py"), PATH=str(content), **{**FIXTURE_SETTINGS, **overrides}
    )
    stream = io.StringIO()
    code = check_site(settings, stream=stream)
    return code, stream.getvalue().splitlines()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_published_articles_without_slug_are_asked_to_pin_it(tmp_path):
    content = committed_site(tmp_path)
    code, report = check(content)
    assert code == 0, report
    assert (
        f'content/{ARTICLE}:1: cảnh báo: Bài đã đăng ở "{OLD_URL}" nhưng chưa có dòng Slug: '
        "sửa tiêu đề sẽ đổi địa chỉ bài — thêm dòng Slug: phat-dong-phong-trao-thi-dua-nam-2023 "
        "để giữ địa chỉ" in report
    )
    # Pinned (tieu-de-co-script), a draft, a scheduled article: nothing to say.
    for quiet in ("tieu-de-co-script.md", "ban-nhap.md", "tin-hen-gio.md"):
        assert not any(quiet in line for line in report), report
    assert report[-1] == "0 lỗi, 2 cảnh báo."


def test_title_edit_of_a_published_article_is_an_error_with_the_fix(tmp_path):
    content = committed_site(tmp_path)
    edit(
        content / ARTICLE,
        "Title: Phát động phong trào thi đua năm 2023",
        "Title: Phát động thi đua",
    )
    code, report = check(content)
    assert code == 1
    assert (
        f'content/{ARTICLE}:1: lỗi: Bài đã đăng ở "{OLD_URL}"; sửa như vậy sẽ đổi địa chỉ bài '
        'thành "/tin-tuc/2023/phat-dong-thi-dua/" — thêm dòng Slug: '
        "phat-dong-phong-trao-thi-dua-nam-2023 để giữ địa chỉ, hoặc thêm Redirect_from: "
        f"{OLD_URL} nếu muốn đổi" in report
    )
    # The build says the same and publishes nothing.
    output = tmp_path / "output"
    code, build_report = build(content, output)
    assert code == 1 and "Bài đã đăng ở" in build_report
    assert not output.exists()
    # The fix the message gives: pin the slug. The title may change.
    edit(
        content / ARTICLE,
        "Title: Phát động thi đua\n",
        "Title: Phát động thi đua\nSlug: phat-dong-phong-trao-thi-dua-nam-2023\n",
    )
    code, report = check(content)
    assert code == 0, report
    assert not any(ARTICLE in line for line in report), report


def test_title_edit_with_redirect_from_moves_the_page_and_redirects(tmp_path):
    content = committed_site(tmp_path)
    edit(
        content / ARTICLE,
        "Title: Phát động phong trào thi đua năm 2023",
        f"Title: Phát động thi đua\nRedirect_from: {OLD_URL}",
    )
    code, report = check(content)
    assert code == 0, report
    # Still published, still without a Slug line: pin the new one.
    assert any("thêm dòng Slug: phat-dong-thi-dua để giữ địa chỉ" in line for line in report)
    output = tmp_path / "output"
    code, build_report = build(content, output)
    assert code == 0, build_report
    assert (output / "tin-tuc/2023/phat-dong-thi-dua/index.html").is_file()
    redirect = page(output, OLD_URL.strip("/") + "/")
    assert "phat-dong-thi-dua" in redirect.find("link", rel="canonical")["href"]


def test_year_and_slug_edits_are_errors_at_their_lines(tmp_path):
    content = committed_site(tmp_path)
    edit(content / ARTICLE, "Date: 2023-03-09 14:59:04", "Date: 2024-03-09 14:59:04")
    script = content / "articles/2024/tieu-de-co-script.md"
    edit(script, "Slug: canh-giac-lua-dao", "Slug: canh-giac")
    code, report = check(content)
    assert code == 1
    assert any(
        line.startswith(f'content/{ARTICLE}:2: lỗi: Bài đã đăng ở "{OLD_URL}"')
        and "/tin-tuc/2024/phat-dong-phong-trao-thi-dua-nam-2023/" in line
        and "giữ năm 2023 ở dòng Date để giữ địa chỉ" in line
        for line in report
    ), report
    assert any(
        line.startswith("content/articles/2024/tieu-de-co-script.md:5: lỗi: Bài đã đăng ở")
        and "sửa lại thành Slug: canh-giac-lua-dao để giữ địa chỉ" in line
        for line in report
    ), report


def test_drafts_new_files_and_scheduled_articles_may_change(tmp_path):
    content = committed_site(tmp_path)
    edit(content / "articles/2024/ban-nhap.md", "Title: Bản nháp chưa đăng", "Title: Bản nháp")
    edit(content / "articles/2099/tin-hen-gio.md", "Title: Tin hẹn giờ", "Title: Tin")
    (content / "articles/2023/moi.md").write_text(
        "Title: Tin mới\nDate: 2023-05-01 08:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
        "Slug: tin-moi\n\nNội dung.\n",
        encoding="utf-8",
    )
    code, report = check(content)
    assert code == 0, report
    assert report[-1] == "0 lỗi, 2 cảnh báo."  # the two published ones without Slug


def test_a_published_article_made_a_draft_again_only_warns(tmp_path):
    content = committed_site(tmp_path)
    edit(
        content / ARTICLE,
        "Title: Phát động phong trào thi đua năm 2023",
        "Title: Phát động thi đua\nStatus: draft",
    )
    code, report = check(content)
    assert code == 0, report
    assert any("cảnh báo: (bản nháp) Bài đã đăng ở" in line for line in report), report


def test_remote_branch_is_what_was_published(tmp_path):
    """Committed locally but not pushed: origin/main still has the old title."""
    content = committed_site(tmp_path)
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    edit(content / ARTICLE, "Title: Phát động phong trào thi đua năm 2023", "Title: Phát động")
    git(tmp_path, "commit", "-q", "-am", "Sửa tiêu đề")
    code, report = check(content)
    assert code == 1 and any("Bài đã đăng ở" in line for line in report), report
    # PUBLISHED_REF names the revision; False turns the comparison off.
    assert check(content, PUBLISHED_REF="HEAD")[0] == 0
    assert check(content, PUBLISHED_REF=False) == (0, ["0 lỗi, 0 cảnh báo."])


@pytest.mark.parametrize("situation", ["no repository", "no git", "unknown revision"])
def test_without_git_nothing_is_compared_and_nothing_breaks(tmp_path, monkeypatch, situation):
    if situation == "no repository":
        content = copy_fixture_site(tmp_path)
        overrides = {}
    else:
        content = committed_site(tmp_path)
        edit(content / ARTICLE, "Title: Phát động phong trào thi đua năm 2023", "Title: Mới")
        overrides = {"PUBLISHED_REF": "khong-co"} if situation == "unknown revision" else {}
        if situation == "no git":
            monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert check(content, **overrides) == (0, ["0 lỗi, 0 cảnh báo."])


def test_old_versions_are_read_with_one_git_call(tmp_path):
    content = committed_site(tmp_path)
    head = git(tmp_path, "rev-parse", "HEAD")
    paths = [f"content/{ARTICLE}", "content/articles/khong-co.md", "content/articles"]
    blobs = read_blobs(str(tmp_path), head, paths)
    assert list(blobs) == [f"content/{ARTICLE}"]
    assert blobs[f"content/{ARTICLE}"] == (content / ARTICLE).read_bytes()


def test_old_url_uses_todays_rules():
    settings = {"ARTICLE_URL": "tin-tuc/{date:%Y}/{slug}/"}
    now = build_now({})
    long_title = " ".join(["Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"] * 4)
    old = published_version(
        f"Title: {long_title}\nDate: 09/03/2023 14:59\n\nNội dung.", settings, now
    )
    assert old.url == "tin-tuc/2023/" + old.slug + "/"
    assert len(old.slug) <= 80 and not old.slug.endswith("-")
    pinned = published_version("Title: X\nDate: 2023-03-09\nSlug: ten-cu\n", settings, now)
    assert pinned.url == "tin-tuc/2023/ten-cu/"
    assert published_version("Title: X\nDate: 2023-03-09\nStatus: draft\n", settings, now) is None
    assert published_version("Title: X\nDate: 2999-01-01\n", settings, now) is None
    assert published_version("Title: X\nDate: 31/02/2023\n", settings, now) is None


def test_a_300_character_title_without_slug_gets_a_bounded_address(tmp_path):
    content = copy_fixture_site(tmp_path)
    title = " ".join(["Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn tổ chức hội nghị"] * 5)
    (content / "articles/2023/dai.md").write_text(
        f"Title: {title}\nDate: 2023-05-01 08:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n\n"
        "Nội dung.\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    folders = [p.name for p in (output / "tin-tuc/2023").iterdir() if p.name.startswith("ban-")]
    assert folders == [
        "ban-quan-ly-cac-khu-cong-nghiep-tinh-bac-kan-to-chuc-hoi-nghi-ban-quan-ly-cac"
    ]
    assert len(folders[0]) <= 80
