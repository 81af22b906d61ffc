"""The one sanitiser (bulletin.content.sanitize): hostile markup never survives it, and
check names everything it removes. Pure functions; the build-level cases are
in test_hostile_content.py."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from selectolax.lexbor import LexborHTMLParser

import pelicanconf
from bulletin.content.model import ERROR, WARNING
from bulletin.content.sanitize import policy_for, removed, sanitize
from security.vectors import PASTED_LEFTOVERS, SCRIPT_VECTORS, TEXT_VECTORS

POLICY = policy_for(("www.youtube-nocookie.com", "www.youtube.com"))
ALLOWED_STYLE = re.compile(r"^text-align:\s*(left|right|center|justify);?$")


def render(body: str) -> str:
    """Markdown as the site's reader renders it (pelicanconf's MARKDOWN)."""
    return Markdown(**pelicanconf.MARKDOWN).convert(body)


def unsafe_parts(html: str) -> list[str]:
    """Everything in ``html``, as a browser parses it, that could run script,
    load a foreign page or restyle the page."""
    tree = LexborHTMLParser("<!DOCTYPE html><html><head></head><body>" + html)
    found = []
    for node in tree.body.traverse(include_text=False):
        tag = node.tag
        if tag in {"script", "style", "object", "embed", "base", "meta", "link", "form",
                   "input", "button", "textarea", "select", "svg", "math", "template",
                   "frame", "frameset", "noscript", "xmp", "noembed", "title"}:  # fmt: skip
            found.append(f"<{tag}>")
        for name, raw in node.attributes.items():
            value = raw or ""
            # As the URL parser reads it: C0 controls and spaces trimmed at the
            # ends, tabs and newlines removed anywhere.
            compact = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(33))))).lower()
            if name.startswith("on") or name in {"srcdoc", "formaction", "srcset", "ping"}:
                found.append(f"{tag}[{name}]")
            elif name in {"href", "src", "action", "data", "cite"} and compact.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                found.append(f"{tag}[{name}={value}]")
            elif name == "style" and value.strip() and not ALLOWED_STYLE.match(value):
                found.append(f"{tag}[style]")
            elif tag == "iframe" and name == "src" and not POLICY.allows_iframe(value):
                found.append(f"iframe[src={value}]")
    return found


@pytest.mark.parametrize("vector", SCRIPT_VECTORS)
def test_hostile_markup_is_removed_and_reported_as_an_error(vector):
    html = render(f"Đoạn mở đầu.\n\n{vector}\n\nĐoạn kết.")
    assert unsafe_parts(html), f"the vector should be unsafe before sanitising: {html!r}"
    clean = sanitize(html, POLICY)
    assert unsafe_parts(clean) == [], clean
    assert sanitize(clean, POLICY) == clean  # stable: a second pass changes nothing
    errors = [r for r in removed(html, clean, POLICY) if r.severity == ERROR]
    assert errors, f"nothing reported for {vector!r} → {clean!r}"
    assert "Đoạn mở đầu." in clean  # the text before it is untouched


@pytest.mark.parametrize("vector", TEXT_VECTORS)
def test_markup_shown_as_text_stays_text(vector):
    html = render(vector)
    clean = sanitize(html, POLICY)
    assert removed(html, clean, POLICY) == []
    assert unsafe_parts(clean) == []
    text = LexborHTMLParser(clean).body.text()
    assert ("<" in text and "alert(1)" in text) or "<!--" in text


@pytest.mark.parametrize("vector", PASTED_LEFTOVERS)
def test_pasted_leftovers_are_dropped_with_a_warning(vector):
    html = render(vector)
    clean = sanitize(html, POLICY)
    found = removed(html, clean, POLICY)
    assert found and all(r.severity == WARNING for r in found), found
    assert LexborHTMLParser(clean).body.text().strip()  # the words stay


def test_our_own_markup_is_kept_byte_for_byte():
    body = (
        "Đoạn có chú thích[^1] và **đậm**, *nghiêng*, `mã`, [liên kết](https://backan.gov.vn/).\n\n"
        '![Mô tả ảnh](anh/x/a.jpg "Chú thích ảnh")\n\n'
        "| Cột trái | Giữa | Phải |\n|:--|:-:|--:|\n| a | b | c |\n\n"
        "1. một\n2. hai\n\n> trích dẫn\n\n---\n\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" '
        "allowfullscreen></iframe>\n\n"
        "[^1]: Chú thích cuối trang.\n"
    )
    html = render(body)
    clean = sanitize(html, POLICY)
    assert removed(html, clean, POLICY) == []
    # Same document for a browser: only spellings change (entities written as
    # characters, "text-align: left;" as "text-align:left").
    assert LexborHTMLParser(clean).body.html == LexborHTMLParser(html).body.html.replace(
        "text-align: left;", "text-align:left"
    ).replace("text-align: center;", "text-align:center").replace(
        "text-align: right;", "text-align:right"
    )


@pytest.mark.parametrize("source", sorted((ROOT / "content").rglob("*.md")), ids=lambda p: p.name)
def test_sample_content_passes_the_sanitiser_unchanged(source):
    """The sample site's pages are byte-identical with and without the sanitiser."""
    text = source.read_text(encoding="utf-8")
    html = render(text.split("\n\n", 1)[1] if text.startswith("Title:") else text)
    assert sanitize(html, POLICY) == html


