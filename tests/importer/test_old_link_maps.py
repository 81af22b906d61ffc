"""Old addresses with a query string, as data: keys, the server maps, the fallback."""

from __future__ import annotations

import pytest

from bulletin.site.old_link_maps import (
    OldLink,
    apache_rules,
    fallback_save_as,
    nginx_map,
    old_link_key,
    query_key,
    redirect_value,
)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("news_id=152", "news_id=152"),
        ("?b=2&a=1", "a=1&b=2"),
        ("id=5&utm_source=zalo&fbclid=x", "id=5"),
        ("q=Bắc+Kạn", "q=B%E1%BA%AFc%20K%E1%BA%A1n"),  # as encodeURIComponent writes it
        ("q=a%20b&x", "q=a%20b&x="),
        ("", ""),
    ],
)
def test_query_keys(query, key):
    assert query_key(query) == key


def test_the_same_page_whatever_the_host_order_or_encoding():
    assert old_link_key("http://cu.vn/news/news?news_id=152") == "/news/news?news_id=152"
    assert old_link_key("https://www.cu.vn/news/news?utm_medium=x&news_id=152") == (
        "/news/news?news_id=152"
    )
    assert old_link_key("/tin tức/a.html") == old_link_key("/tin%20t%E1%BB%A9c/a.html")


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("http://cu.vn/news/news?news_id=152", "/news/news?news_id=152"),
        ("http://cu.vn/tin/a,b.html", "/tin/a%2Cb.html"),  # commas separate Redirect_from
        ("http://cu.vn/?p=57", "/?p=57"),
    ],
)
def test_redirect_values(url, value):
    assert redirect_value(url) == value


@pytest.mark.parametrize(
    ("path", "save_as"),
    [
        ("/news/news", "news/news/index.html"),
        ("/tin/xem.html", "tin/xem.html"),
        ("/index.php", "index.php/index.html"),
        ("/", None),
        ("/a/../../etc", None),
    ],
)
def test_fallback_pages(path, save_as):
    assert fallback_save_as(path) == save_as


LINKS = [
    OldLink("/news/news?news_id=152", "tin-tuc/2023/a/", "A"),
    OldLink("/news/news?b=2&a=1", "tin-tuc/2023/b/", "B"),
    OldLink("/?p=57", "tin-tuc/2024/c/", "C"),
]


def test_nginx_map_has_the_written_and_the_sorted_spelling():
    text = nginx_map(LINKS, "/ban-tin/")
    assert text.startswith("# Địa chỉ cũ")
    assert 'map $request_uri $bantin_dia_chi_moi {\n    default "";\n' in text
    assert '    "/news/news?news_id=152" "/ban-tin/tin-tuc/2023/a/";' in text
    assert '    "/news/news?b=2&a=1" "/ban-tin/tin-tuc/2023/b/";' in text
    assert '    "/news/news?a=1&b=2" "/ban-tin/tin-tuc/2023/b/";' in text
    assert '    "/?p=57" "/ban-tin/tin-tuc/2024/c/";' in text
    assert text.rstrip().endswith("}")


def test_apache_rules_match_each_parameter_in_any_order():
    text = apache_rules(LINKS)
    assert (
        "RewriteCond %{QUERY_STRING} (^|&)a=1(&|$)\n"
        "RewriteCond %{QUERY_STRING} (^|&)b=2(&|$)\n"
        "RewriteRule ^news/news/?$ /tin-tuc/2023/b/ [R=301,L,QSD]"
    ) in text
    assert "RewriteRule ^$ /tin-tuc/2024/c/ [R=301,L,QSD]" in text
    assert text.startswith("# ") and "<IfModule mod_rewrite.c>" in text
