"""The web editor's local server (bulletin.editor.server, `invoke cms`).

/admin/ is served as the build wrote it — never with livereload's script,
which reloaded the editor after each save and lost what was typed — and
its check endpoint reports, for one article's text, exactly what
`invoke check` reports for that file: the same code runs.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import threading
import tomllib
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site
from pelican import signals

from bulletin.build.main import check_site, load_settings
from bulletin.editor.backend import ENVIRONMENT
from bulletin.editor.checks import PER_FILE_CHECKS, check_article_text, taken_slugs
from bulletin.editor.page import SCRIPTS
from bulletin.editor.server import EditorServer, admin_prefix

CASES = ROOT / "tests" / "bad_inputs"
NO_ENV = {key: "" for key in ENVIRONMENT}


def site_settings(content: Path, output: Path, **overrides) -> dict:
    overrides = {**FIXTURE_SETTINGS, **overrides}
    return load_settings(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        OUTPUT_PATH=str(output),
        CACHE_PATH=str(output.parent / "cache" / "pelican"),
        SEARCH_CACHE_PATH=str(output.parent / "cache" / "search"),
        BUILD_DIGEST_FILE=str(output.parent / "cache" / "build-record.json"),
        **overrides,
    )


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """The fixture site built, and its editor server on a free port."""
    root = tmp_path_factory.mktemp("cms-server")
    content = copy_fixture_site(root)
    output = root / "output"
    code, report = build(content, output, **NO_ENV)
    assert code == 0, report
    server = EditorServer(
        lambda: site_settings(content, output), str(output), "http://127.0.0.1:9/", port=0
    ).start()
    yield server, content
    server.stop()


def request(server, method, path, body=None, headers=None):
    port = server.httpd.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def post_check(server, path, text, pending=()):
    body = json.dumps({"path": path, "text": text, "pending": list(pending)}).encode()
    response, data = request(
        server, "POST", "/admin/api/kiem-tra", body, {"Content-Type": "application/json"}
    )
    assert response.status == 200, data
    return json.loads(data)


def test_the_admin_page_is_served_without_the_livereload_script(editor):
    server, _ = editor
    response, page = request(server, "GET", "/admin/")
    assert response.status == 200
    text = page.decode("utf-8")
    assert "livereload" not in text.lower()
    assert 'id="bulletin-cms-settings"' in text
    # The page is the file the build wrote, byte for byte.
    assert page == (Path(server.output) / "admin" / "index.html").read_bytes()
    for name in SCRIPTS:
        response, script = request(server, "GET", f"/admin/{name}")
        assert response.status == 200 and b"livereload" not in script
    # What the editor loads from the site (its CSS, the emblem) is served too;
    # the site's pages are the live preview's.
    response, _ = request(server, "GET", "/theme/img/favicon.svg")
    assert response.status == 200
    response, _ = request(server, "GET", "/tin-tuc/2024/canh-giac-lua-dao/")
    assert response.status == 302
    assert response.getheader("Location") == "http://127.0.0.1:9/tin-tuc/2024/canh-giac-lua-dao/"


def test_the_editor_is_where_the_build_wrote_it(tmp_path):
    """CMS_ADMIN_DIR decides where the build writes the editor and where this
    server serves it and its API: one setting, not two copies of "/admin/"."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    code, report = build(content, output, CMS_ADMIN_DIR="soan-bai", **NO_ENV)
    assert code == 0, report
    assert (output / "soan-bai" / "config.yml").is_file() and not (output / "admin").exists()
    server = EditorServer(
        lambda: site_settings(content, output, CMS_ADMIN_DIR="soan-bai"),
        str(output),
        "http://127.0.0.1:9/",
        port=0,
    ).start()
    try:
        assert server.url.endswith("/soan-bai/")
        response, page = request(server, "GET", "/soan-bai/")
        assert response.status == 200 and b'id="bulletin-cms-settings"' in page
        response, _ = request(server, "GET", "/soan-bai")
        assert response.status == 302 and response.getheader("Location") == "/soan-bai/"
        response, data = request(server, "GET", "/soan-bai/api/duong-dan?nam=2023")
        assert response.status == 200 and "taken" in json.loads(data)
        response, _ = request(server, "GET", "/tin-tuc/2023/x/")  # a page: the preview's
        assert response.getheader("Location") == "http://127.0.0.1:9/tin-tuc/2023/x/"
    finally:
        server.stop()
    assert admin_prefix({}) == "/admin/"


def test_saved_photos_for_the_preview_and_nothing_else(editor):
    server, content = editor
    photo = next((content / "articles").rglob("*.jpg"))
    shown = "content/" + photo.relative_to(content).as_posix()
    response, data = request(server, "GET", f"/admin/api/anh?path={shown}")
    assert response.status == 200 and response.getheader("Content-Type") == "image/jpeg"
    assert data == photo.read_bytes()
    for path in (
        "content/movements.toml",
        "content/articles/../../pelicanconf.py",
        "/etc/hostname",
    ):
        response, _ = request(server, "GET", f"/admin/api/anh?path={path}")
        assert response.status == 404, path


