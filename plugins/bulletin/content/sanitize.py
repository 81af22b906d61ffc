"""The one allow-list sanitiser for every piece of HTML an editor's text becomes.

Article and page bodies (``bulletin.content.reader``) and movement descriptions
(``bulletin.site.movements``) pass through :func:`sanitize` — nh3, the binding of
Rust's *ammonia*, which parses like a browser (html5ever) and re-serialises
only the elements, attributes, classes and URL schemes of :data:`POLICY`.
What a browser would make of the input decides; a tag scanner never does
(comments, CDATA, ``noscript``/``xmp`` raw text and control characters in
URLs are parsed differently by ``html.parser`` and browsers).

:func:`removed` says what the sanitiser took away, as Vietnamese problems
for ``invoke check`` and the build, so nothing is removed silently: it parses
the input and the sanitised output with Lexbor (an HTML5 parser, as browsers
parse) and compares which elements and attributes each holds. Anything that
can run script, load foreign content or restyle the page is an error (the
build stops before publishing it); harmless leftovers of pasted text (a
``<font>`` tag, a ``data-`` attribute) are warnings and simply dropped.

No Pelican here: pure functions of (html, policy).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from selectolax.lexbor import LexborHTMLParser

from bulletin.content.model import ERROR, WARNING

# What Markdown, its tables and footnotes extensions, bulletin.content.figures and a
# careful editor's inline HTML produce. Our own photo markup (<picture>,
# <source>) is added after sanitising, by bulletin.photos.generator.
TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
        "ul",
    }
)  # fmt: skip
ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "col": {"span"},
    "details": {"open"},
    "colgroup": {"span"},
    "del": {"cite", "datetime"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading"},
    "img": {"src", "alt", "width", "height"},
    "ins": {"cite", "datetime"},
    "li": {"id"},  # footnotes: <li id="fn:1">
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "sup": {"id"},  # footnotes: <sup id="fnref:1">
    # Markdown's tables align columns with style="text-align: …": that one
    # property survives (filter_style_properties), nothing else of a style.
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
}
CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
    # bulletin.content.video makes a lone video address <figure class="video"><a …>;
    # its facade is written after the sanitiser, from a strictly parsed address.
    "figure": {"photo", "video"},
}
STYLE_PROPERTIES = frozenset({"text-align"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed together with everything inside them: their text was never meant
# to be read (script source, a style sheet, a form's fallback text).
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "template", "textarea", "xmp", "noembed", "noframes", "noscript",
     "plaintext", "title", "select", "object", "applet", "math", "svg"}
)  # fmt: skip
# Footnote anchors are the only ids an editor's body may carry: an arbitrary
# id could clobber the page's own (DOM clobbering) or its skip links.
FOOTNOTE_ID = re.compile(r"^fn(?:ref)?:[\w-]+$")
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# Removing these changes what a reader's browser would do, not just how the
# text looks: check reports an error and the build publishes nothing.
DANGEROUS_TAGS = frozenset(
    CLEAN_CONTENT_TAGS
    | {"iframe", "embed", "frame", "frameset", "base", "meta", "link", "form", "input",
       "button", "option", "portal", "dialog", "object", "applet", "image", "video",
       "audio", "source", "track", "canvas", "picture", "marquee", "isindex"}
)  # fmt: skip
DANGEROUS_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action", "srcset", "ping"})

VIDEO_HINT = (
    "muốn nhúng video, dùng khung <iframe> từ {hosts}; hoặc đặt một liên kết tới trang video"
)


@dataclass(frozen=True)
class Policy:
    """The allow-list, as data. ``iframe_hosts`` comes from ``SAFE_IFRAME_HOSTS``."""

    iframe_hosts: frozenset[str] = frozenset()

    def allows_iframe(self, src: str) -> bool:
        parts = urlsplit(src.strip())
        return parts.scheme == "https" and (parts.hostname or "") in self.iframe_hosts


@lru_cache(maxsize=8)
def policy_for(iframe_hosts: tuple[str, ...] = ()) -> Policy:
    return Policy(frozenset(host.lower() for host in iframe_hosts))


def _attribute_filter(policy: Policy):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            return value if policy.allows_iframe(value) else None
        if attribute == "id":
            return value if FOOTNOTE_ID.match(value) else None
        return value

    return keep


@lru_cache(maxsize=8)
def _cleaner(policy: Policy) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(policy),
        strip_comments=True,
        # No rel= added to links: the pages set a strict referrer policy, and
        # browsers imply noopener; adding it would change every link.
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        filter_style_properties=set(STYLE_PROPERTIES),
    )


def sanitize(html: str, policy: Policy | None = None) -> str:
    """``html`` reduced to :data:`POLICY`: safe to print with ``|safe``."""
    if not html:
        return ""
    # html5ever writes U+00A0 as "&nbsp;"; the same character, kept as typed,
    # leaves an untouched body byte for byte what Markdown made of it.
    return _cleaner(policy or policy_for()).clean(html).replace("&nbsp;", "\xa0")


# --- what was removed ---------------------------------------------------------


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser took out, as an editor should hear of it."""

    snippet: str  # what to search the source for, to name its line
    message: str
    hint: str
    severity: str = ERROR
    fallback: str = ""  # searched for when the snippet is spelt otherwise (entities)

    @property
    def snippets(self) -> tuple[str, ...]:
        return (self.snippet, self.fallback) if self.fallback else (self.snippet,)


