"""Project tasks. ``invoke --list`` is the manual; ``invoke --help TASK`` for one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))
OUTPUT = "output"


@task(
    help={
        "drafts": "ghi cả bản nháp và bài hẹn giờ vào /ban-nhap/ (để xem trước)",
        "output": "thư mục ghi trang (mặc định: output)",
        "verbose": "liệt kê mọi tệp được ghi",
        "production": "cấu hình xuất bản (publishconf.py; cần SITEURL)",
    }
)
def build(c, drafts=False, output=OUTPUT, verbose=False, production=False):
    """Build the site with the development settings into output/."""
    from bulletin.build import main as builder  # noqa: PLC0415 - needs plugins/ on sys.path

    settings = "publishconf.py" if production else "pelicanconf.py"
    args = ["-s", str(ROOT / settings), "-o", output]
    args += ["--drafts"] if drafts else []
    args += ["--verbose"] if verbose else []
    code = builder.main(args)
    if code:
        raise Exit(code=code)
    print(f"Đã dựng trang vào {output}/ (xem bằng: invoke serve)")


@task(help={"output": "thư mục ghi trang (mặc định: output)"})
def preview(c, output=OUTPUT):
    """Production build (publishconf.py) into output/: Pelican's `invoke preview`."""
    build(c, output=output, production=True)


@task(help={"output": "thư mục ghi trang (mặc định: output)"})
def rebuild(c, output=OUTPUT):
    """Remove output/ and the caches, then build everything again: Pelican's `invoke rebuild`."""
    clean(c)
    build(c, output=output)


@task
def check(c):
    """Check all content without building; list every problem, exit 1 on errors."""
    from bulletin.build import main as builder  # noqa: PLC0415

    code = builder.main(["-s", str(ROOT / "pelicanconf.py"), "--check"])
    if code:
        raise Exit(code=code)


@task(
    help={
        "title": "tiêu đề bài viết, trong ngoặc kép",
        "movement": "slug hoặc tên phong trào (xem content/movements.toml)",
        "author": "tác giả; nhiều người cách nhau bằng dấu phẩy",
        "slug": "đường dẫn của bài (mặc định: từ tiêu đề, tối đa 80 ký tự)",
    }
)
def new(c, title, movement, author, slug=""):
    """Create content/articles/<year>/<slug>.md (never overwrites)."""
    from bulletin.editor.scaffold import ScaffoldError, create_article  # noqa: PLC0415

    try:
        path = create_article(ROOT / "content", title, movement, author, slug=slug or None)
    except ScaffoldError as error:
        print(f"Không tạo bài viết: {error}", file=sys.stderr)
        raise Exit(code=1) from None
    print(
        f"Đã tạo {path.relative_to(ROOT).as_posix()} (Status: draft) và thư mục ảnh "
        f"{(path.parent / 'anh' / path.stem).relative_to(ROOT).as_posix()}/"
    )


@task(
    name="new-document",
    help={
        "title": "trích yếu của văn bản, trong ngoặc kép",
        "number": "số hiệu như trên văn bản, ví dụ 45/KH-BQL hoặc 12/2023/QĐ-UBND",
        "type": 'loại văn bản, ví dụ "Kế hoạch", "Quyết định", "Thông báo"',
        "issuer": "cơ quan ban hành (mặc định: SITE_ORGANIZATION trong pelicanconf.py)",
        "date": "ngày ban hành, ví dụ 2025-03-01 hoặc 01/03/2025 (mặc định: hôm nay)",
        "slug": "đường dẫn của văn bản (mặc định: từ trích yếu, tối đa 80 ký tự)",
    },
)
def new_document(c, title, number, type, issuer="", date="", slug=""):  # noqa: PLR0917 - invoke maps options to arguments
    """Create content/van-ban/<year>/<slug>.md for an official document (never overwrites)."""
    from bulletin.build.main import load_settings  # noqa: PLC0415
    from bulletin.documents.scaffold import create_document  # noqa: PLC0415
    from bulletin.editor.scaffold import ScaffoldError  # noqa: PLC0415

    settings = load_settings(str(ROOT / "pelicanconf.py"))
    try:
        path, file = create_document(
            ROOT / "content",
            title,
            number,
            type,
            issuer=issuer or settings.get("SITE_ORGANIZATION", ""),
            date=date,
            slug=slug or None,
            extra_types=settings.get("DOCUMENT_EXTRA_TYPES", ()),
        )
    except ScaffoldError as error:
        print(f"Không tạo văn bản:\n{error}", file=sys.stderr)
        raise Exit(code=1) from None
    print(
        f"Đã tạo {path.relative_to(ROOT).as_posix()} (Status: draft). Chép tệp văn bản vào "
        f"{file} (hoặc sửa dòng Files), rồi xóa dòng Status: draft để đăng."
    )


