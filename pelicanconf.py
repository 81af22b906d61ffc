"""Site settings for the bulletin: the development build (``invoke build``).

``publishconf.py`` imports everything here and changes only what differs when
publishing. Every output path is an ``X_URL`` / ``X_SAVE_AS`` pair: clean URLs,
a folder with ``index.html``, Vietnamese words in URLs.
"""

import os
from datetime import datetime

# --- The site ---------------------------------------------------------------
SITENAME = "Bản tin Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"
SITE_SHORTNAME = "Bản tin BQL các KCN Bắc Kạn"
SITESUBTITLE = "Tin tức và phong trào thi đua của Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"
# The agency's identity (bulletin.site.identity; docs/mandatory-information.md):
# what a state agency's site must show — printed by the header, the footer,
# /lien-he/ and the GovernmentOrganization JSON-LD. publishconf.py stops on an
# empty mandatory one (the first six); here it is a warning.
# SAMPLE VALUES: replace them with the agency's own.
SITE_ORGANIZATION = "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"  # tên đầy đủ
SITE_GOVERNING_BODY = "Ủy ban nhân dân tỉnh Bắc Kạn"  # cơ quan chủ quản
SITE_ADDRESS = "Số 10, đường Trường Chinh, phường Đức Xuân, thành phố Bắc Kạn, tỉnh Bắc Kạn"
SITE_PHONE = "(0209) 387 1234"
SITE_EMAIL = "bqlkcn@backan.gov.vn"
SITE_RESPONSIBLE = "Trưởng Ban Quản lý các Khu công nghiệp"  # chịu trách nhiệm nội dung
# Optional: the licence line, if the site has one (a state agency's own site
# needs none), e.g. "Giấy phép số …/GP-TTĐT do … cấp ngày …".
SITE_LICENCE = ""
# Optional: the emblem or logo, a file under theme/static/ (e.g.
# "img/bieu-trung.svg", shown 48 × 48); "" draws the red emblem in CSS.
SITE_EMBLEM = ""
# A banner on every page, e.g. for planned maintenance (announce it ahead) or
# the merger: a text, or {"text": …, "start": …, "end": …} (dates or
# "2025-07-05 17:00", Vietnam time; an end date is shown through that day).
SITE_NOTICE = {
    "text": "Từ 01/07/2025, tỉnh Bắc Kạn hợp nhất với tỉnh Thái Nguyên. Địa chỉ, số điện thoại của Ban sẽ được cập nhật khi có quyết định "
    "sắp xếp; trong thời gian này, văn bản và tin, bài trên trang vẫn giữ nguyên.",
    "start": "2025-06-20",
}
# The whole site as the archive of a former agency (banner, <meta>, JSON-LD;
# every page keeps working), e.g. {"until": "2025-06-30", "successor": "Ban
# Quản lý các Khu công nghiệp tỉnh Thái Nguyên", "successor_url": "https://…"}.
ARCHIVE = None
AUTHOR = SITE_ORGANIZATION
# The printed bulletin (bản tin in, bulletin.editions): what Luật Báo chí 2016,
# Art. 34(1) asks every issue to print — the name, the publishing body and the
# date at the top of page one; the licence, the person responsible, the
# printer, the print run and the frequency at the foot of the last page
# (docs/print-editions.md; the 2025 press law, in force 1 July 2026, is not yet
# checked against it). Required as soon as content/ban-tin/ has an issue. The
# publishing body and the person responsible are the identity above
# (SITE_ORGANIZATION, SITE_RESPONSIBLE): one place; only what is the printed
# bulletin's own is here.
# PLACEHOLDERS: the licence below is invented (no such licence exists); the
# printer, print run and frequency are examples. Put the agency's own licence
# (giấy phép xuất bản bản tin: number, date, issuer) here before printing.
EDITION_NAME = "Khu công nghiệp Bắc Kạn"  # tên bản tin, as the licence names it
EDITION_LICENCE = {
    "number": "01/GP-XBBT",  # PLACEHOLDER: số giấy phép xuất bản bản tin
    "date": "15/01/2023",  # PLACEHOLDER: ngày cấp (ngày/tháng/năm)
    "issuer": "Sở Thông tin và Truyền thông tỉnh Bắc Kạn",  # PLACEHOLDER: nơi cấp
}
EDITION_PRINTER = "Công ty Cổ phần In Bắc Kạn"  # nơi in
EDITION_PRINT_RUN = 300  # số lượng in (bản)
EDITION_FREQUENCY = "6 tháng/số"  # kỳ hạn xuất bản
EDITION_PAGE_MM = (190, 270)  # khổ (rộng, cao); the law's maximum is 190 × 270 mm
# The development build is served at the root of a local server; links in
# pages are relative so the output works from any folder, feeds are absolute.
SITEURL = "http://localhost:8000"
RELATIVE_URLS = True
FEED_DOMAIN = SITEURL
# Canonical links, OpenGraph and structured data need absolute addresses
# even when page links are relative.
SITE_URL_ABSOLUTE = SITEURL

