"""The web editor as an editor uses it, in local mode (`invoke cms`): /admin/
from the editor's own server (bulletin.editor.server, no livereload script),
decap-server writing straight into a git checkout's content/ (its "fs" mode,
the default of `invoke cms`), Chromium typing key by key — never fill().

What is asserted is what the editor sees (the refusal naming the field, the
page scrolled and the cursor put there) and what lands in content/ (the
files, read back, and `invoke check` on them).
"""

from __future__ import annotations

import io
import re
import shutil
import time
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT, build

from browser.pages import ARTIFACTS
from browser.test_cms_browser import (  # noqa: F401
    PHOTO,
    git,
    node,
    run_decap_server,
    serve_from_disk,
)
from bulletin.build.main import check_site, load_settings
from bulletin.content.model import SLUG_RE
from bulletin.content.validation import TITLE_MAX
from bulletin.content.vietnamese import SLUG_MAX, TIMEZONE, bounded_slug
from bulletin.editor.backend import ENVIRONMENT
from bulletin.editor.server import EditorServer

SCREENSHOTS = ARTIFACTS / "screenshots"
TITLE = "Đoàn thanh niên ra quân “Ngày Chủ nhật xanh” tại KCN Thanh Bình"
BYLINE = "Hồng Nhung, Minh Đức"
TAGS = "thanh niên, môi trường"
ALT = "Đoàn viên nhặt rác dọc đường nội bộ KCN"
# A published article whose file has no Slug: line (written before Slug was
# pinned): its address comes from its title until the editor pins it.
UNPINNED = "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
UNPINNED_SLUG = "phat-dong-phong-trao-thi-dua-nam-2023"
# Another article's photo, typed by hand (relative to the new article's folder).
OTHER_PHOTO = "../" + PHOTO.relative_to(ROOT / "content" / "articles").as_posix()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A git checkout of the sample content (its last commit is what is
    published: bulletin.content.addresses compares with it)."""
    folder = tmp_path_factory.mktemp("cms-editing")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    unpinned = folder / UNPINNED
    text = unpinned.read_text(encoding="utf-8")
    unpinned.write_text(text.replace(f"Slug: {UNPINNED_SLUG}\n", ""), encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Biên tập viên")
    git(folder, "config", "user.email", "bien-tap@example.invalid")
    git(folder, "config", "commit.gpgsign", "false")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Nội dung mẫu")
    return folder


@pytest.fixture(scope="module")
def decap_fs(node, checkout):  # noqa: F811 - the fixture imported above
    for url, _info in run_decap_server(node, checkout, "fs"):
        yield url


def site_settings(checkout: Path, output: Path) -> dict:
    return load_settings(
        str(ROOT / "pelicanconf.py"),
        PATH=str(checkout / "content"),
        OUTPUT_PATH=str(output),
        CACHE_PATH=str(output.parent / "cache" / "pelican"),
        SEARCH_CACHE_PATH=str(output.parent / "cache" / "search"),
        BUILD_DIGEST_FILE=str(output.parent / "cache" / "build-record.json"),
    )


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory, checkout, decap_fs):
    """/admin/ as `invoke cms` serves it: built, then served by EditorServer."""
    output = tmp_path_factory.mktemp("cms-editing-site") / "output"
    settings = {key: "" for key in ENVIRONMENT}
    settings["CMS_LOCAL_BACKEND_URL"] = decap_fs
    code, report = build(checkout / "content", output, **settings)
    assert code == 0, report
    server = EditorServer(
        lambda: site_settings(checkout, output), str(output), "http://127.0.0.1:9/", port=0
    ).start()
    yield f"http://127.0.0.1:{server.httpd.server_address[1]}/admin/"
    server.stop()


@pytest.fixture
def editor(browser, editor_url):
    """A logged-in tab at 1280×900; requests outside 127.0.0.1 are refused."""
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    outside, errors = [], []

    def only_loopback(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(editor_url)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Viết bài mới").wait_for()
    yield page
    assert outside == [], "requests left 127.0.0.1"
    # A refused save leaves Decap's own rejected promise (no message), nothing else.
    assert [e for e in errors if e not in ("undefined", "Object")] == []
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"cms-sua-{name}.png"))


def publish(page) -> None:
    """Local "fs" mode has no review: Xuất bản › Xuất bản ngay saves the file."""
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    page.get_by_role("menuitem", name="Xuất bản ngay").click()


def report_of(page) -> str:
    panel = page.locator("#bulletin-report")
    panel.wait_for()
    return panel.inner_text()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def wait_for_file(page, path: Path, timeout: float = 15) -> str:
    """Waits in the page (Playwright handles the page's events meanwhile)."""
    deadline = time.monotonic() + timeout
    while not path.is_file():
        assert time.monotonic() < deadline, f"{path} was not written"
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # decap-server writes the article, then the photos
    return path.read_text(encoding="utf-8")


def check_report(checkout: Path) -> str:
    report = io.StringIO()
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(checkout / "content"))
    code = check_site(settings, stream=report)
    assert code == 0, report.getvalue()
    return report.getvalue()


