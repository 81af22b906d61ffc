"""Old addresses with a query string (``/news/news?news_id=152``), as data (pure).

A static host serves files by path and ignores the query string, so every
``?news_id=…`` of an old portal arrives at the same file. Three ways lead a
reader on from there, all written from the same entries:

- :func:`nginx_map`: an nginx ``map`` of the request URI to the new address,
  for the agency's server (one exact string per old address: nginx hashes
  them, so ten thousand cost nothing);
- :func:`apache_rules`: the same as ``mod_rewrite`` rules in ``.htaccess``
  (each parameter matched in any order, extra parameters ignored);
- :func:`fallback_data`: for the static page at the old path
  (``/news/news/index.html``), the map its script looks the query up in.

:func:`query_key` is the one spelling of a query both the build and that
script (``old_links.js``, which ports it) compare: parameters sorted, tracking
parameters (``utm_*``, ``fbclid``…) left out, each name and value encoded as
JavaScript's ``encodeURIComponent`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlsplit

# Parameters that say where a reader came from, not which page they want.
IGNORED_PARAMETERS = re.compile(r"^(utm_\w*|fbclid|gclid|zarsrc|_ga)$", re.IGNORECASE)
# encodeURIComponent leaves exactly these unescaped (ECMA-262, "uriUnreserved" and "uriMark").
_COMPONENT_SAFE = "-_.!~*'()"
# A path as the project writes it: commas encoded (Redirect_from separates
# old addresses with commas), spaces and quotes too.
_PATH_SAFE = "/:@!$&'()*+;=-._~"


@dataclass(frozen=True)
class OldLink:
    """One old address with a query string, and the article it now is."""

    old: str  # "/news/news?news_id=152", as written in Redirect_from
    target: str  # the article's URL, relative to the site: "tin-tuc/2023/slug/"
    title: str = ""  # plain text

    @property
    def path(self) -> str:
        return canonical_path(urlsplit(self.old).path)

    @property
    def key(self) -> str:
        return query_key(urlsplit(self.old).query)


def query_key(query: str) -> str:
    """``b=2&a=1&utm_source=x`` → ``a=1&b=2`` (see the module docstring)."""
    pairs = [
        (name, value)
        for name, value in parse_qsl(query.lstrip("?"), keep_blank_values=True, separator="&")
        if not IGNORED_PARAMETERS.match(name)
    ]
    return "&".join(
        f"{quote(name, safe=_COMPONENT_SAFE)}={quote(value, safe=_COMPONENT_SAFE)}"
        for name, value in sorted(pairs)
    )


def canonical_path(path: str) -> str:
    """The path percent-encoded one way: ``/tin tức`` and ``/tin%20t%E1%BB%A9c`` are one."""
    return quote(unquote(path or "/"), safe=_PATH_SAFE) or "/"


def old_link_key(url: str) -> str:
    """What makes two old addresses the same page: path and query key; the
    host is left out (the old domain is pointed at the new site)."""
    parts = urlsplit(url.strip())
    key = query_key(parts.query)
    return canonical_path(parts.path) + (f"?{key}" if key else "")


def redirect_value(url: str) -> str:
    """An old address as ``Redirect_from`` keeps it: path and query, no host,
    no commas (they separate the addresses there)."""
    parts = urlsplit(url.strip())
    query = quote(unquote(parts.query), safe="=&;/:@!$'()*+?-._~") if parts.query else ""
    return canonical_path(parts.path) + (f"?{query}" if query else "")


def has_query(url: str) -> bool:
    return bool(query_key(urlsplit(url.strip()).query))


def fallback_save_as(path: str) -> str | None:
    """Where the fallback page of an old path is written: ``/news/news`` →
    ``news/news/index.html``; ``None`` for the site's root (the home page is
    there: only the server maps can route ``/?p=12``)."""
    path = unquote(path).strip("/")
    if not path or ".." in path.split("/"):
        return None
    if path.rsplit(".", 1)[-1].lower() in ("html", "htm"):
        return path
    return path + "/index.html"


def fallback_data(links: list[OldLink]) -> dict[str, dict[str, str]]:
    """``{query key: {"url": …, "title": …}}`` of the links of one old path."""
    return {
        link.key: {"url": link.target, "title": link.title}
        for link in sorted(links, key=lambda link: link.key)
    }


# --- the web server's maps -------------------------------------------------------------
_NGINX_KEY_SAFE = "/?&=:@!*'()+,-._~%"


def _request_uris(link: OldLink) -> list[str]:
    """The request URIs a browser sends for the old address: as written and
    in the canonical spelling (parameters sorted), each encoded for nginx."""
    parts = urlsplit(link.old)
    written = parts.path + (f"?{parts.query}" if parts.query else "")
    canonical = link.path + (f"?{link.key}" if link.key else "")
    uris = [quote(unquote(written, errors="strict"), safe=_NGINX_KEY_SAFE)]
    uris.append(quote(canonical, safe=_NGINX_KEY_SAFE))
    return list(dict.fromkeys(uris))


def nginx_map(links: list[OldLink], prefix: str = "/", variable: str = "bantin_dia_chi_moi") -> str:
    """An nginx ``map`` block (for the ``http`` context) from the request URI
    to the new address; ``prefix`` is the site's path (``/`` at a domain's root)."""
    lines = [
        "# Địa chỉ cũ có dấu ? của cổng thông tin cũ → địa chỉ mới (bulletin.site.old_links).",
        "# Tệp này được ghi lại mỗi lần dựng trang: đừng sửa tay. Cách dùng: README.md,",
        '# "Chuyển dữ liệu từ cổng thông tin cũ".',
        f"map $request_uri ${variable} {{",
        '    default "";',
    ]
    seen = set()
    for link in sorted(links, key=lambda link: (link.path, link.key)):
        for uri in _request_uris(link):
            if uri not in seen:
                seen.add(uri)
                lines.append(f'    "{uri}" "{prefix}{link.target}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def apache_rules(links: list[OldLink], prefix: str = "/") -> str:
    """``mod_rewrite`` rules for ``.htaccess`` at the site's root."""
    lines = [
        "# Địa chỉ cũ có dấu ? của cổng thông tin cũ → địa chỉ mới (bulletin.site.old_links).",
        "# Tệp này được ghi lại mỗi lần dựng trang: đừng sửa tay.",
        "<IfModule mod_rewrite.c>",
        "RewriteEngine On",
    ]
    for link in sorted(links, key=lambda link: (link.path, link.key)):
        for pair in link.key.split("&"):
            lines.append(f"RewriteCond %{{QUERY_STRING}} (^|&){re.escape(pair)}(&|$)")
        # mod_rewrite matches the decoded path, without the leading slash.
        path = re.escape(unquote(link.path).strip("/"))
        pattern = f"^{path}/?$" if path else "^$"
        lines.append(f"RewriteRule {pattern} {prefix}{link.target} [R=301,L,QSD]")
    lines.append("</IfModule>")
    return "\n".join(lines) + "\n"
