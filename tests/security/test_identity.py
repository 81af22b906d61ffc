"""Hostile text in the identity settings (bulletin.site.identity): every value
is printed by autoescaping or, in the JSON-LD, by script_json; an emblem path
never leaves theme/static/; an archive's successor link is http(s) only."""

from __future__ import annotations

import json

from helpers import build, copy_fixture_site, page

from bulletin.site.identity import emblem_path

HOSTILE = '</script><script>alert(1)</script><b onmouseover="x()">"&'
SETTINGS = {
    "SITE_ORGANIZATION": "Ban " + HOSTILE,
    "SITE_GOVERNING_BODY": "UBND " + HOSTILE,
    "SITE_ADDRESS": "Số 1 " + HOSTILE,
    "SITE_PHONE": '0209" onclick="x()',
    "SITE_RESPONSIBLE": HOSTILE,
    "SITE_LICENCE": HOSTILE,
    "SITE_NOTICE": {"text": "Bảo trì " + HOSTILE},
    "ARCHIVE": {"until": "2025-06-30", "successor": HOSTILE, "text": HOSTILE},
}


def test_hostile_settings_stay_text(tmp_path):
    content = copy_fixture_site(tmp_path)
    code, log = build(content, tmp_path / "output", **SETTINGS)
    assert code == 0, log
    for url in ("", "lien-he/", "so-do-trang/", "tuyen-bo-tiep-can/"):
        soup = page(tmp_path / "output", url)
        scripts = soup.select("script")
        assert all(s.get("type") == "application/ld+json" or s.get("src") for s in scripts)
        assert not soup.select("b, [onmouseover], [onclick]")
        footer = soup.select_one("footer.site-footer dl.identity").get_text()
        assert HOSTILE in footer
        assert HOSTILE in soup.select_one(".site-banner--notice").get_text()
        assert HOSTILE in soup.select_one(".site-banner--archive").get_text()
        (ld,) = [s for s in scripts if "GovernmentOrganization" in (s.string or "")]
        assert "</script" not in ld.string and json.loads(ld.string)["name"] == "Ban " + HOSTILE
        tel = soup.select_one("footer a[href^='tel:']")["href"]
        assert tel == "tel:0209"


def test_an_emblem_path_never_leaves_the_theme(tmp_path):
    theme = tmp_path / "theme"
    (theme / "static" / "img").mkdir(parents=True)
    (theme / "static" / "img" / "logo.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("x")
    (theme / "static" / "img" / "link.svg").symlink_to(tmp_path / "secret.txt")
    settings = {"THEME": str(theme)}
    assert emblem_path({**settings, "SITE_EMBLEM": "img/logo.svg"})
    for escape in ("../../secret.txt", "/etc/passwd", "img/link.svg", "img/../../secret.txt"):
        assert emblem_path({**settings, "SITE_EMBLEM": escape}) is None, escape
