"""The printed issues in the JSON API (bulletin.site.api): /api/editions.json
on the sample build (two issues), valid against schemas/editions.schema.json
and saying what the built site has — each issue's page, its PDF (size and
pages as published) and its articles in print order, linked to articles.json."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import jsonschema
from helpers import ROOT
from pypdf import PdfReader

SCHEMA = ROOT / "schemas" / "editions.schema.json"


def local(output, url: str):
    """The built file a site URL names (the API's URLs are absolute)."""
    path = urlsplit(url).path.lstrip("/")
    return output / path / "index.html" if path.endswith("/") or not path else output / path


def test_the_api_lists_every_issue_as_the_site_has_it(edition_site):
    data = json.loads((edition_site / "api" / "editions.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    # Published beside the data, as the other schemas.
    assert (edition_site / "api" / SCHEMA.name).read_bytes() == SCHEMA.read_bytes()

    editions = data["editions"]
    assert [(e["id"], e["number"], e["year"]) for e in editions] == [
        ("2024/so-1", 1, 2024),
        ("2023/so-1", 1, 2023),
    ]  # newest first
    newest = editions[0]
    assert newest["date"] == "2024-06-28T08:00:00+07:00"
    assert newest["title"] == "Bản tin Khu công nghiệp Bắc Kạn số 1/2024: Chuyển đổi số và thi đua"
    assert editions[1]["title"] == "Bản tin Khu công nghiệp Bắc Kạn số 1/2023"  # the default
    articles = json.loads((edition_site / "api" / "articles.json").read_text(encoding="utf-8"))
    ids = {a["id"]: a["url"] for a in articles["articles"]}
    for edition in editions:
        assert local(edition_site, edition["url"]).is_file(), edition["url"]
        pdf = local(edition_site, edition["pdf"]["url"])
        assert pdf.name == f"ban-tin-so-{edition['number']}-{edition['year']}.pdf"
        assert edition["pdf"]["size"] == pdf.stat().st_size
        assert edition["pdf"]["pages"] == len(PdfReader(pdf).pages)
        for article in edition["articles"]:
            assert ids[article["id"]] == article["url"]  # the same article in articles.json
            assert local(edition_site, article["url"]).is_file()
    assert [a["id"] for a in newest["articles"]] == [
        "2024/tong-ket-cong-tac-thi-dua-khen-thuong-nam-2023",
        "2024/toa-dam-nu-cong-chuc-voi-chuyen-doi-so-nhan-ngay-quoc-te-phu-nu",
        "2024/kiem-tra-cong-tac-bao-ve-moi-truong-tai-cac-doanh-nghiep-kcn-thanh-binh",
    ]  # in print order, as the issue's Articles list them
    # The issue's page lists the same articles, in the same order.
    page = local(edition_site, newest["url"]).read_text(encoding="utf-8")
    positions = [page.index(urlsplit(a["url"]).path.rsplit("/", 2)[-2]) for a in newest["articles"]]
    assert positions == sorted(positions)
