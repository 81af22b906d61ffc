"""The private parts of Pelican this site relies on, in one place.

Written for Pelican 4.12. Everything else goes through Pelican's public
surface (signals, settings, a Writer subclass through ``get_writer``).
``tests/build/test_pelican_adapter.py`` reads Pelican's own source and fails
loudly when an upgrade changes any of these — re-check this module then.

- :mod:`bulletin.build.writer` keeps a page without rendering it: Pelican's
  ``Writer`` must still count it as written (its ``_written_files`` and
  ``_overridden_files`` sets catch two pages writing one file), and every
  file it writes goes through ``Writer._open_w`` (the writer lists them).
- :mod:`bulletin.build.parallel` puts what a worker process read into
  Pelican's reader cache as ``Readers.read_file`` would: without the
  metadata Pelican's processors mark for discarding (a marker object,
  which would not survive the trip between processes).
- :mod:`bulletin.build.preview` renders one article as
  ``ArticlesGenerator.generate_articles`` would: the same ``write()``
  arguments, which Pelican does not expose.
- :mod:`bulletin.build.cache` names the marker of a cache file being saved
  after the file (``FileStampDataCacher._cache_path``): a generator's cache
  and its readers' are saved apart, in a forked child each.
"""

from __future__ import annotations

import os

from pelican.readers import _filter_discardable_metadata

PELICAN_SERIES = "4.12"
# The Writer method every page and feed file is opened through.
WRITER_OPEN_HOOK = "_open_w"


def was_written(writer, target: str) -> bool:
    """Whether this build already wrote (or kept) ``target`` (absolute path)."""
    return target in writer._written_files


def record_written(writer, target: str, override: bool) -> None:
    """Count a kept file as written, as ``Writer.write_file`` would."""
    writer._written_files.add(target)
    if override:
        writer._overridden_files.add(target)


def article_page_call(generator, article) -> tuple[tuple, dict]:
    """The ``write(*args, **kwargs)`` of ``generate_articles`` for one article."""
    args = (article.save_as, generator.get_template(article.template), generator.context)
    kwargs = {
        "article": article,
        "category": getattr(article, "category", None),
        "override_output": hasattr(article, "override_save_as"),
        "url": article.url,
        "blog": True,
    }
    return args, kwargs


def without_discarded(metadata: dict) -> dict:
    """``metadata`` as ``Readers.read_file`` caches it (the discarded keys out)."""
    return _filter_discardable_metadata(metadata)


def cache_file_name(cacher) -> str:
    """The file name Pelican saves this cache (a generator, its readers) in."""
    return os.path.basename(getattr(cacher, "_cache_path", "") or type(cacher).__name__)
