"""Polite HTTP for the importer, and reading a page in the charset it declares.

:class:`Fetcher` asks an old portal for one thing at a time:

- a clear User-Agent (:data:`USER_AGENT`, with the new site's address);
- at most ``rate`` requests a second to each host (default 1), slower if
  the host's robots.txt asks for a ``Crawl-delay``;
- robots.txt honoured (RFC 9309: a missing robots.txt allows everything; a
  server error forbids everything) unless ``ignore_robots``;
- a timeout on every request, and retries with exponential back-off (and
  ``Retry-After``) on timeouts, refused connections, 429 and 5xx;
- a size limit: a page, photo or file larger than it is refused, never
  read into memory whole;
- only ``http``/``https``, redirects included.

Every failure is a :class:`FetchError` whose text is the Vietnamese reason
the report prints. :func:`decode_page` turns bytes into text by the charset
the server or the page declares (some old portals are Windows-1258), or
says why it cannot.
"""

from __future__ import annotations

import codecs
import email.utils
import re
import time
import unicodedata
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

USER_AGENT_TOKEN = "BanTinImport"
USER_AGENT = USER_AGENT_TOKEN + "/1.0 (+{site}; chuyen du lieu tu cong thong tin cu)"
# Limits, in bytes: a news page, a photo, an attached document.
LIMITS = {"page": 10_000_000, "photo": 30_000_000, "document": 50_000_000}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0


class FetchError(Exception):
    """Why something could not be fetched, in Vietnamese (a report line)."""


class DecodeError(FetchError):
    """A page whose bytes are not text in any charset it declares."""


