"""What Pagefind reads of a page (partials/search_meta.html, article.html,
document.html) and what the search page reads beside the index (the
vocabulary file and the synonym table of bulletin.site.search_text): checked
on the built HTML and on the fragments Pagefind wrote from it."""

from __future__ import annotations

import gzip
import json
import unicodedata

import pytest
from helpers import ROOT, page

from bulletin.site.search_text import fold, load_synonyms, read_synonyms, vocabulary, words_of

SEED_URL = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"
TWO_AUTHORS_URL = "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/"


def fragment(output, url: str) -> dict:
    """Pagefind's record of the page at ``url`` (in any bundle of the site)."""
    for path in (output / "pagefind").rglob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        if record["url"].strip("/") == url.strip("/"):
            return record
    raise AssertionError(f"{url}: not in the index")


def test_article_metadata_filters_and_sort_key(fixture_site):
    soup = page(fixture_site, SEED_URL)
    body = soup.find(attrs={"data-pagefind-body": True})
    # The folded words are metadata now: no hidden paragraph of body text.
    assert body.find("p", attrs={"hidden": True}) is None
    meta = {
        tag["data-pagefind-meta"]: tag.get_text()
        for tag in body.find_all(attrs={"data-pagefind-meta": True})
    }
    assert meta["title"].startswith("Phát động phong trào")
    assert meta["byline"] == "Hồng Nhung"
    assert meta["tags"] == "thi đua, Đoàn thanh niên"
    assert meta["tags_folded"] == "dua doan"
    assert meta["title_folded"] == "dong dua"
    assert {"dai", "dua", "dang", "doi"} <= set(meta["words"].split())  # the text's own
    # The filters are words searched with the query (Pagefind's own filter
    # files come out in a random order): the year's and each movement's.
    assert body.find(attrs={"data-pagefind-filter": True}) is None
    assert meta["facets"].split() == [
        "y2023",
        "ptbackandaymanhchuyendoiso",
        "ptvanhoacongso",
    ]
    sort = body.find(attrs={"data-pagefind-sort": "date"})
    assert sort.get_text().startswith("2023-03-09T14:59")


def test_header_noise_is_kept_out_of_the_excerpts(fixture_site):
    soup = page(fixture_site, SEED_URL)
    header = soup.find("header", class_="article__header")
    ignored = header.find_all(attrs={"data-pagefind-ignore": True})
    assert any(tag.find("ul", class_="article__movements") for tag in ignored)
    assert any("article__meta" in (tag.get("class") or []) for tag in ignored)
    record = fragment(fixture_site, SEED_URL)
    content = record["content"]
    # Neither the movement links, the date line, nor folded words in the text.
    assert "Bắc Kạn đẩy mạnh chuyển đổi số. Cán bộ" not in content
    assert "09/03/2023 14:59" not in content
    assert "dong dua" not in content and " doan " not in content
    assert "Năm 2023 là năm thứ 3" in content
    # Tags are indexed (the footer is not): as metadata, with the title's.
    assert record["meta"]["tags"] == "thi đua, Đoàn thanh niên"
    assert record["meta"]["byline"] == "Hồng Nhung"
    assert record["meta"]["facets"].split()[0] == "y2023"


def test_every_author_of_a_byline_is_indexed(fixture_site):
    record = fragment(fixture_site, TWO_AUTHORS_URL)
    assert record["meta"]["byline"] == "Thu Hà, Đỗ Văn Lâm"
    assert record["meta"]["byline_folded"] == "do"


