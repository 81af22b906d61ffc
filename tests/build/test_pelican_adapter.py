"""Pelican's private parts this site uses (bulletin.build.pelican_adapter) are still
what the adapter says: read from Pelican's own source, so an upgrade that
changes them fails here, by name, instead of silently in a build."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pelican
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from bulletin.build import pelican_adapter


def test_pelican_is_the_series_the_adapter_was_written_for():
    assert pelican.__version__.startswith(pelican_adapter.PELICAN_SERIES + "."), (
        f"Pelican {pelican.__version__}: re-check plugins/bulletin/build/pelican_adapter.py "
        f"(written for {pelican_adapter.PELICAN_SERIES}), then update PELICAN_SERIES"
    )


def test_the_writer_keeps_its_written_sets_and_opens_every_file_through_the_hook(tmp_path):
    opened = []

    class Spy(Writer):
        def _open_w(self, filename, encoding, override=False):
            opened.append(filename)
            return super()._open_w(filename, encoding, override=override)

    writer = Spy(str(tmp_path), settings={"RELATIVE_URLS": False})
    assert isinstance(writer._written_files, set)
    assert isinstance(writer._overridden_files, set)
    assert pelican_adapter.WRITER_OPEN_HOOK == "_open_w"
    template = type("T", (), {"render": lambda self, context: "<p>x</p>", "name": "t"})()
    writer.write_file("a/index.html", template, {}, override_output=False)
    target = str(tmp_path / "a" / "index.html")
    assert opened == [target]
    assert pelican_adapter.was_written(writer, target)
    other = str(tmp_path / "b" / "index.html")
    pelican_adapter.record_written(writer, other, override=True)
    assert other in writer._written_files and other in writer._overridden_files


def test_generate_articles_still_calls_write_with_the_adapters_arguments():
    source = textwrap.dedent(inspect.getsource(ArticlesGenerator.generate_articles))
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "write"
    ]
    assert len(calls) == 1, "generate_articles no longer makes one write() call per article"
    call = calls[0]
    positional = [ast.unparse(arg) for arg in call.args]
    keywords = {kw.arg: ast.unparse(kw.value) for kw in call.keywords}
    assert positional == ["article.save_as", "self.get_template(article.template)", "self.context"]
    assert keywords == {
        "article": "article",
        "category": "getattr(article, 'category', None)",
        "override_output": "hasattr(article, 'override_save_as')",
        "url": "article.url",
        "blog": "True",
    }
    article = type(
        "A", (), {"save_as": "x/index.html", "template": "article", "url": "x/", "category": "c"}
    )()
    generator = type("G", (), {"get_template": lambda self, name: name, "context": {"k": 1}})()
    args, kwargs = pelican_adapter.article_page_call(generator, article)
    assert args == ("x/index.html", "article", {"k": 1})
    assert set(kwargs) == set(keywords) and kwargs["blog"] is True


def test_read_file_sends_preread_then_looks_up_the_cache_of_filtered_metadata():
    # bulletin.build.parallel fills the reader cache on the preread signal and
    # caches a worker's metadata as read_file would (without_discarded).
    from pelican.readers import Readers  # noqa: PLC0415

    source = inspect.getsource(Readers.read_file)
    preread = source.index("preread_signal.send(")
    lookup = source.index("self.get_cached_data(path, (None, None))")
    assert preread < lookup, "read_file no longer sends preread before its cache lookup"
    assert "reader_metadata = _filter_discardable_metadata(reader_metadata)" in source
    assert "self.cache_data(path, (content, reader_metadata))" in source
    from pelican.readers import _DISCARD  # noqa: PLC0415

    assert pelican_adapter.without_discarded({"a": 1, "b": _DISCARD}) == {"a": 1}


def test_a_caches_file_is_named_by_its_cache_path(tmp_path):
    from pelican.cache import FileStampDataCacher  # noqa: PLC0415

    from bulletin.build.pelican_adapter import cache_file_name  # noqa: PLC0415

    settings = {"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": False}
    settings |= {"GZIP_CACHE": False, "CHECK_MODIFIED_METHOD": "mtime"}
    cacher = FileStampDataCacher(settings, "ArticlesGenerator-Readers", True, False)
    assert cache_file_name(cacher) == "ArticlesGenerator-Readers"
    cacher.save_cache()
    assert (tmp_path / "ArticlesGenerator-Readers").is_file()