def year_now() -> str:
    return f"{datetime.now(TIMEZONE):%Y}"


def new_article(page, title: str, author: str = "") -> None:
    page.get_by_text("Viết bài mới").click()
    page.get_by_label("Tiêu đề").press_sequentially(title)
    if author:
        page.get_by_label("Tác giả", exact=True).press_sequentially(author)
    page.get_by_label("Phong trào thi đua").click()
    page.get_by_text("Bắc Kạn đẩy mạnh chuyển đổi số", exact=True).click()
    page.keyboard.press("Escape")


def test_typed_byline_empty_author_and_a_photo_without_description(editor, checkout, tmp_path):
    page = editor
    slug = bounded_slug(TITLE)
    path = checkout / "content" / "articles" / year_now() / f"{slug}.md"
    new_article(page, TITLE)
    # The date starts at now (Vietnam time), not empty.
    date = page.get_by_label("Ngày giờ đăng").input_value()
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", date)
    assert date[:10] == f"{datetime.now(TIMEZONE):%d/%m/%Y}"
    page.get_by_label("Chủ đề").press_sequentially(TAGS)
    assert page.get_by_label("Chủ đề").input_value() == TAGS

    # Author left empty: refused, the field named in the toast and the panel,
    # the cursor put in it.
    publish(page)
    toast = page.get_by_text("Chưa lưu: trường “Tác giả” bắt buộc đang để trống.")
    toast.wait_for()
    assert "Trường “Tác giả” đang để trống" in report_of(page)
    assert focused_id(page).startswith("author-field-")
    shot(page, "thieu-tac-gia")
    assert not path.exists()

    # Typed key by key where the cursor already is: spaces and commas stay.
    page.keyboard.type(BYLINE)
    assert page.get_by_label("Tác giả", exact=True).input_value() == BYLINE
    page.locator("#bulletin-report").wait_for(state="detached")  # fixed: the panel goes

    # The body: a paragraph, then a photo with the dialog (its button says why
    # it cannot insert yet; Escape closes it), then one typed by hand.
    body = page.get_by_label("Nội dung")
    body.click()
    page.keyboard.type("Sáng Chủ nhật, đoàn viên ra quân dọn vệ sinh KCN.")
    page.get_by_role("button", name="Chèn ảnh", exact=True).click()
    page.get_by_text("Chưa chọn ảnh: bấm “Chọn hoặc tải ảnh lên”.").wait_for()
    photo = shutil.copy(PHOTO, tmp_path / "Ảnh Hội nghị.JPG")
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    insert = page.get_by_role("button", name="Chèn ảnh vào bài")
    assert insert.is_disabled()
    page.get_by_text("Chưa có mô tả ảnh: viết mô tả (bắt buộc) để chèn.").wait_for()
    # The cursor went to the description.
    page.wait_for_function("(document.activeElement || {}).id.endsWith('-alt')")
    page.keyboard.press("Escape")
    page.locator("[data-bulletin-photo-panel]").wait_for(state="detached")
    page.get_by_role("button", name="Chèn ảnh", exact=True).click()
    page.get_by_text("anh-hoi-nghi.jpg", exact=True).click()  # uploaded: in the library
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Mô tả ảnh cho người khiếm thị (bắt buộc)").press_sequentially(ALT)
    page.get_by_label("Chú thích hiện dưới ảnh").press_sequentially("Ra quân sáng Chủ nhật")
    insert.click()
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(f"Ảnh thứ hai:\n\n![]({OTHER_PHOTO})")

    # Refused by the build's own check, at the line of the photo.
    publish(page)
    text = report_of(page)
    assert "Chưa lưu: cần sửa 1 lỗi" in text
    assert (
        f'Trường “Nội dung”, dòng 7: Ảnh "{OTHER_PHOTO}" thiếu mô tả (alt) cho người khiếm thị'
        in text
    )
    shot(page, "anh-thieu-mo-ta")
    assert not path.exists()
    # The panel's link selects the line; the editor types the line again.
    report = page.locator("#bulletin-report")
    report.get_by_role("button", name=re.compile("dòng 7.*thiếu mô tả")).click()
    assert (
        page.evaluate(
            "(() => { const b = document.activeElement;"
            " return b.value.slice(b.selectionStart, b.selectionEnd); })()"
        )
        == f"![]({OTHER_PHOTO})"
    )
    page.keyboard.type(f'![Tường gạch xây so le]({OTHER_PHOTO} "Ảnh thứ hai")')

    publish(page)
    written = wait_for_file(page, path)
    assert written == unicodedata.normalize("NFC", written)
    header, *paragraphs = written.split("\n\n")
    lines = header.splitlines()
    assert lines[0] == f"Title: {TITLE}"
    assert re.fullmatch(r"Date: \d{4}-\d\d-\d\d \d\d:\d\d", lines[1])
    assert lines[2:] == [
        "Author: Hồng Nhung, Minh Đức",
        "Movement: bac-kan-day-manh-chuyen-doi-so",
        "Tags: thanh niên, môi trường",
        f"Slug: {slug}",
    ]
    assert paragraphs == [
        "Sáng Chủ nhật, đoàn viên ra quân dọn vệ sinh KCN.",
        f'![{ALT}](anh/{slug}/anh-hoi-nghi.jpg "Ra quân sáng Chủ nhật")',
        "Ảnh thứ hai:",
        f'![Tường gạch xây so le]({OTHER_PHOTO} "Ảnh thứ hai")\n',
    ]
    assert (path.parent / "anh" / slug / "anh-hoi-nghi.jpg").is_file()
    # `invoke check`: nothing about this article (the fixture's unpinned one warns).
    assert f"{year_now()}/{slug}.md" not in check_report(checkout)
    # The status line at the foot of the page: the last build and the check.
    status = page.locator("#bulletin-status")
    status.get_by_text("Lần dựng gần nhất: thành công lúc", exact=False).wait_for()
    assert "Kiểm tra nội dung:" in status.inner_text()