def test_document_keeps_its_type_number_and_date(tmp_path_factory):
    from helpers import build  # noqa: PLC0415

    output = tmp_path_factory.mktemp("sample") / "output"
    code, log = build(ROOT / "content", output)
    assert code == 0, log
    url = "van-ban/2023/quy-che-thi-dua-khen-thuong-tinh-bac-kan/"
    record = fragment(output, url)
    assert record["meta"]["number"] == "15/2023/QĐ-UBND"
    assert record["meta"]["number_folded"] == "15/2023/qd-ubnd"
    assert record["meta"]["type"] == "Quyết định"
    assert record["meta"]["date"] == "12/05/2023"
    assert record["meta"]["facets"] == "y2023"
    assert "15/2023/qd-ubnd" not in record["content"]
    # The vocabulary the search page suggests from: every word, counted.
    lines = (output / "tim-kiem" / "tu-vung.txt").read_text(encoding="utf-8").splitlines()
    words = dict(line.split("\t") for line in lines)
    assert list(words) == sorted(words)
    assert int(words["tuyến"]) >= 3 and "tuyn" not in words
    assert all(unicodedata.is_normalized("NFC", word) and word.isalpha() for word in words)
    assert all(word == word.lower() for word in words)


def test_vocabulary_is_counted_and_deterministic():
    texts = ["<p>Đoàn <b>thanh</b> niên</p>", "đoàn viên &amp; 2023", "Đoàn"]
    assert vocabulary(texts) == "niên\t1\nthanh\t1\nviên\t1\nđoàn\t3\n"
    assert vocabulary(reversed(texts)) == vocabulary(texts)
    nfd = unicodedata.normalize("NFD", "Tuyến")
    assert words_of(nfd) == ["tuyến"]


@pytest.mark.parametrize(
    ("word", "folded"), [("Đoàn", "doan"), ("ĐẢNG", "dang"), ("thủy", "thuy"), ("KCN", "kcn")]
)
def test_fold(word, folded):
    assert fold(word) == folded


def test_synonym_table_is_read_and_checked(tmp_path, caplog):
    groups, problems = read_synonyms(
        '[[group]]\nwords = ["Tỷ", "tỉ", "tỷ"]\n[[group]]\nwords = ["KCN", "khu  công nghiệp"]\n'
    )
    assert groups == [["tỷ", "tỉ"], ["kcn", "khu công nghiệp"]] and problems == []
    table = tmp_path / "dong-nghia.toml"
    table.write_text(
        '[[group]]\nwords = ["một"]\n\n[[group]]\nwords = "hai"\n[[group]]\nwords = ["a", "B"]\n',
        encoding="utf-8",
    )
    # Every wrong group said with its line and the fix; the right ones used.
    assert load_synonyms({"SEARCH_SYNONYMS_FILE": str(table)}, report=True) == [["a", "b"]]
    said = [record.getMessage() for record in caplog.records]
    assert said == [
        f"{table}:1: cảnh báo: Nhóm 1: chỉ có một cách viết — thêm cách viết kia, hoặc xóa nhóm",
        f'{table}:4: cảnh báo: Nhóm 2: thiếu danh sách words — viết words = ["…", "…"]',
    ]
    groups, problems = read_synonyms('# bảng\n[[group]\nwords = ["a", "b"]\n')
    assert groups == [] and problems[0][:2] == (2, "Bảng từ đồng nghĩa không đúng cú pháp TOML")
    # The plugin's own table is clean.
    caplog.clear()
    assert len(load_synonyms({}, report=True)) >= 10 and not caplog.records


def test_search_page_carries_the_table_and_the_vocabulary_address(fixture_site):
    root = page(fixture_site, "tim-kiem/").find(attrs={"data-search": True})
    groups = json.loads(root["data-search-synonyms"])
    assert ["tỷ", "tỉ"] in groups and ["lừa đảo", "giả mạo"] in groups
    assert root["data-search-vocabulary"].endswith("tim-kiem/tu-vung.txt")
    assert "data-pagefind-merge" in root.attrs
    labels = [label.get_text() for label in root.find_all("label")]
    assert {"Phong trào", "Năm", "Sắp xếp"} <= set(labels)
    years = [(o["value"], o.get_text()) for o in root.find(id="loc-nam").find_all("option")]
    assert years == [("", "Tất cả"), ("y2024", "2024"), ("y2023", "2023")]  # published only
    movements = root.find(id="loc-phong-trao").find_all("option")
    assert ("ptbackandaymanhchuyendoiso", "Bắc Kạn đẩy mạnh chuyển đổi số") in [
        (o["value"], o.get_text()) for o in movements
    ]