@task(
    name="import",
    help={
        "source": "sitemap.xml, RSS/Atom, trang danh sách (với --follow), một trang bài, thư mục "
        "trang đã lưu hoặc tệp xuất WordPress; nhiều nguồn: trong ngoặc kép, cách nhau bằng "
        "dấu cách",
        "movement": "phong trào (slug hoặc tên) cho bài không khớp quy tắc nào",
        "since": "chỉ nhập bài đăng từ ngày này, ví dụ 2023-01-01",
        "limit": "nhập tối đa N bài",
        "dry_run": "chỉ in ra sẽ làm gì, không ghi tệp nào",
        "follow": "biểu thức chính quy: liên kết nào của trang danh sách là bài",
        "rules": "tệp quy tắc TOML: bộ chọn riêng, phong trào theo chuyên mục và từ khóa",
        "rate": "số yêu cầu mỗi giây tới trang cũ (mặc định 1; 0: không giới hạn)",
        "ignore_robots": "không theo robots.txt của trang cũ",
    },
)
def import_(  # noqa: PLR0917 - invoke maps options to arguments
    c,
    source,
    movement="",
    since="",
    limit=0,
    dry_run=False,
    follow="",
    rules="",
    rate="1",
    ignore_robots=False,
):
    """Import an old portal's articles into content/articles/ (never overwrites; README)."""
    from bulletin.build.main import load_settings  # noqa: PLC0415
    from bulletin.importer.cli import command, split_sources  # noqa: PLC0415

    settings = load_settings(str(ROOT / "pelicanconf.py"))
    code = command(
        split_sources(source),
        settings,
        rate=rate,
        ignore_robots=ignore_robots,
        movement=movement,
        since=since,
        limit=limit,
        dry_run=dry_run,
        follow=follow,
        rules=rules,
    )
    if code:
        raise Exit(code=code)


@task(help={"output": "built site to check (default: output)"})
def linkcheck(c, output=OUTPUT):
    """Check every internal link and image of the built site (offline)."""
    from bulletin.build import linkcheck as checker  # noqa: PLC0415

    code = checker.main([output])
    if code:
        raise Exit(code=code)


@task(help={"dry_run": "show what would be copied or deleted, change nothing"})
def publish(c, dry_run=False):
    """Production build, then rsync output/ over SSH (PUBLISH_HOST, PUBLISH_PATH)."""
    from bulletin.build.publish import PublishError, rsync_command  # noqa: PLC0415

    try:
        command = rsync_command(os.environ, OUTPUT, dry_run=dry_run)
    except PublishError as error:
        print(f"Không xuất bản: {error}", file=sys.stderr)
        raise Exit(code=2) from None
    # Build first: rsync (and its --delete) runs only after a complete build.
    build(c, production=True)
    if not (ROOT / OUTPUT / "index.html").is_file():
        print("Không xuất bản: bản dựng thiếu index.html", file=sys.stderr)
        raise Exit(code=1)
    print("+ " + " ".join(command))
    c.run(" ".join(command), pty=False)


@task(help={"port": "cổng (mặc định 8000)"})
def serve(c, port=8000):
    """Serve output/ at http://localhost:8000 (build first)."""
    from bulletin.build import console  # noqa: PLC0415
    from bulletin.build.servers import PortBusy, claim, serve_output  # noqa: PLC0415

    console.init()
    try:
        claim(port)
        if not (ROOT / OUTPUT / "index.html").is_file():
            print("Chưa có trang nào trong output/: chạy invoke build trước.", file=sys.stderr)
            raise Exit(code=1)
        serve_output(
            str(ROOT / OUTPUT),
            port,
            ready=f"Trang đã dựng: http://localhost:{port}/ (Ctrl+C để dừng)",
        )
    except PortBusy as busy:
        print(busy, file=sys.stderr)
        raise Exit(code=1) from None
    except KeyboardInterrupt:
        print("Đã dừng.")