def test_visual_mode_photo_without_description_and_a_300_character_title(
    editor, checkout, tmp_path
):
    page = editor
    title = ("Hội nghị tổng kết phong trào thi đua “Doanh nghiệp KCN chung tay” năm 2025, " * 4)[
        :300
    ].strip()
    assert len(title) >= 295
    slug = bounded_slug(title)
    assert len(slug) <= SLUG_MAX and SLUG_RE.match(slug)
    path = checkout / "content" / "articles" / year_now() / f"{slug}.md"
    new_article(page, title, "Thu Hà")
    page.get_by_role("button", name="Soạn thảo trực quan").click()
    page.get_by_title("Thêm ảnh").click()
    page.get_by_role("menuitem", name="Ảnh").click()
    page.get_by_role("button", name="Chọn ảnh", exact=True).click()
    photo = shutil.copy(PHOTO, tmp_path / "cong-truong.jpg")
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()

    publish(page)
    text = report_of(page)
    assert f'Ảnh "anh/{slug}/cong-truong.jpg" thiếu mô tả (alt) cho người khiếm thị' in text
    # The title's length is a warning, as in `invoke check`: it does not stop the save.
    assert f"Trường “Tiêu đề” dài {len(title)} ký tự (nên dưới {TITLE_MAX})" in text
    shot(page, "truc-quan-thieu-mo-ta")
    assert not path.exists()

    page.get_by_label("Mô tả ảnh cho người khiếm thị", exact=True).press_sequentially(
        "Công nhân trên công trường nhà xưởng"
    )
    publish(page)
    # A 300-character title: the file name is the bounded slug (no ENAMETOOLONG).
    written = wait_for_file(page, path)
    assert f"Slug: {slug}\n" in written
    assert f"![Công nhân trên công trường nhà xưởng](anh/{slug}/cong-truong.jpg)" in written
    assert "Đã lưu, còn 2 cảnh báo" in report_of(page)  # the title, the caption
    assert f'{slug}.md:1: cảnh báo: Trường "Title"' in check_report(checkout)