# --- Content ----------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Official documents (văn bản): read by bulletin.documents.generator only,
# never as articles or pages (content/van-ban/<year>/<slug>.md).
DOCUMENT_PATHS = ["van-ban"]
# Issues of the printed bulletin (content/ban-tin/<year>/so-<n>.md): read by
# bulletin.editions.generator only.
EDITION_PATHS = ["ban-tin"]
ARTICLE_EXCLUDES = [*DOCUMENT_PATHS, *EDITION_PATHS]  # copies: Pelican appends to them
PAGE_EXCLUDES = [*DOCUMENT_PATHS, *EDITION_PATHS]
# Photos are published only when an article links them (Pelican's
# "static_links"), never by copying folders wholesale.
STATIC_PATHS = []
# Markdown only: the reStructuredText reader has no Vietnamese and warns.
READERS = {"rst": None, "html": None, "htm": None}
MARKDOWN = {
    "extensions": [
        "markdown.extensions.tables",
        "markdown.extensions.sane_lists",
        "markdown.extensions.footnotes",
        "bulletin.content.figures",
        "bulletin.content.video",  # a lone YouTube/Facebook address → a click-to-play facade
        "bulletin.documents.links",  # a plain link to a local PDF/DOCX publishes the file
    ],
    "extension_configs": {},
    "output_format": "html",
}
# Summary is plain text written by the editor, not Markdown.
FORMATTED_FIELDS = []
SUMMARY_MAX_LENGTH = 45
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
# Articles dated in the future are scheduled: not published until then.
# bulletin.content.reader does it (Pelican's own check ignores SOURCE_DATE_EPOCH).
WITH_FUTURE_DATES = True

# Dates outside these bounds are typos, not news (bulletin.content.reader): nothing
# before Vietnam's single +07:00 offset (1976), nothing scheduled further ahead.
EARLIEST_DATE = datetime(1976, 1, 1)
SCHEDULE_HORIZON_DAYS = 366

# Editor HTML passes one allow-list sanitiser (bulletin.content.sanitize); embedded
# frames only from these hosts, over https (the CSP's frame-src too): the players
# the video facades load on a click (bulletin.content.video). Not www.youtube.com:
# its player sets tracking cookies; every YouTube video plays from youtube-nocookie.
SAFE_IFRAME_HOSTS = ["www.youtube-nocookie.com", "www.facebook.com"]

# Newest first; bulletin.content.ordering breaks ties by slug.
ARTICLE_ORDER_BY = "reversed-date"

USE_FOLDER_AS_CATEGORY = False
# Categories are unused (movements group articles), but Pelican's draft writer
# reads article.category, which it only sets by default when category pages
# are written: give every article one.
DEFAULT_CATEGORY = "Tin tức"
DEFAULT_METADATA = {"category": DEFAULT_CATEGORY}

# Typogrify's "caps" only knows ASCII capitals ("KCN" but not "ĐỘNG");
# "oldschool" dashes: -- is an en dash, --- an em dash. bulletin.content.reader
# typogrifies (so the reader cache keeps the result); Pelican must not.
TYPOGRIFY = False
BULLETIN_TYPOGRIFY = True
TYPOGRIFY_OMIT_FILTERS = ["caps"]
TYPOGRIFY_DASHES = "oldschool"

