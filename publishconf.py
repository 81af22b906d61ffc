"""Settings for publishing: everything from pelicanconf.py, then what differs."""

import os
import sys

# Pelican runs this file by path: make its own folder importable.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

# The public address, e.g. https://bantin.backan.gov.vn — required: feeds and
# canonical links must point at the real site.
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL:
    raise SystemExit(
        "Chưa đặt biến môi trường SITEURL (địa chỉ công khai của trang), "
        "ví dụ: SITEURL=https://bantin.backan.gov.vn invoke publish"
    )
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
SITE_URL_ABSOLUTE = SITEURL
CSP_ALLOW_LIVERELOAD = False  # no live preview on the public site
CMS_REQUIRED = True  # no published site without its web editor: a missing Decap bundle fails
DELETE_OUTPUT_DIRECTORY = True
# The agency's mandatory information (bulletin.site.identity): an empty
# SITE_ORGANIZATION, SITE_GOVERNING_BODY, SITE_ADDRESS, SITE_PHONE, SITE_EMAIL
# or SITE_RESPONSIBLE stops the build, naming the setting.
IDENTITY_REQUIRED = True