def test_iframe_hosts_come_from_the_policy():
    html = '<iframe src="https://player.vimeo.com/video/1"></iframe>'
    assert "src=" not in sanitize(html, POLICY)
    vimeo = policy_for(("player.vimeo.com",))
    assert sanitize(html, vimeo) == html


# --- generated payloads -------------------------------------------------------------
TAGS = ["a", "img", "p", "div", "span", "iframe", "svg", "math", "script", "style",
        "noscript", "xmp", "textarea", "title", "table", "td", "form", "body", "details",
        "object", "b"]  # fmt: skip
ATTRIBUTES = ["href", "src", "onerror", "onload", "style", "title", "srcdoc", "id", "class",
              "ontoggle", "alt", "data-x", "action", "formaction"]  # fmt: skip
VALUES = ["x", "javascript:alert(1)", "JaVa\tScRiPt:alert(1)", "&#106;avascript:alert(1)",
          "data:text/html,<script>alert(1)</script>", "https://www.youtube.com/embed/x",
          "https://evil.example/", "position:fixed;inset:0", "text-align: center",
          "</noscript><img src=x onerror=alert(1)>", "\"><script>alert(1)</script>",
          "alert(1)", "\x01javascript:alert(1)"]  # fmt: skip
JOINERS = ["", "<!--", "-->", "<![CDATA[", "]]>", "</", ">", "\n\n", "`", "&lt;", '"', "'"]


@st.composite
def hostile_html(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(TAGS))
        attrs = "".join(
            f' {draw(st.sampled_from(ATTRIBUTES))}="{draw(st.sampled_from(VALUES))}"'
            for _ in range(draw(st.integers(0, 3)))
        )
        inner = draw(st.sampled_from(["chữ", "", "<img src=x onerror=alert(1)>", "Đoàn"]))
        close = draw(st.booleans())
        parts.append(draw(st.sampled_from(JOINERS)))
        parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_html())
def test_generated_payloads_never_survive_and_are_never_silent(payload):
    html = render(f"Mở đầu.\n\n{payload}\n\nKết thúc.")
    clean = sanitize(html, POLICY)
    # Nothing that runs, loads or restyles survives, whatever the input.
    assert unsafe_parts(clean) == [], (payload, clean)
    # And check never lets it pass silently: unsafe input means an error.
    if unsafe_parts(html):
        assert any(r.severity == ERROR for r in removed(html, clean, POLICY)), (payload, clean)
