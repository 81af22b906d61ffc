"""What the tasks say in the editor's terminal: Vietnamese, never a traceback.

The real ``.venv/bin/invoke`` runs in a subprocess (tasks.py hands the
command line to bulletin.build.cli); the live preview's server runs on a copy of
the fixture site.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site

from bulletin.build import console
from bulletin.build.cli import translate

INVOKE = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin") / "invoke"
ENGLISH = ("Traceback", "did not receive", "No idea what", "needed value", "invalid literal")


def invoke(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    if not INVOKE.exists():
        pytest.skip(f"{INVOKE} is missing (python3 bootstrap.py sets it up)")
    return subprocess.run(
        [str(INVOKE), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_vietnamese(result, *expected: str) -> str:
    text = result.stdout + result.stderr
    for english in ENGLISH:
        assert english not in text, text
    for line in expected:
        assert line in text, text
    return text


def test_missing_arguments_of_new_give_vietnamese_usage():
    result = invoke("new")
    assert result.returncode == 1
    text = assert_vietnamese(
        result,
        'Lệnh "new" còn thiếu: --title, --movement, --author.',
        'Cách dùng: invoke new "<title>" --movement "<movement>" --author "<author>"',
        "--movement: slug hoặc tên phong trào",
        "Xem thêm: invoke --help new",
    )
    assert not text.startswith("'new'")


def test_a_name_with_a_space_not_in_quotes_is_explained():
    result = invoke("new", "Tin mới", "--movement", "dan-van-kheo", "--author", "Hồng", "Nhung")
    assert result.returncode == 1
    assert_vietnamese(result, 'Không hiểu "Nhung" trong lệnh "new"', 'ví dụ --author "Hồng Nhung"')


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["chek"], 'Không có lệnh "chek". Có phải ý bạn là "check"?'),
        (["--help", "chek"], 'Không có lệnh "chek".'),
        (["new", "Tin", "--movement"], 'Tùy chọn --movement cần một giá trị, ví dụ --movement "…"'),
        (["serve", "--port", "tam-nghin"], '"tam-nghin" không phải là số.'),
    ],
)
def test_parse_errors_are_vietnamese(args, expected):
    result = invoke(*args)
    assert result.returncode == 1
    assert_vietnamese(result, expected)


def test_python_m_invoke_gets_the_same_messages():
    result = subprocess.run(
        [str(INVOKE.parent / "python"), "-m", "invoke", "chek"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert_vietnamese(result, 'Không có lệnh "chek". Có phải ý bạn là "check"?')


def test_translate_keeps_unknown_messages_and_adds_usage():
    assert translate("Something new", None).startswith("Không hiểu lệnh (Something new).")


@pytest.fixture
def busy_port():
    """A port another program listens on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("task", ["livereload", "serve"])
def test_a_busy_port_names_the_port_and_how_to_pick_another(task, busy_port):
    started = time.monotonic()
    result = invoke(task, "--port", str(busy_port))
    assert result.returncode == 1
    assert_vietnamese(
        result,
        f"Cổng {busy_port} đang được một chương trình khác dùng",
        f"--port {busy_port + 1}",
    )
    # Said at once, before the first build of the preview.
    assert time.monotonic() - started < 20


# --- Pelican's log lines --------------------------------------------------------------
def record(msg, *args, level=logging.WARNING, name="pelican.readers"):
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_pelican_messages_are_translated_or_dropped(tmp_path):
    article = tmp_path / "content" / "articles" / "x.md"
    article.parent.mkdir(parents=True)
    article.write_text("Title: X\n\n![](anh/a.jpg)\n\n<img src='b.png' alt=''>\n", encoding="utf-8")
    alt = "Empty alt attribute for image %s in %s"
    # The check reports a Markdown photo without description itself.
    assert console.translate(record(alt, "a.jpg", str(article))) is None
    assert console.translate(record(alt, "b.png", str(article))) == (
        'content/articles/x.md: cảnh báo: Ảnh "b.png" có mô tả (alt) để trống — viết mô tả '
        'nội dung ảnh cho người khiếm thị trong thuộc tính alt="…"'
    )
    assert (
        console.translate(record("Skipping %s: could not find information about '%s'", "x", "date"))
        is None
    )
    assert console.translate(record("Something %s", "else")) == "cảnh báo: Something else"
    ours = "content/x.md:3: cảnh báo: Ảnh chưa có chú thích"
    assert console.translate(record("%s", ours, name="bulletin.content.validation")) == ours