def test_a_published_title_edit_keeps_the_address(editor, checkout):
    page = editor
    path = checkout / UNPINNED
    before = path.read_text(encoding="utf-8")
    page.goto(page.url.split("#")[0] + f"#/collections/articles/entries/2023/{UNPINNED_SLUG}")
    address = page.locator("[data-bulletin-url]")
    address.get_by_text(f"/tin-tuc/2023/{UNPINNED_SLUG}/").wait_for()
    assert "Địa chỉ cố định của bài" in page.locator(".bulletin-fixed").inner_text()
    # "Xem bản hoàn chỉnh" opens the article itself (preview_path), not the home page.
    live = page.get_by_role("link", name="Xem bản hoàn chỉnh")
    assert live.get_attribute("href") == f"http://localhost:8000/tin-tuc/2023/{UNPINNED_SLUG}/"
    title = page.get_by_label("Tiêu đề")
    title.click()
    page.keyboard.press("End")
    page.keyboard.type(" (cập nhật)")
    # The address shown does not follow the title.
    assert address.inner_text() == f"/tin-tuc/2023/{UNPINNED_SLUG}/"

    # Moving it to another year would move the address: refused, at the date.
    date = page.get_by_label("Ngày giờ đăng")
    date.click()
    date.press("Control+a")
    page.keyboard.type("09/03/2024 14:59")
    publish(page)
    assert "bài đã đăng ở năm 2023; đổi sang năm 2024 sẽ đổi địa chỉ bài" in report_of(page)
    assert focused_id(page).startswith("date-field-")
    shot(page, "doi-nam")
    page.keyboard.press("Control+a")
    page.keyboard.type("09/03/2023 14:59")

    publish(page)
    page.get_by_text("Đã lưu bài").wait_for()
    deadline = time.monotonic() + 15
    while path.read_text(encoding="utf-8") == before:
        assert time.monotonic() < deadline, "the article was not saved"
        page.wait_for_timeout(100)
    after = path.read_text(encoding="utf-8")
    old, new = before.splitlines(), after.splitlines()
    assert new[0] == old[0] + " (cập nhật)"
    # The address is pinned where `invoke new` puts Slug; nothing else moved.
    assert f"Slug: {UNPINNED_SLUG}" in new
    assert [line for line in new if not line.startswith(("Title:", "Slug:"))] == old[1:]
    # `invoke check` compares with the published version (the git commit): same
    # address, and the warning about its missing Slug line is gone.
    assert UNPINNED not in check_report(checkout)


def test_the_publish_button_is_whole_on_a_phone(browser, editor_url):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(editor_url)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Viết bài mới").click()
    page.get_by_label("Tiêu đề").wait_for()
    button = page.get_by_role("button", name="Xuất bản", exact=True).bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # "+ Viết bài mới" is plain ASCII "+": no missing-glyph box without CJK fonts.
    assert "＋" not in page.evaluate("JSON.stringify(CMS.getLocale('vi'))")
    shot(page, "dien-thoai")
    context.close()


def test_remote_mode_links_the_ci_runs(browser, tmp_path):
    """Built for a GitLab backend and opened at the public address (served by
    the browser from the built files): no local check, the status line says
    the body is checked by CI and links the pipelines of the branch."""
    output = tmp_path / "output"
    settings = {key: "" for key in ENVIRONMENT}
    settings |= {
        "CMS_BACKEND": "gitlab",
        "CMS_REPO": "bql/ban-tin",
        "CMS_BASE_URL": "https://gitlab.backan.gov.vn",
        "CMS_APP_ID": "abc",
    }
    code, report = build(ROOT / "content", output, **settings)
    assert code == 0, report
    public = "https://bantin.example.gov.vn/"
    context = browser.new_context(locale="vi-VN")
    serve_from_disk(context, output, public)
    page = context.new_page()
    page.goto(public + "admin/")
    status = page.locator("#bulletin-status")
    status.get_by_text("Bài được kiểm tra khi trang được dựng lại (CI)", exact=False).wait_for()
    link = status.get_by_role("link", name="kết quả dựng trang (main)")
    assert (
        link.get_attribute("href")
        == "https://gitlab.backan.gov.vn/bql/ban-tin/-/pipelines?ref=main"
    )
    # The collection speaks of review here (drafts are reviewed on a server).
    config = (output / "admin" / "config.yml").read_text(encoding="utf-8")
    assert "chờ duyệt" in config
    context.close()


