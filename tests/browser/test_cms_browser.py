"""The web editor end to end: /admin/ in Chromium against decap-server on
loopback, over a temporary git copy of the sample content.

An editor writes an article with a photo and a caption in the Vietnamese UI
and saves it: the draft is a git branch (decap-server's "git" mode is Decap's
editorial workflow: branch ``cms/articles/<year>/<slug>``, merged on publish);
once published, the file is where the content model says, passes
``invoke check``, and builds into ``/tin-tuc/<year>/<slug>/`` with its figure.
Every request the browser makes is routed: any host other than 127.0.0.1
fails the test. Screenshots go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import threading
import time
import unicodedata
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build

from browser.conftest import QuietHandler
from browser.pages import ARTIFACTS, unavailable
from bulletin.build.main import check_site, load_settings
from bulletin.content.vietnamese import slugify
from bulletin.editor.backend import ENVIRONMENT

DECAP_SERVER = ROOT / "tools" / "decap-server"
SERVER_SCRIPT = DECAP_SERVER / "node_modules" / "decap-server" / "dist" / "index.js"
SCREENSHOTS = ARTIFACTS / "screenshots"
PUBLIC = "https://bantin.example.gov.vn/"

# Typed as some Vietnamese input methods send it: decomposed (NFD).
TITLE = unicodedata.normalize(
    "NFD", "Đoàn công tác “Sở Công Thương” kiểm tra 100% dự án tại KCN Thanh Bình"
)
CAPTION = 'Vật liệu tập kết tại "công trường" nhà xưởng'
ALT = "Những chồng gạch xây xếp ngay ngắn tại công trường"
# A sample photo (public domain, content/CREDITS.md), named as a phone names it.
PHOTO = (
    ROOT
    / "content/articles/2023/anh/nhieu-nha-dau-tu-den-tim-hieu-co-hoi-dau-tu-vao-kcn-thanh-binh"
)
PHOTO = PHOTO / "gach-xay.jpg"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, encoding="utf-8"
    )
    return result.stdout


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    if not found:
        unavailable("Node.js not found: decap-server needs it (apt-get install nodejs npm)")
    if not SERVER_SCRIPT.is_file():
        npm = shutil.which("npm")
        if npm:  # the pinned lockfile; needs the npm registry once
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=DECAP_SERVER,
                capture_output=True,
                check=False,
            )
        if not SERVER_SCRIPT.is_file():
            unavailable("decap-server is not installed: npm ci --prefix tools/decap-server")
    return found


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A git repository holding a copy of the sample content, on branch main."""
    if not shutil.which("git"):
        unavailable("git not found")
    folder = tmp_path_factory.mktemp("cms-repo")
    shutil.copytree(ROOT / "content", folder / "content")
    # decap-server commits with `git add .`: like a real checkout, the
    # repository ignores what builds leave beside content/ (cache/, output/).
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Biên tập viên")
    git(folder, "config", "user.email", "bien-tap@example.invalid")
    git(folder, "config", "commit.gpgsign", "false")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Nội dung mẫu")
    return folder


def run_decap_server(node, folder: Path, mode: str):
    """decap-server on a free local port over ``folder`` ("git" or "fs"
    mode): yields its API address until the fixture using it ends."""
    port = free_port()
    env = dict(
        os.environ,
        MODE=mode,
        GIT_REPO_DIRECTORY=str(folder),
        PORT=str(port),
        BIND_HOST="127.0.0.1",
        LOG_LEVEL="warn",
    )
    process = subprocess.Popen(
        [node, str(SERVER_SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 20
    while True:
        try:
            request = urllib.request.Request(
                url, data=b'{"action":"info"}', headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=2) as response:
                info = response.read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("decap-server did not start: " + process.stdout.read().decode())
            time.sleep(0.2)
    try:
        yield url, info
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def decap_server(node, repo):
    for url, info in run_decap_server(node, repo, "git"):
        assert b"editorial_workflow" in info
        yield url


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory, repo, decap_server):
    """The site built from the repository's content, served on 127.0.0.1:
    (the /admin/ address, the output folder)."""
    root = tmp_path_factory.mktemp("cms-site")
    output = root / "output"
    settings = {key: "" for key in ENVIRONMENT}
    settings["CMS_LOCAL_BACKEND_URL"] = decap_server
    code, report = build(repo / "content", output, **settings)
    assert code == 0, report
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/admin/", output
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def admin_url(admin_site):
    return admin_site[0]


@pytest.fixture
def editor(browser, admin_url):
    """A page on /admin/; every request outside 127.0.0.1 is blocked and listed."""
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
    )
    outside = []

    def only_loopback(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(admin_url)
    yield page, outside, errors
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"cms-{name}.png"))


