"""The code fingerprint (reader cache folder, build digest) sees every file of
the plugin package: a module moved into a subpackage, or the web editor's
script, changes it — else a build would keep stale output."""

from __future__ import annotations

from bulletin import PACKAGE_DIR
from bulletin.build import cache


def test_fingerprint_covers_subpackages_and_assets(tmp_path, monkeypatch):
    package = tmp_path / "bulletin"
    (package / "photos").mkdir(parents=True)
    (package / "cms_assets").mkdir()
    (package / "__pycache__").mkdir()
    (package / "__init__.py").write_text("")
    (package / "photos" / "plan.py").write_text("SIZES = [480]\n")
    (package / "cms_assets" / "editor.js").write_text("var a = 1;\n")
    (package / "__pycache__" / "x.pyc").write_bytes(b"\0")
    monkeypatch.setattr(cache, "PACKAGE_DIR", str(package))
    first = cache.fingerprint({})
    (package / "__pycache__" / "x.pyc").write_bytes(b"\1")  # compiled files do not count
    assert cache.fingerprint({}) == first
    (package / "photos" / "plan.py").write_text("SIZES = [480, 960]\n")
    second = cache.fingerprint({})
    assert second != first
    (package / "cms_assets" / "editor.js").write_text("var a = 2;\n")
    assert cache.fingerprint({}) not in (first, second)


def test_the_real_package_lists_its_modules_and_assets():
    files = {path.removeprefix(PACKAGE_DIR) for path in cache.package_files()}
    assert "/build/cache.py" in files and "/editor/assets/pelican-format.js" in files
    assert not any("__pycache__" in path for path in files)


def test_the_cache_files_format_names_its_folder(tmp_path, caplog):
    # GZIP_CACHE switched: the cache is looked for in another folder, never
    # read in the other format (Pelican would warn "Cannot unpickle cache").
    assert cache.fingerprint({"GZIP_CACHE": True}) != cache.fingerprint({"GZIP_CACHE": False})
    from helpers import build, copy_fixture_site  # noqa: PLC0415

    content = copy_fixture_site(tmp_path)
    for gzipped in (True, False, True):
        code, log = build(content, tmp_path / "output", GZIP_CACHE=gzipped, SEARCH_INDEX=False)
        assert code == 0, log
    assert "unpickle" not in caplog.text