# --- Plugins, in dependency order ------------------------------------------
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "bulletin.content.vietnamese",  # Jinja filters: dates, plain text, collation
    "bulletin.site.pagination",  # Jinja filter page_window: which page numbers a listing links
    "bulletin.content.reader",  # decoding, NFC, dates, bylines; records problems
    "bulletin.content.ordering",  # newest first, ties by slug
    "bulletin.content.urls",  # each URL computed once (a large archive reads them often)
    "bulletin.build.cache",  # Pelican's reader cache, in a folder per settings and code
    "bulletin.build.parallel",  # a cold build reads (and checks) articles on every core
    "bulletin.content.validation",  # checks every file; problems recorded on the generators
    "bulletin.content.report",  # every problem at once; errors stop the build (BuildState.stop)
    "bulletin.site.movements",  # registry, grouping, movement pages and feeds
    "bulletin.site.related",  # related news, previous/next in the movement
    "bulletin.content.video_facades",  # video facades and their checks; before photos (poster)
    "bulletin.photos.generator",  # photo derivatives, <picture> markup, covers, OpenGraph image
    "bulletin.site.feeds",  # plain-text titles in feeds
    "bulletin.site.redirects",  # old URLs of renamed articles redirect to the new ones
    "bulletin.site.old_links",  # old ?query addresses: fallback pages, nginx and Apache maps
    "bulletin.content.addresses",  # a published article's URL may not move (compared with git)
    "bulletin.documents.generator",  # văn bản: the register, its checks, Documents in articles
    "bulletin.documents.pages",  # văn bản: JSON-LD filter (the generator writes the pages)
    "bulletin.editions.generator",  # bản tin in: numbered issues, their checks and PDFs
    "bulletin.site.corrections",  # đính chính: Modified/Correction, the /dinh-chinh/ page
    "bulletin.site.featured",  # tin tiêu điểm: Featured/Featured_until, the home page's block
    "bulletin.site.identity",  # the agency's mandatory information: checks, banners, JSON-LD
    "bulletin.site.mandatory_pages",  # /so-do-trang/ and /tuyen-bo-tiep-can/
    "bulletin.site.api",  # /api/articles.json and /api/movements.json
    "bulletin.site.sitemap",  # sitemap.xml and robots.txt
    "bulletin.site.structured_data",  # schema.org NewsArticle JSON-LD
    "bulletin.site.security",  # Content-Security-Policy of every page (from SAFE_IFRAME_HOSTS)
    "bulletin.editor.cms",  # /admin/: the web editor (Decap CMS) configured from the content model
    "bulletin.site.search_text",  # Jinja filter folded_words: "đ" folded for search
    "bulletin.site.search",  # Pagefind index after the build
    "bulletin.build.uptodate",  # writes nothing when no input changed (last: after the checks)
    "bulletin.build.writer",  # renders again only the pages an edit changes
]
MOVEMENTS_FILE = "movements.toml"
RELATED_COUNT = 5  # "Tin liên quan" and "Tin khác" under an article
MOVEMENT_ITEMS_PER_YEAR = 5  # newest items per year on a movement's own page
# Every setting a module reads has its fallback in that module's DEFAULTS
# (applied by its set_defaults on `initialized`); the values here win.