def test_only_this_computer_and_only_json(editor):
    server, _ = editor
    # DNS rebinding: a page elsewhere whose name points at 127.0.0.1.
    response, data = request(server, "GET", "/admin/", headers={"Host": "evil.example:80"})
    assert response.status == 403 and "localhost" in json.loads(data)["error"]
    # A cross-site form can post text/plain, never JSON.
    response, data = request(
        server,
        "POST",
        "/admin/api/kiem-tra",
        b'{"path": "", "text": ""}',
        {"Content-Type": "text/plain"},
    )
    assert response.status == 415 and json.loads(data)["error"] == "Chỉ nhận JSON"
    response, data = request(
        server,
        "POST",
        "/admin/api/kiem-tra",
        json.dumps({"path": "pelicanconf.py", "text": ""}).encode(),
        {"Content-Type": "application/json"},
    )
    assert response.status == 400
    assert "không phải là tệp bài viết" in json.loads(data)["error"]
    assert response.getheader("Access-Control-Allow-Origin") is None


def test_the_check_endpoint_names_fields_and_body_lines(editor):
    server, _ = editor
    text = (
        "Title: Tin thử\nDate: 2024-03-05 08:30\nAuthor: \nMovement: bac-kan-day-manh-chuyen-doi-so"
        "\n\nMở đầu.\n\n![](anh/tin-thu/moi-tai-len.jpg)\n\n![](anh/tin-thu/khong-co.jpg)\n"
    )
    result = post_check(server, "content/articles/2024/tin-thu.md", text, ["moi-tai-len.jpg"])
    said = [(p["field"], p["bodyLine"], p["severity"], p["message"]) for p in result["problems"]]
    assert ("author", 0, "error", 'Trường "Author" (tác giả) đang để trống') in said
    for line, name in ((3, "moi-tai-len"), (5, "khong-co")):
        assert (
            "body",
            line,
            "error",
            f'Ảnh "anh/tin-thu/{name}.jpg" thiếu mô tả (alt) cho người khiếm thị',
        ) in said
    # The photo uploaded with this save is not "missing"; the other one is.
    missing = [p for p in said if p[3].startswith("Không tìm thấy tệp ảnh")]
    assert missing == [("body", 5, "error", 'Không tìm thấy tệp ảnh "anh/tin-thu/khong-co.jpg"')]
    assert result["summary"] == f"{result['errors']} lỗi, 2 cảnh báo."
    assert all(
        p["text"].startswith("content/articles/2024/tin-thu.md:") for p in result["problems"]
    )


def test_a_hidden_draft_only_warns(editor):
    server, _ = editor
    text = "Title: Tin thử\nDate: 2024-03-05 08:30\nAuthor: \nStatus: draft\n\nMở đầu.\n"
    result = post_check(server, "content/articles/2024/tin-thu.md", text)
    assert result["errors"] == 0
    assert {p["severity"] for p in result["problems"]} == {"warning"}


def test_taken_slugs_and_the_status_line(editor):
    server, content = editor
    settings = server.settings()
    taken = taken_slugs(settings, "2024")
    assert {path.stem for path in (content / "articles" / "2024").glob("*.md")} <= set(taken)
    response, data = request(server, "GET", "/admin/api/duong-dan?nam=2024")
    assert response.status == 200 and json.loads(data)["taken"] == taken
    response, data = request(server, "GET", "/admin/api/duong-dan?nam=..%2F")
    assert response.status == 400
    response, data = request(server, "GET", "/admin/api/trang-thai")
    status = json.loads(data)
    assert status["build"]["text"]  # "HH:MM dd/mm/yyyy" of the build record
    assert status["check"]["ok"] is True
    assert status["check"]["summary"].endswith("cảnh báo.")
    # A file that check refuses: the status line lists it with its line.
    broken = content / "articles" / "2024" / "hong.md"
    broken.write_text("Title: Hỏng\nDate: 31/02/2024\n\nThân bài.\n", encoding="utf-8")
    try:
        status = json.loads(request(server, "GET", "/admin/api/trang-thai")[1])
        assert status["check"]["ok"] is False
        assert any(
            line.startswith("content/articles/2024/hong.md:2: lỗi:")
            for line in status["check"]["lines"]
        )
    finally:
        broken.unlink()


def articles_of_cases(content: Path) -> dict[str, str]:
    """Every bad input's articles laid over one fixture site (one check run);
    cases that would overwrite each other's files are left out."""
    found = {}
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        files = [p for p in (case / "content").rglob("*") if p.is_file()]
        targets = [content / p.relative_to(case / "content") for p in files]
        if any(t.exists() for t in targets):
            continue
        spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
        if spec.get("settings"):
            continue
        shutil.copytree(case / "content", content, dirs_exist_ok=True)
        for path in files:
            if path.suffix == ".md" and "articles" in path.parts:
                try:
                    text = path.read_bytes().decode("utf-8")
                except UnicodeDecodeError:
                    continue  # the editor sends text; decoding is the reader's own test
                found[(content / path.relative_to(case / "content")).as_posix()] = text
    return found