def _declarations(style: str) -> tuple:
    """A style attribute as its declarations, whatever the spacing."""
    found = []
    for part in style.split(";"):
        name, colon, value = part.partition(":")
        if part.strip():
            found.append((name.strip().lower(), value.strip().lower() if colon else None))
    return tuple(sorted(found))


def _inventory(html: str) -> tuple[Counter, Counter, dict]:
    """Elements and attributes as a browser parses ``html`` in a page's body.

    Style attributes count by their declarations: one filtered down to
    ``style=""`` is a removal even though the attribute stays.
    """
    tree = LexborHTMLParser("<!DOCTYPE html><html><head></head><body>" + html)
    tags, attributes, values = Counter(), Counter(), {}
    body = tree.body
    if body is None:
        return tags, attributes, values
    # The body itself counts: "<body onload=…>" in a fragment lends the
    # page's body its attributes.
    for node in body.traverse(include_text=False):
        if not node.tag[:1].isalpha():  # comments: "-comment"
            continue
        tags[node.tag] += 1
        for name, value in node.attributes.items():
            key = name
            if name == "style":
                declarations = _declarations(value or "")
                if not declarations:
                    continue  # an empty style says nothing
                key = ("style", declarations)
            attributes[(node.tag, key)] += 1
            values.setdefault((node.tag, key), value or "")
    return tags, attributes, values


def removed(html: str, clean: str, policy: Policy | None = None) -> list[Removal]:
    """What ``sanitize(html)`` (== ``clean``) removed, worst first.

    Serialisation alone (quotes, entities, ``<br />`` → ``<br>``) is not a
    removal. Cheap when nothing was removed: the common case never parses.
    """
    if clean == html:
        return []
    policy = policy or policy_for()
    before_tags, before_attributes, values = _inventory(html)
    after_tags, after_attributes, _ = _inventory(clean)
    found: list[Removal] = []
    for tag in sorted(before_tags - after_tags):
        if tag not in TAGS or tag == "iframe":  # an allowed one only went with its parent
            found.append(_tag_removal(tag, values, policy))
    for tag, name in sorted(before_attributes - after_attributes, key=str):
        if not after_tags[tag]:
            continue  # every such element went, attributes with it: said above
        value = values.get((tag, name), "")
        found.append(
            _attribute_removal(tag, "style" if isinstance(name, tuple) else name, value, policy)
        )
    if not found and (after_tags - before_tags or after_attributes - before_attributes):
        # The sanitiser's parser saw markup the other did not: the input is
        # ambiguous HTML, which is exactly how filters get bypassed.
        extra = sorted(after_tags - before_tags) or sorted(
            tag for tag, _ in (after_attributes - before_attributes)
        )
        found.append(
            Removal(
                f"<{extra[0]}",
                f"Mã HTML trong bài viết không hợp lệ: trình duyệt đọc thẻ <{extra[0]}> "
                "khác với cách nó được viết",
                "viết lại đoạn HTML này cho đúng (đóng đủ các thẻ, ngoặc kép quanh giá trị) "
                "hoặc dùng cú pháp Markdown",
            )
        )
    found.sort(key=lambda removal: removal.severity != ERROR)
    return found


def _hosts(policy: Policy) -> str:
    return ", ".join(sorted(policy.iframe_hosts)) or "(chưa cho phép nguồn nào)"