# --- URLs ---------------------------------------------------------------------
# Published addresses never move (bulletin.content.addresses): a URL that differs from
# the one the same file has in this git revision is an error. None: the
# remote's default branch (origin/HEAD, origin/main) if fetched, else HEAD;
# False: no comparison. CI sets it for a merge request's base branch, e.g.
# PUBLISHED_REF=origin/main (fetched), through the environment.
PUBLISHED_REF = os.environ.get("PUBLISHED_REF") or None
ARTICLE_URL = "tin-tuc/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "tin-tuc/{date:%Y}/{slug}/index.html"
# Drafts are written only by `invoke build --drafts` (tasks.py sets these).
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = "tac-gia/{slug}/index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = "tac-gia/index.html"
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = "chu-de/{slug}/index.html"
TAGS_URL = "chu-de/"
TAGS_SAVE_AS = "chu-de/index.html"
YEAR_ARCHIVE_URL = "nam/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "nam/{date:%Y}/index.html"
ARCHIVES_URL = "nam/"
ARCHIVES_SAVE_AS = "nam/index.html"
NOTFOUND_SAVE_AS = "404.html"
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = "tim-kiem/index.html"
# What the search page reads beside the index (bulletin.site.search_text): the
# site's words with their counts, fetched only to suggest a near word for a
# query that finds nothing; and the table of spellings and synonyms it also
# searches (tỷ/tỉ, KCN/khu công nghiệp…): plugins/bulletin/site/search_synonyms.toml,
# edited there (it is part of the code's fingerprint: an edit renders the search
# page again); SEARCH_SYNONYMS_FILE = "" turns it off.
SEARCH_VOCABULARY_SAVE_AS = "tim-kiem/tu-vung.txt"
# The index (bulletin.site.search): one Pagefind bundle per year of articles and
# one of pages and documents; a year with more articles than this is split
# (Pagefind needs ~310 MB for 2,000 pages). Bundles made at once: 0, one per core.
SEARCH_PARTITION_PAGES = 2000
SEARCH_JOBS = 0
# The site map and the accessibility statement (bulletin.site.mandatory_pages),
# linked from every page's footer.
SITE_MAP_URL = "so-do-trang/"
SITE_MAP_SAVE_AS = "so-do-trang/index.html"
ACCESSIBILITY_URL = "tuyen-bo-tiep-can/"
ACCESSIBILITY_SAVE_AS = "tuyen-bo-tiep-can/index.html"
# The statement's known limits (one line each) and the day it was last reviewed.
ACCESSIBILITY_LIMITS = [
    "Một số văn bản cũ được đăng dưới dạng PDF quét (ảnh chụp), trình đọc màn hình không "
    "đọc được; liên hệ với Ban để nhận bản có chữ.",
    "Ảnh trong các tin, bài cũ chuyển từ cổng thông tin trước đây có thể thiếu lời chú thích.",
    "Bản tin in (PDF) được dàn trang để in; bản đọc trên máy là các tin, bài trên trang.",
]
ACCESSIBILITY_REVIEWED = "03/12/2026"
# Every corrected article (its Correction: line), newest correction first
# (bulletin.site.corrections).
DINH_CHINH_URL = "dinh-chinh/"
DINH_CHINH_SAVE_AS = "dinh-chinh/index.html"
# Categories are not used: movements group the articles.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "authors", "tags", "search", "notfound"]
PAGINATED_TEMPLATES = {
    "index": None,
    "tag": None,
    "author": None,
    "period_archives": None,
    "movement_year": None,
    "documents": None,  # /van-ban/ and its type, year and issuer pages
}
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)

# --- Feeds --------------------------------------------------------------------
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_JSON = "feeds/all.json"
MOVEMENT_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

# --- Official documents (bulletin.documents; every default is in its DEFAULTS) ----
# /van-ban/ (the register), /van-ban/<year>/<slug>/ and its files beside it,
# /van-ban/loai/<type>/, /van-ban/nam/<year>/, /van-ban/co-quan/<issuer>/.
DOCUMENT_URL = "van-ban/{date:%Y}/{slug}/"
DOCUMENT_SAVE_AS = "van-ban/{date:%Y}/{slug}/index.html"
DOCUMENT_FEED_ATOM = "feeds/van-ban.atom.xml"
# Types beyond the usual ones (Kế hoạch, Quyết định, Công văn…): names, or
# (name, code in numbers) pairs, e.g. [("Giấy chứng nhận", "GCN")].
DOCUMENT_EXTRA_TYPES = []
# What each file is (pages, text layer, problems), by SHA-256: a long register
# is not opened again on every build. Outside output/, like the photo cache.
DOCUMENT_CACHE_PATH = "cache/documents"

# --- The printed bulletin (bulletin.editions; every default is in its DEFAULTS) ----
# /ban-tin/ (every issue), /ban-tin/<year>/so-<n>/ and its PDF beside it,
# ban-tin-so-<n>-<year>.pdf (190 × 270 mm, WeasyPrint). Identity and licence:
# EDITION_* under "The site" above.
EDITION_URL = "ban-tin/{date:%Y}/so-{number}/"
EDITION_SAVE_AS = "ban-tin/{date:%Y}/so-{number}/index.html"
# Print photos (from the originals) and PDFs, by digest: an unchanged issue
# is not laid out again. Outside output/, like the photo cache.
EDITION_CACHE_PATH = "cache/editions"