@dataclass
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str = ""  # media type, lower case: "text/html"
    charset: str = ""  # from the Content-Type header


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects only to http(s): never to file:, ftp: or data:."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0917 - urllib's
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "chuyển hướng không an toàn", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Fetcher:
    """One polite client for a whole import (state: per-host timing, robots)."""

    site: str = "http://localhost:8000"
    rate: float = 1.0  # requests per second per host; 0: no limit
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    ignore_robots: bool = False
    sleep: object = time.sleep
    clock: object = time.monotonic
    requests: int = 0
    _last: dict = field(default_factory=dict)
    _robots: dict = field(default_factory=dict)
    _unreachable: dict = field(default_factory=dict)  # origin → why robots.txt failed

    def __post_init__(self):
        self.user_agent = USER_AGENT.format(site=self.site)
        self._opener = urllib.request.build_opener(_SafeRedirects())

    # --- robots.txt --------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        if self.ignore_robots:
            return True
        robots = self._robots_for(url)
        return robots.can_fetch(USER_AGENT_TOKEN, url)

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in self._robots:
            return self._robots[origin]
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            fetched = self._get(origin + "/robots.txt", LIMITS["page"])
            robots.parse(fetched.body.decode("utf-8", "replace").splitlines())
        except _HTTPStatus as status:
            if status.code >= 500:
                robots.disallow_all = True  # RFC 9309 §2.3.1.4: unreachable
            else:
                robots.allow_all = True  # 4xx: no robots.txt
        except FetchError as error:
            # RFC 9309 §2.3.1.4: unreachable means everything is forbidden.
            robots.disallow_all = True
            self._unreachable[origin] = str(error)
        self._robots[origin] = robots
        return robots

    def _interval(self, url: str) -> float:
        interval = 1.0 / self.rate if self.rate > 0 else 0.0
        robots = self._robots.get("{0.scheme}://{0.netloc}".format(urlsplit(url)))
        if robots is not None and not self.ignore_robots:
            delay = robots.crawl_delay(USER_AGENT_TOKEN)
            if delay:
                interval = max(interval, float(delay))
        return interval

    # --- requests --------------------------------------------------------------------
    def get(self, url: str, kind: str = "page") -> Fetched:
        """``url``'s body, or :class:`FetchError` with the reason."""
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"địa chỉ không phải http(s): {url}")
        if not self.allowed(url):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
            if origin in self._unreachable:
                raise FetchError(
                    f"không tải được {origin}/robots.txt ({self._unreachable[origin]})"
                )
            raise FetchError("robots.txt của trang cũ không cho phép tải (dùng --ignore-robots)")
        try:
            return self._get(url, LIMITS[kind])
        except _HTTPStatus as status:
            raise FetchError(status.reason) from None

    def _get(self, url: str, limit: int) -> Fetched:
        attempt = 0
        while True:
            self._wait(url)
            try:
                return self._once(url, limit)
            except _Retry as retry:
                if attempt >= self.retries:
                    raise FetchError(f"{retry.reason} (đã thử {attempt + 1} lần)") from None
                pause = self.backoff * (2**attempt)
                if retry.after is not None:
                    pause = max(pause, min(retry.after, MAX_RETRY_AFTER))
                self.sleep(pause)
                attempt += 1

    def _wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        interval = self._interval(url)
        last = self._last.get(host)
        if last is not None and interval:
            remaining = last + interval - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = self.clock()

    def _once(self, url: str, limit: int) -> Fetched:
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept": "*/*"}
        )
        self.requests += 1
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > limit:
                    raise FetchError(_too_large(int(length), limit))
                body = response.read(limit + 1)
                if len(body) > limit:
                    raise FetchError(_too_large(len(body), limit))
                media, charset = _content_type(response.headers.get("Content-Type", ""))
                return Fetched(response.geturl(), body, media, charset)
        except urllib.error.HTTPError as error:
            if error.code in RETRY_STATUSES:
                raise _Retry(f"máy chủ trả lỗi {error.code}", _retry_after(error)) from None
            raise _HTTPStatus(error.code) from None
        except TimeoutError:
            raise _Retry(f"hết thời gian chờ ({self.timeout:g} giây)") from None
        except urllib.error.URLError as error:
            reason = getattr(error.reason, "strerror", None) or str(error.reason)
            raise _Retry(f"không kết nối được ({reason})") from None
        except (ConnectionError, OSError) as error:
            raise _Retry(f"mất kết nối ({error.strerror or error})") from None


class _Retry(Exception):  # noqa: N818 - a reason to try again
    def __init__(self, reason: str, after: float | None = None):
        super().__init__(reason)
        self.reason, self.after = reason, after


class _HTTPStatus(Exception):  # noqa: N818 - an answer, turned into FetchError
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code
        self.reason = {
            404: "không tìm thấy (404)",
            410: "đã bị xóa (410)",
            401: "cần đăng nhập (401)",
            403: "bị từ chối (403)",
        }.get(code, f"máy chủ trả lỗi {code}")


def _too_large(size: int, limit: int) -> str:
    return f"tệp quá lớn (trên {limit // 1_000_000} MB; tệp này {size / 1_000_000:.1f} MB)"


def _retry_after(error) -> float | None:
    value = (error.headers or {}).get("Retry-After", "")
    if value.strip().isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _content_type(value: str) -> tuple[str, str]:
    media, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return media.strip().lower(), match.group(1) if match else ""


# --- charsets ------------------------------------------------------------------------
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE | re.DOTALL
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def declared_charset(body: bytes, header_charset: str = "") -> str:
    """The charset a browser would use: a byte-order mark, then the HTTP
    header, then ``<meta charset>`` in the first 4 KB; UTF-8 if none."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if header_charset:
        return header_charset
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else "utf-8"


def decode_page(body: bytes, header_charset: str = "") -> str:
    """The page as NFC text, or :class:`DecodeError` naming the charset."""
    name = declared_charset(body, header_charset)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise DecodeError(
            f'trang dùng bảng mã "{name}" không được hỗ trợ (TCVN3, VNI: chuyển sang Unicode '
            "trước, ví dụ bằng Unikey)"
        ) from None
    if codec in ("iso8859-1", "ascii", "latin-1"):
        codec = "cp1252"  # as browsers read a page labelled latin-1
    try:
        text = body.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise DecodeError(
            f'trang khai báo bảng mã "{name}" nhưng byte 0x{body[error.start]:02X} '
            f"(vị trí {error.start}) không đọc được theo bảng mã đó"
        ) from None
    return unicodedata.normalize("NFC", text)
