"""``bulletin.build.writer.describe``: the text a page's reuse key is made of. What it
describes by URL, what whole, what it refuses (``Unkeyable``: the page is
rendered), and that the text is the same in every interpreter; then, on the
built fixture site, that no page or feed the writer wrote was refused."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from helpers import ROOT
from pelican.contents import Article, Page
from pelican.paginator import Paginator
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Tag

from bulletin.build.uptodate import RenderKeys
from bulletin.build.writer import Unkeyable, describe
from bulletin.content.vietnamese import TIMEZONE
from bulletin.site.movements import Movement, MovementYear

SETTINGS = copy.deepcopy(DEFAULT_CONFIG)
SETTINGS.update(
    MOVEMENT_URL="phong-trao/{slug}/",
    MOVEMENT_SAVE_AS="phong-trao/{slug}/index.html",
    MOVEMENT_YEAR_URL="phong-trao/{slug}/{year}/",
    MOVEMENT_YEAR_SAVE_AS="phong-trao/{slug}/{year}/index.html",
)


def article(slug: str, body: str = "<p>Nội dung.</p>") -> Article:
    return Article(
        body,
        metadata={"title": slug, "slug": slug, "date": datetime(2024, 5, 2, 10, 0)},
        settings=SETTINGS,
    )


A, B = article("a"), article("b")
ABOUT = Page("<p>Giới thiệu.</p>", metadata={"title": "Giới thiệu"}, settings=SETTINGS)


def keys(**bodies: str) -> RenderKeys:
    """Keys of A, B and ABOUT as bulletin.build.uptodate makes them: a name per
    content (its place and URL), a key per content (site + record + body)."""
    contents = {"a": A, "b": B, "about": ABOUT}
    return RenderKeys(
        "site",
        {id(c): f"whole-{name}-{bodies.get(name, 'v1')}" for name, c in contents.items()},
        {id(c): f"{n}:{c.url}" for n, (name, c) in enumerate(contents.items())},
    )


KEYS = keys()


# --- what it describes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "None"),
        ("tin-tuc/index.html", "'tin-tuc/index.html'"),
        ("Thi đua", "'Thi đua'"),
        (3, "3"),
        (1.5, "1.5"),
        (True, "True"),  # not the same as 1
        (date(2024, 5, 2), "2024-05-02"),
        (datetime(2024, 5, 2, 10, 0, tzinfo=TIMEZONE), "2024-05-02T10:00:00+07:00"),
        ((1, "a", None), "[1,'a',None]"),
        ([[[]]], "[[[]]]"),
        ({"b": 2, "a": 1}, "{'a':1,'b':2}"),
        ({2: "x", 10: "y"}, "{10:'y',2:'x'}"),  # by repr: any key type sorts
        (Tag("Thi đua", SETTINGS), "Tag:Thi đua|thi-dua"),
        (Author("Đỗ Văn Lâm", SETTINGS), "Author:Đỗ Văn Lâm|do-van-lam"),
    ],
)
def test_plain_values(value, expected):
    assert describe(value, KEYS) == expected


def test_a_content_is_described_by_name_or_whole():
    assert describe(A, KEYS) == "0:a.html"
    assert describe(ABOUT, KEYS) == "2:pages/gioi-thieu.html"
    assert describe(A, KEYS, whole=True) == "whole-a-v1"


def test_an_edited_body_changes_the_whole_description_only():
    edited = keys(a="v2")
    assert describe(A, edited) == describe(A, KEYS)  # listings show no body
    assert describe(A, edited, whole=True) != describe(A, KEYS, whole=True)


def test_contents_inside_lists_and_dicts_are_described_by_name_even_whole():
    """A listing passes its articles in a list: their listing records are in
    the site key, so a body edit must not make every listing render again."""
    edited = keys(a="v2", b="v2")
    for value in ([A, B], (A,), {"articles": [A, B]}, {"page": ABOUT}):
        assert describe(value, edited, whole=True) == describe(value, KEYS, whole=True)
    assert describe([A, B], KEYS, whole=True) == "[0:a.html,1:b.html]"


def test_order_matters_in_lists_not_in_dicts():
    assert describe([A, B], KEYS) != describe([B, A], KEYS)
    assert describe({"x": A, "y": B}, KEYS) == describe({"y": B, "x": A}, KEYS)


def test_a_project_object_is_described_by_its_attributes():
    registry = SimpleNamespace(name="Dân vận khéo", slug="dan-van-kheo")
    registry.start, registry.end, registry.launched_by = 2020, None, ""
    movement = Movement(registry, SETTINGS)
    year = MovementYear(movement, 2024, [A, B])
    assert describe(year, KEYS) == (
        "MovementYear{'articles':[0:a.html,1:b.html],"
        "'movement':Movement:Dân vận khéo|dan-van-kheo,"
        "'page_name':'phong-trao/dan-van-kheo/2024/index',"
        "'save_as':'phong-trao/dan-van-kheo/2024/index.html',"
        "'url':'phong-trao/dan-van-kheo/2024/',"
        "'year':2024}"
    )


# --- what it refuses -------------------------------------------------------------------


def _nested(levels: int):
    value = 1
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        {1, 2},  # no stable order
        frozenset(),
        b"bytes",
        object(),
        len,  # a function
        (n for n in range(2)),  # a generator would be used up
        Paginator("index.html", "index.html", [A, B], SETTINGS),  # Pelican's, not the project's
        article("moi"),  # a content the build's keys do not know
        _nested(7),
        [{1}],  # refused anywhere inside
        {"x": object()},
    ],
    ids=lambda value: type(value).__name__,
)
def test_what_it_refuses(value):
    with pytest.raises(Unkeyable):
        describe(value, KEYS)


def test_an_unknown_content_is_refused_whole_too():
    with pytest.raises(Unkeyable):
        describe(article("moi"), KEYS, whole=True)


def test_nesting_up_to_six_levels_is_described():
    assert describe(_nested(6), KEYS) == "[[[[[[1]]]]]]"


def test_a_cycle_is_refused_not_a_recursion_error():
    registry = SimpleNamespace(name="Dân vận khéo", slug="dan-van-kheo", start=2020)
    registry.end, registry.launched_by = None, ""
    year = MovementYear(Movement(registry, SETTINGS), 2024, [])
    year.articles.append(year)
    with pytest.raises(Unkeyable, match="too deep"):
        describe(year, KEYS)


# --- stable across runs ----------------------------------------------------------------


STABILITY = textwrap.dedent(
    """
    import copy, sys
    from datetime import datetime
    sys.path[:0] = [{plugins!r}]
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Tag
    from bulletin.build.uptodate import RenderKeys
    from bulletin.content.vietnamese import TIMEZONE
    from bulletin.build.writer import describe
    settings = copy.deepcopy(DEFAULT_CONFIG)
    tags = {{name: Tag(name, settings) for name in ("thi đua", "Đoàn thanh niên", "an toàn")}}
    value = (
        "tin-tuc/index.html",
        {{name: [tag, {{"x": 1, "y": None}}] for name, tag in tags.items()}},
        [datetime(2024, 5, 2, 10, tzinfo=TIMEZONE), 0.1, True],
    )
    print(describe(value, RenderKeys("site", {{}}, {{}})))
    """
)


def test_the_description_is_the_same_in_every_interpreter():
    """Keys are compared with the last build's, made by another process:
    nothing may depend on hash seeds, ids or memory addresses."""
    script = STABILITY.format(plugins=str(ROOT / "plugins"))
    outputs = set()
    for seed in ("0", "4242"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    (text,) = outputs
    assert "0x" not in text and "Tag:thi đua|thi-dua" in text


# --- the fixture site ------------------------------------------------------------------


def test_every_page_and_feed_the_writer_wrote_has_a_key(fixture_site):
    """If describe refused any argument of a real write, that page would be
    rendered on every build: the record of the fixture build must hold a key
    for each page and Atom feed (admin/ is written by bulletin.editor.cms, not by
    Pelican's writer)."""
    record = json.loads(
        (fixture_site.parent / "cache" / "build-record.json").read_text(encoding="utf-8")
    )
    keyed = {name for _key, files in record["render_index"].values() for name in files}
    written = {
        path.relative_to(fixture_site).as_posix()
        for pattern in ("*.html", "*.atom.xml")
        for path in fixture_site.rglob(pattern)
        if not {"pagefind", "admin"} & set(path.relative_to(fixture_site).parts)
    }
    assert written and written == keyed
    assert all(len(key) == 64 for key, _files in record["render_index"].values())