def test_the_editor_speaks_vietnamese(editor):
    page, outside, errors = editor
    page.get_by_role("button", name="Đăng nhập").click()
    for text in ("Nội dung", "Duyệt bài", "Ảnh", "Bài viết"):
        page.get_by_text(text, exact=True).first.wait_for()
    page.get_by_text("Viết bài mới").wait_for()
    shot(page, "danh-sach")
    # Every string of Decap's English locale has a Vietnamese one.
    missing = page.evaluate(
        """() => {
          const flat = (o, p, out) => { for (const [k, v] of Object.entries(o || {})) {
              const key = p ? p + '.' + k : k;
              if (v && typeof v === 'object') flat(v, key, out); else out[key] = v; }
            return out; };
          const en = flat(CMS.getLocale('en'), '', {}), vi = flat(CMS.getLocale('vi'), '', {});
          return Object.keys(en).filter((key) => !(key in vi));
        }"""
    )
    assert missing == []
    body = page.inner_text("body")
    for english in ("Contents", "Workflow", "Media", "Quick add", "New Post", "Login"):
        assert english not in body
    assert not outside and not errors


def test_an_article_with_a_photo_from_draft_branch_to_published_page(editor, repo, tmp_path):
    page, outside, errors = editor
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Viết bài mới").click()
    slug = slugify(TITLE)
    assert slug == "doan-cong-tac-so-cong-thuong-kiem-tra-100-du-an-tai-kcn-thanh-binh"

    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Ngày giờ đăng").fill("05/03/2025 08:30")
    page.get_by_text("Thứ Tư, ngày 5 tháng 3 năm 2025, 08:30 (giờ Việt Nam)").wait_for()
    page.get_by_label("Tác giả", exact=True).fill("Thu Hà, Minh Đức")
    page.get_by_label("Phong trào thi đua").click()
    page.get_by_text("Bắc Kạn đẩy mạnh chuyển đổi số", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_label("Chủ đề").fill("kiểm tra, dự án")
    page.get_by_label("Tóm tắt (sapo)").fill("Đoàn công tác kiểm tra tiến độ các dự án.")
    page.locator("[data-bulletin-url]").get_by_text(f"/tin-tuc/2025/{slug}/").wait_for()
    body = page.get_by_label("Nội dung")
    body.fill(
        "Sáng 5/3, đoàn công tác làm việc tại KCN Thanh Bình.\n\nĐoàn đã kiểm tra hiện trường."
    )
    body.evaluate("(box) => box.setSelectionRange(12, 12)")  # in the first paragraph

    # The photo: chosen from the computer.
    photo = shutil.copy(PHOTO, tmp_path / "Ảnh Hội nghị.JPG")
    page.get_by_role("button", name="Chèn ảnh", exact=True).click()
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Mô tả ảnh cho người khiếm thị (bắt buộc)").fill(ALT)
    page.get_by_label("Chú thích hiện dưới ảnh").fill(CAPTION)
    shot(page, "chen-anh")
    page.get_by_role("button", name="Chèn ảnh vào bài").click()
    assert "![" + ALT + "](anh/" in body.input_value()

    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name="Trạng thái: Bản nháp").wait_for()
    page.wait_for_url(f"**/entries/2025/{slug}")
    shot(page, "da-luu")

    # The draft is a branch; main (and the checkout) do not have it yet.
    path = f"content/articles/2025/{slug}.md"
    branch = f"cms/articles/2025/{slug}"
    assert branch in git(repo, "branch", "--list", "cms/*")
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert not (repo / path).exists()
    assert (
        git(repo, "ls-tree", "-r", "--name-only", "main", "content/articles/2025").count(slug) == 0
    )
    changed = git(repo, "diff", "--name-only", "main", branch).split()
    assert changed == [f"content/articles/2025/anh/{slug}/anh-hoi-nghi.jpg", path]
    text = git(repo, "show", f"{branch}:{path}")
    assert text == unicodedata.normalize("NFC", text)
    assert text.splitlines()[:7] == [
        f"Title: {unicodedata.normalize('NFC', TITLE)}",
        "Date: 2025-03-05 08:30",
        "Author: Thu Hà, Minh Đức",
        "Movement: bac-kan-day-manh-chuyen-doi-so",
        "Tags: kiểm tra, dự án",
        "Summary: Đoàn công tác kiểm tra tiến độ các dự án.",
        f"Slug: {slug}",
    ]
    figure_line = (
        f'![{ALT}](anh/{slug}/anh-hoi-nghi.jpg "Vật liệu tập kết tại “công trường” nhà xưởng")'
    )
    assert text.split("\n\n")[1:] == [
        "Sáng 5/3, đoàn công tác làm việc tại KCN Thanh Bình.",
        figure_line,
        "Đoàn đã kiểm tra hiện trường.\n",
    ]

    # A second person approves: ready, then published (merged into main).
    page.get_by_role("button", name="Trạng thái: Bản nháp").click()
    page.get_by_role("menuitem", name="Sẵn sàng").click()
    page.get_by_role("button", name="Trạng thái: Sẵn sàng").wait_for()
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    page.get_by_role("menuitem", name="Xuất bản ngay").click()
    page.get_by_text("Đã xuất bản bài").wait_for()
    shot(page, "da-xuat-ban")
    assert branch not in git(repo, "branch", "--list", "cms/*")
    assert (repo / path).read_text(encoding="utf-8") == text
    assert (repo / "content" / "articles" / "2025" / "anh" / slug / "anh-hoi-nghi.jpg").is_file()

    # `invoke check` finds nothing wrong, and the build publishes it.
    report = io.StringIO()
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(repo / "content"))
    assert check_site(settings, stream=report) == 0, report.getvalue()
    # The sample's scanned decree is its one warning (tests/content/test_check.py).
    lines = report.getvalue().strip().splitlines()
    assert lines[-1] == "0 lỗi, 1 cảnh báo." and "văn bản dạng ảnh quét" in lines[-2], lines
    output = tmp_path / "output"
    code, build_report = build(repo / "content", output)
    assert code == 0, build_report
    html = (output / "tin-tuc" / "2025" / slug / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser")

    def text_of(tag) -> str:
        return tag.get_text(" ", strip=True).replace("\xa0", " ")  # typogrify's widont

    assert text_of(article.h1) == unicodedata.normalize("NFC", TITLE)
    figure = article.select_one("article figure")
    assert figure is not None and figure.img["alt"] == ALT
    assert text_of(figure.figcaption) == "Vật liệu tập kết tại “công trường” nhà xưởng"

    assert outside == [], "requests left 127.0.0.1"
    assert errors == []


def serve_from_disk(context, output, public: str) -> list[str]:
    """Answer every request of ``context`` for ``public`` from the built files in
    ``output`` (folders by their index.html), abort any other: a built site
    opened at its public address with nothing on the network. Returns the list
    the requested URLs are appended to."""
    requested = []

    def from_disk(route):
        url = route.request.url
        requested.append(url)
        path = url.removeprefix(public).split("?")[0]
        file = output / (path + "index.html" if path.endswith("/") or not path else path)
        if url.startswith(public) and file.is_file():
            route.fulfill(path=str(file))
        else:
            route.abort()

    context.route("**/*", from_disk)
    return requested


def test_a_public_site_without_a_backend_says_so(browser, admin_site):
    """Built without CMS_BACKEND and opened at its public address: an explanation
    in Vietnamese, and Decap is not even downloaded. (The address is served from
    the built files by the browser itself: nothing goes on the network.)"""
    _, output = admin_site
    context = browser.new_context(locale="vi-VN")
    requested = serve_from_disk(context, output, PUBLIC)
    page = context.new_page()
    page.goto(PUBLIC + "admin/")
    notice = page.get_by_role("status")
    notice.get_by_text("Trình soạn thảo chưa được cấu hình").wait_for()
    assert "CMS_BACKEND" in notice.inner_text()
    assert requested and not [url for url in requested if "decap-cms" in url]
    shot(page, "chua-cau-hinh")
    context.close()