def test_a_build_prints_vietnamese_lines_only(tmp_path):
    """A build as `invoke build` logs it: an <img> without alt is one
    Vietnamese warning; no English level, no "Done: Processed" line."""
    content = copy_fixture_site(tmp_path)
    article = content / "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
    article.write_text(
        article.read_text(encoding="utf-8")
        + '\nẢnh <img src="anh/phat-dong/nhung-11.jpg" alt="">\n',
        encoding="utf-8",
    )
    script = textwrap.dedent(
        f"""
        import logging, sys
        sys.path[:0] = [{str(ROOT / "plugins")!r}, {str(ROOT / "tests")!r}]
        from pathlib import Path
        from helpers import build
        from bulletin.build import console
        console.init(logging.WARNING)
        code, report = build(Path({str(content)!r}), Path({str(tmp_path / "output")!r}))
        print("exit", code)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    text = result.stdout + result.stderr
    assert "exit 0" in text, text
    assert (
        "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md: cảnh báo: Ảnh "
        '"nhung-11.jpg" có mô tả (alt) để trống' in text
    )
    for english in ("WARNING", "Done: Processed", "Traceback"):
        assert english not in text, text


# --- the live preview's server ---------------------------------------------------------
LIVE = """
import sys
sys.path[:0] = [{plugins!r}, {tests!r}]
from pathlib import Path
from helpers import FIXTURE_SETTINGS
from livereload.watcher import get_watcher_class
from bulletin.build import console
from bulletin.build.main import load_settings
from bulletin.build.preview import Preview
from bulletin.build.servers import serve_live
site = Path({site!r})
console.init()
def settings():
    return load_settings({conf!r}, drafts=True, PATH=str(site / "content"),
        OUTPUT_PATH=str(site / "output"), CACHE_PATH=str(site / "cache" / "pelican"),
        BUILD_DIGEST_FILE=str(site / "cache" / "record.json"), SEARCH_INDEX=False,
        **FIXTURE_SETTINGS)
preview = Preview(settings, str(site / "output"), stream=sys.stdout)
preview.build()
watcher = get_watcher_class()()
watcher.watch(str(site / "content" / "**" / "*"), lambda changed=None: preview.changed(changed))
serve_live(preview, str(site / "output"), watcher, {port}, ready="PRÊT")
"""


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


@pytest.fixture
def live_site(tmp_path):
    copy_fixture_site(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = LIVE.format(
        plugins=str(ROOT / "plugins"),
        tests=str(ROOT / "tests"),
        site=str(tmp_path),
        conf=str(ROOT / "pelicanconf.py"),
        port=port,
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert server.stdout.readline().strip() == "PRÊT"
        yield tmp_path / "content", f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
        assert "Traceback" not in out, out


def test_live_preview_pages_admin_404_and_an_error_page_until_fixed(live_site):
    content, base = live_site
    status, home = fetch(base + "/")
    assert status == 200 and "livereload.js" in home
    status, admin = fetch(base + "/admin/")
    assert status == 200 and "livereload" not in admin  # never reloads the web editor
    status, missing = fetch(base + "/tin-tuc/2023/khong-co/")
    assert status == 404
    assert '<html lang="vi"' in missing and '<base href="/">' in missing
    assert "livereload.js" in missing  # reloads when the page appears
    # A save with a mistake: every reader page shows it, with file, line and fix.
    article = content / "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("Date: 2023-03-09 14:59:04", "Date: 31/02/2023"), "utf-8")
    wait_for(lambda: fetch(base + "/")[0] == 500)
    status, page = fetch(base + "/gioi-thieu/")
    assert status == 500 and "Chưa dựng được trang" in page and "livereload.js" in page
    assert "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md:2" in page
    assert "Cách sửa: viết theo dạng" in page and "lưu lại tệp" in page
    assert "livereload" not in fetch(base + "/admin/")[1]
    result = json.loads(fetch(base + "/_xem-truoc/ket-qua.json")[1])
    assert result["ok"] is False and result["problems"][0]["line"] == 2
    # Fixed and saved again: the site is back.
    article.write_text(good, "utf-8")
    wait_for(lambda: fetch(base + "/")[0] == 200)
    assert json.loads(fetch(base + "/_xem-truoc/ket-qua.json")[1]) == {
        "ok": True,
        "problems": [],
        "report": "",
    }


def test_build_errors_say_save_again_in_the_live_preview(tmp_path):
    content = copy_fixture_site(tmp_path)
    article = content / "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("Date: 2023-03-09 14:59:04", "Date: x"),
        encoding="utf-8",
    )
    code, report = build(content, tmp_path / "output")
    assert code == 1 and "rồi chạy lại" in report
    from bulletin.build.main import build_site, load_settings  # noqa: PLC0415

    settings = load_settings(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        OUTPUT_PATH=str(tmp_path / "output"),
        CACHE_PATH=str(tmp_path / "cache"),
        BUILD_DIGEST_FILE=str(tmp_path / "record.json"),
        **FIXTURE_SETTINGS,
    )
    import io  # noqa: PLC0415

    stream, problems = io.StringIO(), []
    assert build_site(settings, stream=stream, live=True, problems=problems) == 1
    assert "rồi lưu lại tệp (trang tự dựng lại)" in stream.getvalue()
    assert "chạy lại" not in stream.getvalue()
    assert [p.line for p in problems] == [2]


def test_serve_answers_a_missing_page_with_the_site_404(tmp_path, fixture_site):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'plugins')!r}); "
        "from bulletin.build.servers import serve_output; "
        f"serve_output({str(fixture_site)!r}, {port}, ready='PRÊT')"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert server.stdout.readline().strip() == "PRÊT"
        status, page = fetch(f"http://127.0.0.1:{port}/tin-tuc/khong-co/")
        assert status == 404 and '<base href="/">' in page and 'lang="vi"' in page
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert "GET" not in out and "Traceback" not in out  # no access lines