# --- Photos (bulletin.photos) ------------------------------------------------
# A PHOTO_* setting left out falls back to bulletin.photos.plan.DEFAULTS, the
# one place (its sizes and qualities are PipelineSettings' defaults).
# Originals are never published: each page gets, in its own PHOTO_DIR folder
# beside its index.html, rotated, sRGB, metadata-free copies at these widths
# (WebP and JPEG), a large JPEG a click opens, 3:2 listing crops and an
# OpenGraph crop. Changing a size or quality makes every photo again (once).
PHOTO_DIR = "anh"
PHOTO_WIDTHS = [480, 960, 1600]
PHOTO_DEFAULT_WIDTH = 960  # the <img src> of browsers without srcset
PHOTO_LARGE_SIZE = 2048  # longest side of the version a click opens
PHOTO_THUMB_SIZES = [(480, 320), (960, 640)]  # listing cards
PHOTO_OG_SIZE = (1200, 630)  # OpenGraph: link previews on Facebook, Zalo
PHOTO_FORMATS = ["webp"]  # "avif" too: see the benchmark (`invoke bench`) first
PHOTO_JPEG_QUALITY = 82
PHOTO_WEBP_QUALITY = 78
# Kept between builds, outside output/ (CI may persist it): keyed by each
# photo's bytes and the settings above, so only new photos are processed.
PHOTO_CACHE_PATH = "cache/photos"
# Published derivatives are hard links to the cache's read-only files (a warm
# build copies nothing); never edit files in output/ in place.
PHOTO_HARDLINKS = True
PHOTO_MAX_PIXELS = 60_000_000  # larger is refused as a decompression bomb

# --- Theme ------------------------------------------------------------------
THEME = "theme"
THEME_STATIC_DIR = "theme"
THEME_STATIC_PATHS = ["static"]
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
# Every page carries a Content-Security-Policy (bulletin.site.security): no inline
# script. The live preview's one injected script is allowed here, by its
# hash; publishconf.py turns it off.
CSP_ALLOW_LIVERELOAD = True
MENUITEMS = [
    ("Trang chủ", ""),
    ("Phong trào thi đua", "phong-trao/"),
    ("Văn bản", "van-ban/"),
    ("Bản tin in", "ban-tin/"),
    ("Lưu trữ theo năm", "nam/"),
    ("Giới thiệu", "gioi-thieu/"),
    ("Liên hệ", "lien-he/"),
]
# The footer repeats these MENUITEMS (by URL, with their labels), then links
# the authors, the tags and the feed.
FOOTER_MENU_URLS = ["gioi-thieu/", "lien-he/"]
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# --- Build --------------------------------------------------------------------
DELETE_OUTPUT_DIRECTORY = True
# Pelican's reader cache (what each Markdown file reads to, typogrified) is
# keyed by file; bulletin.build.cache puts it in a subfolder named after a hash of
# the plugins' code, the settings and library versions, so a change of any
# of them starts afresh. Checks and scheduling still run on every build.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "md5"  # mtimes are new on every CI checkout
CACHE_PATH = "cache/pelican"
# Not gzipped: Pelican writes the whole cache again after any edit, and gzip at
# its level 9 took 1.4 s of a one-article edit at 2,000 articles (plain: 0.3 s;
# ~11 MB on disk instead of ~0.7 MB, and CI caches are compressed anyway).
GZIP_CACHE = False
# Articles missing from that cache (every one, in a cold build) are read in this
# many worker processes (bulletin.build.parallel); None: every core, 1: none.
# Fewer than BUILD_WORKERS_FROM files to read (an edit): read in the build itself.
BUILD_WORKERS = None
BUILD_WORKERS_FROM = 48
# Pages are rendered in as many workers (bulletin.build.rendering) when a build
# renders at least BUILD_RENDER_FROM of them without relative URLs (a
# production build; a development build's relative URLs render in order).
BUILD_RENDER_FROM = 64