def test_the_photo_dialogs_credit_ends_the_caption_vietnamese_style(editor, checkout, tmp_path):
    """The photo dialog's "Người chụp ảnh", typed key by key, is written as
    "… Ảnh: <name>" at the end of the caption — the credit the build reads
    (bulletin.content.figures.split_credit) — and the preview sets it apart
    as the site does (<small> in the figcaption)."""
    from bulletin.content.figures import Credit, split_credit  # noqa: PLC0415

    page = editor
    title = "Công nhân KCN Thanh Bình nhận nhà ở xã hội"
    slug = bounded_slug(title)
    path = checkout / "content" / "articles" / year_now() / f"{slug}.md"
    new_article(page, title, "Thu Hà")
    page.get_by_label("Nội dung").click()
    page.keyboard.type("Sáng nay, 40 công nhân nhận chìa khóa.")
    page.get_by_role("button", name="Chèn ảnh", exact=True).click()
    photo = shutil.copy(PHOTO, tmp_path / "trao-chia-khoa.jpg")
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Mô tả ảnh cho người khiếm thị (bắt buộc)").press_sequentially(
        "Công nhân cầm chìa khóa căn hộ"
    )
    caption_field = page.get_by_label("Chú thích hiện dưới ảnh")
    caption_field.press_sequentially("Trao chìa")
    # The photo library, closing, hands the focus back to the "Chèn ảnh"
    # button that opened it — on a loaded machine seconds later, mid-caption
    # (CI lost keys to the button: "Trao ìa khóa.", and a space pressed it).
    # The panel takes the focus back; the person goes on typing.
    page.evaluate("document.querySelector('[id$=\"-insert-photo\"]').focus()")
    page.keyboard.type(" khóa.")
    assert caption_field.input_value() == "Trao chìa khóa."
    credit = page.get_by_label("Người chụp ảnh", exact=True)
    credit.press_sequentially("Hồng Nhung")
    assert credit.input_value() == "Hồng Nhung"
    # A move the person makes is theirs: Shift+Tab, back from the panel's
    # first field, reaches the button and stays there.
    page.get_by_label("Mô tả ảnh cho người khiếm thị (bắt buộc)").focus()
    on_button = "document.activeElement.id.endsWith('-insert-photo')"
    for _ in range(8):
        if page.evaluate(on_button):
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(on_button)
    page.get_by_role("button", name="Chèn ảnh vào bài").click()
    written_caption = "Trao chìa khóa. Ảnh: Hồng Nhung"
    line = f'![Công nhân cầm chìa khóa căn hộ](anh/trao-chia-khoa.jpg "{written_caption}")'
    assert page.get_by_label("Nội dung").input_value().endswith(line + "\n\n")
    # The preview: the caption, the credit apart.
    caption = page.frame_locator("#preview-pane").locator("figure.photo figcaption")
    caption.wait_for()
    assert caption.locator("small").inner_text() == "Ảnh: Hồng Nhung"
    assert " ".join(caption.inner_text().split()) == "Trao chìa khóa. Ảnh: Hồng Nhung"
    shot(page, "anh-nguoi-chup")

    publish(page)
    written = wait_for_file(page, path)
    assert f"\n\n{line.replace('anh/', f'anh/{slug}/')}\n" in written
    # What the build reads back: the caption and its credit.
    assert split_credit(written_caption) == (
        "Trao chìa khóa.",
        Credit("Ảnh", "Hồng Nhung"),
    )
    assert f"{year_now()}/{slug}.md" not in check_report(checkout)


def test_the_visual_editors_photo_has_the_credit_field_too(editor, checkout, tmp_path):
    """Decap's own photo component (Soạn thảo trực quan): "Người chụp ảnh"
    typed key by key ends the caption the same way."""
    page = editor
    title = "Doanh nghiệp KCN Thanh Bình trồng cây xanh"
    slug = bounded_slug(title)
    path = checkout / "content" / "articles" / year_now() / f"{slug}.md"
    new_article(page, title, "Thu Hà")
    page.get_by_role("button", name="Soạn thảo trực quan").click()
    page.get_by_title("Thêm ảnh").click()
    page.get_by_role("menuitem", name="Ảnh").click()
    page.get_by_role("button", name="Chọn ảnh", exact=True).click()
    photo = shutil.copy(PHOTO, tmp_path / "trong-cay.jpg")
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Mô tả ảnh cho người khiếm thị", exact=True).press_sequentially(
        "Công nhân trồng cây"
    )
    # Decap marks a field that is not required after its label: not exact.
    page.get_by_label("Chú thích hiện dưới ảnh").press_sequentially("Trồng cây")
    page.get_by_label("Người chụp ảnh").press_sequentially("Minh Đức")
    publish(page)
    written = wait_for_file(page, path)
    assert f'![Công nhân trồng cây](anh/{slug}/trong-cay.jpg "Trồng cây Ảnh: Minh Đức")' in written
    assert f"{year_now()}/{slug}.md" not in check_report(checkout)