def test_the_endpoint_says_what_check_says_for_every_bad_input(tmp_path):
    """For each article of tests/bad_inputs, the problems check_article_text
    finds in its text are the lines `invoke check` prints for that file
    (apart from what needs the whole site: two articles with one address,
    Redirect_from, files Pelican skipped, attached files, too many featured)."""
    content = copy_fixture_site(tmp_path)
    texts = articles_of_cases(content)
    assert len(texts) >= 20
    settings = site_settings(content, tmp_path / "output")
    report = io.StringIO()
    check_site(settings, stream=report)
    # Checked on the whole site (article_generator_finalized): two articles with
    # one address, an old address another page has, files Pelican skipped; and
    # {static}/{attach} files, which Pelican's static generator resolves.
    whole_site = (
        "Trùng địa chỉ",
        'Trường "Redirect_from"',
        "Không đọc được tệp này",
        "Tệp đính kèm",
        "tin tiêu điểm cùng lúc",  # more than four featured (bulletin.site.featured)
    )
    by_file: dict[str, set[str]] = {}
    for line in report.getvalue().splitlines()[:-1]:
        path = line.split(":", 1)[0]
        if not any(marker in line for marker in whole_site):
            by_file.setdefault(path, set()).add(line)
    compared = 0
    for absolute, text in texts.items():
        shown = "content/" + Path(absolute).relative_to(content).as_posix()
        problems = check_article_text(settings, shown, text)
        assert {str(p) for p in problems} == by_file.get(shown, set()), shown
        compared += bool(problems)
    assert compared >= 15


def test_every_per_file_check_is_run():
    """The receivers of article_generator_context that check an article are
    the ones check_article_text calls: a new one must be added there."""
    settings = load_settings(str(ROOT / "pelicanconf.py"))
    import importlib  # noqa: PLC0415

    for name in settings["PLUGINS"]:
        importlib.import_module(name).register()
    receivers = {
        f"{receiver.__module__}.{receiver.__qualname__}"
        for receiver in signals.article_generator_context.receivers_for(object())
        if getattr(receiver, "__module__", "").startswith("bulletin.")
    }
    not_checks = {"bulletin.content.reader.schedule", "bulletin.content.reader.mark_text_safe"}
    assert receivers - not_checks == set(PER_FILE_CHECKS)


def test_the_status_line_tells_a_failed_preview_build(editor, tmp_path):
    """The live preview (bulletin.build.servers) says its last build failed: the
    status carries its problems, at their file and line."""
    from functools import partial  # noqa: PLC0415
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer  # noqa: PLC0415

    from bulletin.build.servers import RESULT_URL  # noqa: PLC0415

    server, _ = editor
    result = tmp_path / RESULT_URL.lstrip("/")
    result.parent.mkdir(parents=True)
    problem = {
        "path": "content/articles/2024/hong.md",
        "line": 2,
        "severity": "error",
        "message": 'Trường "Date" (ngày đăng): ngày "31/02/2024" không tồn tại',
        "hint": "viết 2024-02-29",
    }
    result.write_text(json.dumps({"ok": False, "problems": [problem], "report": ""}), "utf-8")
    preview = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    )
    threading.Thread(target=preview.serve_forever, daemon=True).start()
    other = EditorServer(
        server.load_settings,
        server.output,
        f"http://127.0.0.1:{preview.server_address[1]}/",
        port=0,
    ).start()
    try:
        status = json.loads(request(other, "GET", "/admin/api/trang-thai")[1])
    finally:
        other.stop()
        preview.shutdown()
        preview.server_close()
    assert status["preview"] == {
        "ok": False,
        "lines": [
            'content/articles/2024/hong.md:2: lỗi: Trường "Date" (ngày đăng): ngày "31/02/2024" '
            "không tồn tại — viết 2024-02-29"
        ],
    }
    # Nothing answers at the fixture's preview address: no result, not an error.
    assert json.loads(request(server, "GET", "/admin/api/trang-thai")[1])["preview"] is None


def test_invoke_cms_on_a_busy_port_says_so_in_vietnamese():
    """A second `invoke cms` (or one beside `invoke livereload`): one line,
    no traceback, before decap-server or a build is started."""
    invoke = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin") / "invoke"
    if not invoke.exists():
        pytest.skip(f"{invoke} is missing (python3 bootstrap.py sets it up)")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(invoke), "cms", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    text = result.stdout + result.stderr
    assert f"Không mở được trình soạn thảo ở cổng {port}" in text
    assert "invoke cms --port" in text
    assert "Traceback" not in text and "Error" not in text.replace("Exit", "")