def _tag_removal(tag: str, values: dict, policy: Policy) -> Removal:
    if tag == "iframe":
        src = values.get(("iframe", "src"), "")
        host = urlsplit(src.strip()).hostname or src or "không có địa chỉ"
        return Removal(
            "<iframe",
            f'Khung nhúng <iframe> từ nguồn không được phép "{host}"',
            f"chỉ nhúng bằng https:// từ: {_hosts(policy)}; hoặc thay bằng một liên kết",
        )
    if tag == "script":
        return Removal(
            "<script",
            "Bài viết chứa thẻ <script> (mã JavaScript chạy trên máy người đọc)",
            "xóa thẻ <script> và nội dung của nó; " + VIDEO_HINT.format(hosts=_hosts(policy)),
        )
    if tag == "style":
        return Removal(
            "<style",
            "Bài viết chứa thẻ <style> (có thể đổi giao diện hoặc che cả trang)",
            "xóa thẻ <style>; trang tự định dạng bài viết",
        )
    if tag in {"form", "input", "button", "select", "option", "textarea"}:
        return Removal(
            f"<{tag}",
            f"Bài viết chứa thẻ biểu mẫu <{tag}> (ô nhập, nút bấm)",
            f"xóa thẻ <{tag}>; muốn nhận ý kiến, ghi địa chỉ email hoặc trang Liên hệ",
        )
    if tag in {"object", "embed", "applet", "frame", "frameset", "portal"}:
        return Removal(
            f"<{tag}",
            f"Bài viết chứa nội dung nhúng <{tag}> không an toàn",
            f"xóa thẻ <{tag}>; " + VIDEO_HINT.format(hosts=_hosts(policy)),
        )
    if tag in DANGEROUS_TAGS:
        return Removal(
            f"<{tag}",
            f"Bài viết chứa thẻ HTML <{tag}> không được phép",
            f"xóa thẻ <{tag}>; bài viết chỉ cần văn bản, ảnh và liên kết Markdown",
        )
    return Removal(
        f"<{tag}",
        f"Thẻ HTML <{tag}> không được hỗ trợ nên sẽ bị bỏ khi đăng (chữ bên trong vẫn giữ)",
        f"xóa thẻ <{tag}> hoặc dùng định dạng Markdown (**đậm**, *nghiêng*, danh sách, bảng)",
        WARNING,
    )


SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def _compact_url(value: str) -> str:
    """A URL as browsers read its scheme: ends trimmed, tabs and newlines gone."""
    return re.sub(
        r"[\t\n\r]",
        "",
        value.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
            "\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    ).lower()


def _attribute_removal(tag: str, name: str, value: str, policy: Policy) -> Removal:
    if name.startswith("on"):
        return Removal(
            name,
            f'Thẻ <{tag}> có thuộc tính sự kiện "{name}" (chạy mã JavaScript)',
            f'xóa thuộc tính {name}="…"',
        )
    if tag == "iframe" and name == "src":
        host = urlsplit(value.strip()).hostname or value
        return Removal(
            "<iframe",
            f'Khung nhúng <iframe> từ nguồn không được phép "{host}"',
            f"chỉ nhúng bằng https:// từ: {_hosts(policy)}; hoặc thay bằng một liên kết",
        )
    if name in URL_ATTRIBUTES and (
        name in ATTRIBUTES.get(tag, ()) or _compact_url(value).startswith(SCRIPT_SCHEMES)
    ):
        scheme = _compact_url(value).split(":", 1)[0] if ":" in value else value
        return Removal(
            scheme + ":" if ":" in value else name,
            f'Liên kết "{scheme}:" không an toàn trong thẻ <{tag}>',
            "dùng liên kết http://, https://, mailto: hoặc đường dẫn tới tệp trong bài",
            fallback=f"{name}=",
        )
    if name == "style":
        return Removal(
            "style=",
            f'Thẻ <{tag}> có thuộc tính style="…" (có thể che hoặc làm giả giao diện trang)',
            'xóa thuộc tính style="…"; trang tự định dạng bài viết',
        )
    if name in DANGEROUS_ATTRIBUTES:
        return Removal(
            f"{name}=",
            f'Thẻ <{tag}> có thuộc tính "{name}" không được phép',
            f'xóa thuộc tính {name}="…"',
        )
    return Removal(
        f"{name}=",
        f'Thuộc tính "{name}" của thẻ <{tag}> không được hỗ trợ nên sẽ bị bỏ khi đăng',
        f'xóa {name}="…" khỏi thẻ <{tag}>',
        WARNING,
    )
