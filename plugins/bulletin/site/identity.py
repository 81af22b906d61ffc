"""The agency's mandatory information, in one place: identity, notices, archive.

State agency sites must say who publishes them and how to reach them
(docs/mandatory-information.md names the legal texts). One block of
settings under "The site" in ``pelicanconf.py`` holds it — full name,
governing body, address, phone, email, the person responsible for content,
the licence line (if any), the emblem file — and everything that prints it
(header, footer, ``/lien-he/``, the ``GovernmentOrganization`` JSON-LD)
reads it from the :class:`Identity` this module puts into the context.

Connects:

- ``initialized``: fills the defaults (:data:`DEFAULTS`);
- ``article_generator_finalized``: checks the settings — an empty mandatory
  one is an error when ``IDENTITY_REQUIRED`` (``publishconf.py``), a
  warning otherwise; a malformed ``SITE_NOTICE``/``ARCHIVE``/emblem is an
  error — through :func:`bulletin.content.validation.add_problems`, so
  :mod:`bulletin.content.report` names them with every other problem and
  stops a build before anything is written; then puts into the context
  ``site_identity``, ``site_notice`` (the notice shown at this build's
  "now", :func:`bulletin.content.vietnamese.build_now`, or None),
  ``output_changes`` (adds the moments it appears or goes, for
  :mod:`bulletin.build.uptodate`), ``site_archive`` and ``organization_ld``.

The rules (:func:`check_identity`, :func:`read_notice`, :func:`read_archive`,
:func:`organization`) are pure; the pages ``/so-do-trang/`` and
``/tuyen-bo-tiep-can/`` are written by :mod:`bulletin.site.mandatory_pages`.
Must run after ``bulletin.content.reader`` and before ``bulletin.content.report``
has its ``all_generators_finalized`` (any place in ``PLUGINS`` does: the
checks run on ``article_generator_finalized``).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pelican import signals

from bulletin.content.dates import DATE_FORMATS_HINT, DateError, parse_date
from bulletin.content.model import ERROR, WARNING, Problem
from bulletin.content.validation import add_problems
from bulletin.content.vietnamese import build_now, localize, nfc, vi_date
from bulletin.site.security import script_json

logger = logging.getLogger(__name__)

SETTINGS_FILE = "pelicanconf.py"  # where an editor changes them (publishconf.py imports it)
# The mandatory settings, in the order the footer prints them: name → what it is.
MANDATORY = {
    "SITE_ORGANIZATION": "tên đầy đủ của cơ quan",
    "SITE_GOVERNING_BODY": "cơ quan chủ quản",
    "SITE_ADDRESS": "địa chỉ trụ sở",
    "SITE_PHONE": "số điện thoại",
    "SITE_EMAIL": "thư điện tử",
    "SITE_RESPONSIBLE": "người chịu trách nhiệm nội dung",
}
OPTIONAL = {
    "SITE_LICENCE": "giấy phép (nếu có)",
    "SITE_EMBLEM": "tệp biểu trưng, trong theme/static/",
    "SITE_NOTICE": "thông báo trên mọi trang",
    "ARCHIVE": "đánh dấu trang lưu trữ của cơ quan cũ",
}
DEFAULTS = {
    **dict.fromkeys(MANDATORY, ""),
    "SITE_LICENCE": "",
    "SITE_EMBLEM": "",
    "SITE_NOTICE": None,
    "ARCHIVE": None,
    # publishconf.py: an empty mandatory setting stops the build (a warning here).
    "IDENTITY_REQUIRED": False,
    "SITE_MAP_URL": "so-do-trang/",
    "SITE_MAP_SAVE_AS": "so-do-trang/index.html",
    "ACCESSIBILITY_URL": "tuyen-bo-tiep-can/",
    "ACCESSIBILITY_SAVE_AS": "tuyen-bo-tiep-can/index.html",
    # The statement's date (when the site was last tested) and its known limits.
    "ACCESSIBILITY_REVIEWED": "",
    "ACCESSIBILITY_LIMITS": [],
}
NOTICE_KEYS = ("text", "start", "end")
ARCHIVE_KEYS = ("name", "until", "successor", "successor_url", "text")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
WHERE = f'phần "The site" của {SETTINGS_FILE}'


def text(value) -> str:
    """A setting as one line of NFC text ("" for anything that is not text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return " ".join(nfc(str(value)).split())


def setting_problem(key: str, message: str, hint: str, severity: str = ERROR) -> Problem:
    label = MANDATORY.get(key) or OPTIONAL.get(key.split(",", maxsplit=1)[0], "")
    name = f"{key} ({label})" if label else key
    return Problem(SETTINGS_FILE, 0, f"{name} {message}", hint, severity)


# --- the identity ------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    """What the header, the footer, /lien-he/ and the JSON-LD print."""

    name: str
    governing_body: str
    address: str
    phone: str
    email: str
    responsible: str
    licence: str = ""
    emblem: str = ""  # its path under the theme's static folder, "" for the drawn one

    @property
    def phone_href(self) -> str:
        """``tel:02093871234``: the digits (and a leading +) of the phone line."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if digits.strip("+") else ""


def read_identity(settings) -> Identity:
    return Identity(
        name=text(settings.get("SITE_ORGANIZATION")),
        governing_body=text(settings.get("SITE_GOVERNING_BODY")),
        address=text(settings.get("SITE_ADDRESS")),
        phone=text(settings.get("SITE_PHONE")),
        email=text(settings.get("SITE_EMAIL")),
        responsible=text(settings.get("SITE_RESPONSIBLE")),
        licence=text(settings.get("SITE_LICENCE")),
        emblem=text(settings.get("SITE_EMBLEM")).lstrip("/"),
    )


def check_identity(settings, required: bool, emblem_found: bool = True) -> list[Problem]:
    """Every empty mandatory setting (an error when ``required``, else a
    warning), a malformed email, an emblem that is not there."""
    severity = ERROR if required else WARNING
    problems = []
    for key in MANDATORY:
        if not text(settings.get(key)):
            hint = (
                "trang của cơ quan nhà nước phải ghi thông tin này "
                f"(docs/mandatory-information.md); khai báo {key} trong {WHERE}"
            )
            problems.append(setting_problem(key, "đang để trống", hint, severity))
    email = text(settings.get("SITE_EMAIL"))
    if email and not EMAIL_RE.match(email):
        problems.append(
            setting_problem(
                "SITE_EMAIL",
                f'"{email}" không phải một địa chỉ thư điện tử',
                "viết một địa chỉ, ví dụ bqlkcn@backan.gov.vn",
            )
        )
    emblem = text(settings.get("SITE_EMBLEM"))
    if emblem and not emblem_found:
        problems.append(
            setting_problem(
                "SITE_EMBLEM",
                f'"{emblem}": không có tệp này trong theme/static/',
                'đặt tệp ảnh (SVG hoặc PNG) vào theme/static/img/ và ghi "img/<tên tệp>", '
                'hoặc để "" để dùng biểu trưng vẽ sẵn',
            )
        )
    return problems


def emblem_path(settings) -> str | None:
    """The emblem's file, if it is a file inside the theme's static folder
    (never outside it: ``../`` or a symlink out is "not found")."""
    emblem = text(settings.get("SITE_EMBLEM")).lstrip("/")
    if not emblem:
        return None
    static = os.path.realpath(os.path.join(settings.get("THEME", "theme"), "static"))
    path = os.path.realpath(os.path.join(static, emblem))
    inside = path.startswith(static + os.sep)
    return path if inside and os.path.isfile(path) else None


# --- dated notices -----------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """``SITE_NOTICE``: shown from ``start`` (inclusive) until ``end`` (exclusive)."""

    text: str
    start: datetime | None = None
    end: datetime | None = None  # a date without a time: the end of that day

    def shown_at(self, now: datetime) -> bool:
        return (self.start is None or self.start <= now) and (self.end is None or now < self.end)

    @property
    def start_text(self) -> str:
        """ "01/07/2025", or "08:00 01/07/2025" when it starts at a time."""
        return _shown(self.start) if self.start else ""

    @property
    def ends_whole_day(self) -> bool:
        return self.end is not None and (self.end.hour, self.end.minute) == (0, 0)

    @property
    def end_text(self) -> str:
        """ "15/07/2025" for a whole-day end (the banner says "đến hết")."""
        if self.end is None:
            return ""
        return _shown(self.end - timedelta(days=1)) if self.ends_whole_day else _shown(self.end)


def _shown(moment: datetime) -> str:
    day = vi_date(moment)
    return day if (moment.hour, moment.minute) == (0, 0) else f"{moment:%H:%M} {day}"


def _moment(key: str, field: str, value, problems: list[Problem], whole_day_end=False):
    raw = text(value)
    if not raw:
        return None
    try:
        moment = parse_date(raw)
    except DateError as error:
        problems.append(
            setting_problem(f'{key}, khóa "{field}"', str(error), DATE_FORMATS_HINT.capitalize())
        )
        return None
    if whole_day_end and not re.search(r"\d[:hg]\d", raw):
        moment += timedelta(days=1)  # "end": "2025-07-15" still shows on the 15th
    return localize(moment)


def _unknown_keys(key: str, value: dict, known, problems: list[Problem]) -> None:
    for name in value:
        if name not in known:
            hint = "các khóa hợp lệ: " + ", ".join(f'"{k}"' for k in known)
            problems.append(setting_problem(key, f'có khóa "{name}" không được hỗ trợ', hint))


def read_notice(value) -> tuple[Notice | None, list[Problem]]:
    """``SITE_NOTICE``: a text (always shown), or ``{"text", "start", "end"}``."""
    problems: list[Problem] = []
    if not value:
        return None, []
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        hint = 'viết một chuỗi, hoặc {"text": "…", "start": "2025-06-25", "end": "2025-07-05"}'
        return None, [setting_problem("SITE_NOTICE", "không đúng dạng", hint)]
    _unknown_keys("SITE_NOTICE", value, NOTICE_KEYS, problems)
    body = text(value.get("text"))
    if not body:
        problems.append(
            setting_problem("SITE_NOTICE", 'thiếu nội dung "text"', "ghi nội dung thông báo")
        )
    start = _moment("SITE_NOTICE", "start", value.get("start"), problems)
    end = _moment("SITE_NOTICE", "end", value.get("end"), problems, whole_day_end=True)
    if start and end and end <= start:
        problems.append(
            setting_problem(
                "SITE_NOTICE", 'có "end" trước "start"', "ngày kết thúc phải sau ngày bắt đầu"
            )
        )
    if problems:
        return None, problems
    return Notice(body, start, end), []


# --- the archive of a former agency --------------------------------------------------
@dataclass(frozen=True)
class Archive:
    """``ARCHIVE``: this whole site is the archive of a former agency."""

    name: str
    until: datetime  # the last day the agency published here
    successor: str = ""
    successor_url: str = ""
    text: str = ""


def read_archive(value, organization: str) -> tuple[Archive | None, list[Problem]]:
    """``{"until": "2025-06-30", "successor": "…", "successor_url": "https://…"}``."""
    if not value:
        return None, []
    if not isinstance(value, dict):
        hint = '{"until": "2025-06-30", "successor": "…", "successor_url": "https://…"}'
        return None, [setting_problem("ARCHIVE", "không đúng dạng", hint)]
    problems: list[Problem] = []
    _unknown_keys("ARCHIVE", value, ARCHIVE_KEYS, problems)
    until = _moment("ARCHIVE", "until", value.get("until"), problems)
    if until is None and not any("until" in p.message for p in problems):
        problems.append(
            setting_problem(
                "ARCHIVE",
                'thiếu "until"',
                "ghi ngày cuối cùng cơ quan cũ đăng tin, ví dụ 2025-06-30",
            )
        )
    url = text(value.get("successor_url"))
    if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        problems.append(
            setting_problem(
                "ARCHIVE",
                f'có "successor_url" "{url}" không phải địa chỉ http(s)',
                "ghi địa chỉ đầy đủ của trang mới, ví dụ https://thainguyen.gov.vn",
            )
        )
    if problems or until is None:
        return None, problems
    archive = Archive(
        name=text(value.get("name")) or organization,
        until=until,
        successor=text(value.get("successor")),
        successor_url=url,
        text=text(value.get("text")),
    )
    return archive, []


# --- JSON-LD -----------------------------------------------------------------------
def organization(identity: Identity, site_url: str, emblem_url: str = "", archive=None) -> dict:
    """schema.org ``GovernmentOrganization`` of the agency (with its
    ``dissolutionDate`` when the site is an archive)."""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": identity.name,
        "url": f"{site_url}/",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": identity.address,
            "addressCountry": "VN",
        },
        "telephone": identity.phone,
        "email": identity.email,
    }
    if identity.governing_body:
        data["parentOrganization"] = {
            "@type": "GovernmentOrganization",
            "name": identity.governing_body,
        }
    if emblem_url:
        data["logo"] = emblem_url
    if archive is not None:
        data["name"] = archive.name
        data["dissolutionDate"] = archive.until.date().isoformat()
        if archive.successor_url:
            data["sameAs"] = [archive.successor_url]
    return {key: value for key, value in data.items() if value}


# --- signal glue ---------------------------------------------------------------------
def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def prepare(generator) -> None:
    """Check the settings, then put the identity, the notice and the archive
    into the context every template reads."""
    settings, context = generator.settings, generator.context
    found = emblem_path(settings)
    problems = check_identity(settings, bool(settings.get("IDENTITY_REQUIRED")), bool(found))
    identity = read_identity(settings)
    notice, notice_problems = read_notice(settings.get("SITE_NOTICE"))
    archive, archive_problems = read_archive(settings.get("ARCHIVE"), identity.name)
    add_problems(generator, problems + notice_problems + archive_problems)
    now = build_now(settings)
    site_url = (settings.get("SITE_URL_ABSOLUTE") or settings.get("SITEURL") or "").rstrip("/")
    static = settings.get("THEME_STATIC_DIR", "theme")
    emblem_url = f"{site_url}/{static}/{identity.emblem}" if found else ""
    context["site_identity"] = identity if found or not identity.emblem else _no_emblem(identity)
    context["site_notice"] = notice if notice and notice.shown_at(now) else None
    context.setdefault("output_changes", []).extend(
        moment for moment in (notice.start, notice.end) if notice and moment and moment > now
    )
    context["site_archive"] = archive
    context["organization_ld"] = script_json(organization(identity, site_url, emblem_url, archive))


def _no_emblem(identity: Identity) -> Identity:
    return Identity(**{**identity.__dict__, "emblem": ""})


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(prepare)