@task(
    help={
        "port": "cổng (mặc định 8000)",
        "drafts": "hiện cả bản nháp và bài hẹn giờ (mặc định: có)",
    }
)
def livereload(c, port=8000, drafts=True):
    """Preview at http://localhost:8000: rebuilds on save and reloads the browser."""
    from livereload.watcher import get_watcher_class  # noqa: PLC0415

    from bulletin.build import console  # noqa: PLC0415
    from bulletin.build import main as builder  # noqa: PLC0415
    from bulletin.build.preview import Preview  # noqa: PLC0415
    from bulletin.build.servers import PortBusy, claim, serve_live  # noqa: PLC0415

    console.init()
    try:
        claim(port)  # before the first build: say it now, not after it
    except PortBusy as busy:
        print(busy, file=sys.stderr)
        raise Exit(code=1) from None
    settings_file = str(ROOT / "pelicanconf.py")
    # An edited article's page is shown first, then the whole site is
    # built; while a build fails, the browser shows its problems
    # (bulletin.build.servers), and the next save that fixes them reloads it.
    preview = Preview(
        lambda: builder.load_settings(settings_file, drafts=drafts, OUTPUT_PATH=OUTPUT),
        OUTPUT,
        stream=sys.stdout,
    )

    def rebuild(changed=None):  # livereload passes the changed files
        preview.changed(changed)

    preview.build()
    watcher = get_watcher_class()()
    # A glob (not a folder) makes livereload pass the list of changed files.
    watcher.watch(str(ROOT / "content" / "**" / "*"), rebuild)
    for watched in ("theme", "pelicanconf.py"):
        watcher.watch(str(ROOT / watched), rebuild)
    try:
        serve_live(
            preview,
            str(ROOT / OUTPUT),
            watcher,
            port,
            ready=f"Xem trước tại http://localhost:{port}/ — sửa rồi lưu lại tệp là trang tự "
            "cập nhật (Ctrl+C để dừng)",
        )
    except PortBusy as busy:
        print(busy, file=sys.stderr)
        raise Exit(code=1) from None
    except KeyboardInterrupt:
        print("Đã dừng.")


@task(
    help={
        "port": "the editor's port (default 8000: http://localhost:8000/admin/); the preview "
        "uses the next one, decap-server 8081",
        "git": "drafts as git branches of this checkout (editorial workflow); "
        "default: files written straight into content/",
    }
)
def cms(c, port=8000, git=False):
    """Web editor on this computer: http://localhost:8000/admin/ (needs Node.js)."""
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import threading  # noqa: PLC0415

    from bulletin.build import main as builder  # noqa: PLC0415
    from bulletin.editor.backend import LOCAL_PORT  # noqa: PLC0415
    from bulletin.editor.server import EditorServer  # noqa: PLC0415

    server = ROOT / "tools" / "decap-server"
    script = server / "node_modules" / "decap-server" / "dist" / "index.js"
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("Cần cài Node.js (kèm npm) để soạn bài trên máy: https://nodejs.org", file=sys.stderr)
        raise Exit(code=1)
    preview_port = int(port) + 1
    settings_file = str(ROOT / "pelicanconf.py")
    # /admin/ and its checks on a plain server of their own: through livereload
    # the editor page got the reload script, and lost what was typed at each save.
    try:
        editor = EditorServer(
            lambda: builder.load_settings(settings_file, drafts=True, OUTPUT_PATH=OUTPUT),
            str(ROOT / OUTPUT),
            f"http://localhost:{preview_port}/",
            port=int(port),
        )
    except OSError as error:
        print(
            f"Không mở được trình soạn thảo ở cổng {port} ({error.strerror}): có thể "
            "invoke cms hoặc invoke livereload đang chạy ở một cửa sổ khác — dùng cửa sổ đó, "
            "hoặc dừng nó (Ctrl+C), hoặc chọn cổng khác: invoke cms --port 8100",
            file=sys.stderr,
        )
        raise Exit(code=1) from None
    if not script.is_file():
        print("• Cài decap-server (phiên bản cố định trong tools/decap-server/package-lock.json)")
        c.run(f'"{npm}" ci --prefix "{server}" --no-audit --no-fund --loglevel=error', pty=False)
    env = dict(
        os.environ,
        MODE="git" if git else "fs",
        GIT_REPO_DIRECTORY=str(ROOT),
        PORT=str(LOCAL_PORT),
        BIND_HOST="127.0.0.1",
        LOG_LEVEL="warn",
    )
    process = subprocess.Popen(
        [node, str(script)], env=env, stderr=subprocess.PIPE, text=True, errors="replace"
    )
    early: list[str] = []
    started = threading.Event()

    def relay():  # Node's own messages: held back until decap-server is up
        for line in process.stderr:
            if started.is_set():
                print(line, end="", file=sys.stderr)
            else:
                early.append(line)

    threading.Thread(target=relay, daemon=True).start()
    try:
        process.wait(timeout=1.5)
    except subprocess.TimeoutExpired:
        started.set()  # running
        for line in early:
            print(line, end="", file=sys.stderr)
    else:
        editor.stop()
        busy = any("EADDRINUSE" in line for line in early)
        print(
            f"decap-server không chạy được: cổng {LOCAL_PORT} đang bận — có thể invoke cms "
            "đang chạy ở một cửa sổ khác (dùng cửa sổ đó, hoặc dừng nó bằng Ctrl+C)"
            if busy
            else "decap-server không chạy được: "
            + (early[-1].strip() if early else f"mã lỗi {process.returncode}"),
            file=sys.stderr,
        )
        raise Exit(code=1)
    editor.start()
    print(
        f"Trình soạn thảo: {editor.url} — bấm “Đăng nhập” (không cần mật khẩu); "
        f"trang xem trước: http://localhost:{preview_port}/"
    )
    try:
        livereload(c, port=preview_port)
    finally:
        editor.stop()
        process.terminate()
        process.wait(timeout=10)


