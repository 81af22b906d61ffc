"""Polite HTTP and charsets: robots.txt, back-off, rate, limits, redirects."""

from __future__ import annotations

import pytest

from bulletin.importer import fetch
from bulletin.importer.fetch import DecodeError, Fetcher, FetchError, decode_page


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        ("Bắc Kạn".encode(), "", "Bắc Kạn"),
        (b"\xef\xbb\xbf" + "Bắc Kạn".encode(), "", "Bắc Kạn"),
        (b'<meta charset="windows-1258">Ba\xf2n', "", "Bạn"),  # a tone mark: NFC
        (b"<meta http-equiv=Content-Type content='text/html; charset=cp1258'>B\xfdn", "", "Bưn"),
        ("Café".encode("cp1252"), "iso-8859-1", "Café"),
    ],
)
def test_pages_are_read_in_their_declared_charset(body, header, expected):
    assert decode_page(body, header).endswith(expected)


def test_an_undeclared_legacy_page_and_an_unknown_charset_are_reported():
    with pytest.raises(DecodeError, match='khai báo bảng mã "utf-8" nhưng byte 0xE0'):
        decode_page(b"H\xe0 N\xf4\xf2i")  # "Hà Nội" in Windows-1258, not declared
    with pytest.raises(DecodeError, match='bảng mã "TCVN3" không được hỗ trợ'):
        decode_page(b'<meta charset="TCVN3">x')


def test_robots_retries_rate_and_user_agent(portal):
    sleeps: list[float] = []
    now = [0.0]
    client = Fetcher(rate=2, backoff=0.5, sleep=sleeps.append, clock=lambda: now[0])
    portal.failures["/rss.xml"] = 2  # two 503s, then the feed
    assert client.get(f"{portal.url}/rss.xml").body.startswith(b"<?xml")
    assert sleeps[:1] == [0.5] and 1.0 in sleeps  # back-off doubled
    assert all(0.5 - 1e-9 <= pause for pause in sleeps)  # 2 requests a second at most
    with pytest.raises(FetchError, match=r"robots\.txt của trang cũ không cho phép"):
        client.get(f"{portal.url}/noi-bo/thong-bao-noi-bo.html")
    assert Fetcher(rate=0, ignore_robots=True).get(f"{portal.url}/noi-bo/thong-bao-noi-bo.html")
    with pytest.raises(FetchError, match="không tìm thấy \\(404\\)"):
        client.get(f"{portal.url}/khong-co.html")
    assert portal.requests[-1][1].startswith("BanTinImport/1.0 (+http://localhost:8000")


def test_retries_give_up_with_the_reason(portal):
    portal.failures["/sitemap.xml"] = 10
    client = Fetcher(rate=0, retries=2, backoff=0, sleep=lambda _: None)
    with pytest.raises(FetchError, match=r"máy chủ trả lỗi 503 \(đã thử 3 lần\)"):
        client.get(f"{portal.url}/sitemap.xml")
    portal.failures.clear()


def test_a_closed_port_is_a_reason_not_a_traceback():
    client = Fetcher(rate=0, retries=0, ignore_robots=True)
    with pytest.raises(FetchError, match="không kết nối được"):
        client.get("http://127.0.0.1:9/")


def test_only_http_and_size_limits(portal, monkeypatch):
    client = Fetcher(rate=0)
    with pytest.raises(FetchError, match="không phải http"):
        client.get("file:///etc/passwd")
    monkeypatch.setitem(fetch.LIMITS, "photo", 1000)
    with pytest.raises(FetchError, match="tệp quá lớn"):
        client.get(f"{portal.url}/uploads/news/2023_03/nhung-11.jpg", "photo")