@task(help={"args": "extra pytest arguments, e.g. -k movements"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task
def lint(c):
    """Lint and check formatting with ruff."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")


@task(
    help={
        "photos": "photos of 4000×3000 in the corpus (default 18)",
        "articles": "articles sharing them (default 12: one or two photos each)",
        "runs": "runs per figure; medians are printed (default 3)",
        "quick": "skip the AVIF and exact-2048 extras",
        "archive": "articles in the whole-build benchmark (default 2000)",
        "large": "also time a large text-only archive (default 20000; 0: skip)",
        "archive_photos": "phone photos in the archive's cold build (default 300; 0: skip)",
    }
)
def bench(  # noqa: PLR0917 - invoke maps options to arguments
    c, photos=18, articles=12, runs=3, quick=False, archive=2000, large=20000, archive_photos=300
):
    """Benchmarks: the photo pipeline (vs vips), then the whole build (vs plain Pelican)."""
    flags = " --quick" if quick else ""
    c.run(
        f"{sys.executable} {ROOT / 'bench' / 'run.py'} --photos {photos} --articles {articles} "
        f"--runs {runs}{flags}",
        pty=False,
    )
    c.run(
        f"{sys.executable} {ROOT / 'bench' / 'build_bench.py'} --articles {archive} "
        f"--runs {runs} --large {large} --photos {archive_photos} --search",
        pty=False,
    )
    c.run(
        f"{sys.executable} {ROOT / 'bench' / 'search_bench.py'} --articles {archive} "
        f"--runs {runs} --large {large} --browser",
        pty=False,
    )
    c.run(f"{sys.executable} {ROOT / 'bench' / 'search_quality.py'}", pty=False)


@task(help={"runs": "Lighthouse runs per page; medians are printed (default 3)"})
def lighthouse(c, runs=3):
    """Lighthouse (mobile) on the production build: scores, FCP and LCP of 3 page types."""
    c.run(f"{sys.executable} {ROOT / 'bench' / 'lighthouse.py'} --runs {runs}", pty=False)


@task
def clean(c):
    """Remove output/, its build folders (.builds/) and caches (never touches content/)."""
    import shutil  # noqa: PLC0415

    from bulletin.build.publication import remove_output, remove_stale  # noqa: PLC0415

    remove_stale(str(ROOT / OUTPUT))  # also the staging folders of older versions
    remove_output(str(ROOT / OUTPUT))
    for folder in ("cache", ".pytest_cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)


os.environ.setdefault("PYTHONPATH", str(ROOT / "plugins"))

# Last: under `.venv/bin/invoke`, run the command line through the project's
# program instead (bulletin.build.cli: Vietnamese messages, never a traceback).
from bulletin.build import cli  # noqa: E402

cli.take_over(__name__)
