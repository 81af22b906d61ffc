"""Pagefind bundles are reproducible: the same pages give the same bytes.

Pagefind 1.5.2 writes filter values and the list of filters in a random
order (a Rust HashMap), so without bulletin.site.search_stable two builds of
one site differ under pagefind/ (found when the search page got its
"Phong trào" and "Năm" filters). These tests run the real Pagefind.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest

from bulletin.site.search import SearchIndexError, run_pagefind
from bulletin.site.search_stable import (
    SIGNATURE,
    UnknownFormatError,
    decode,
    encode,
    pagefind_hash,
    read,
    stabilise_bundle,
)

MOVEMENTS = ["Chuyển đổi số", "Đoàn kết sáng tạo", "An toàn lao động", "Dân vận khéo", "Xanh"]


def write_site(folder) -> None:
    """Twenty pages with two filters of several values each, and a sort."""
    os.makedirs(folder)
    for number in range(20):
        year = 2021 + number % 5
        (folder / f"bai-{number}.html").write_text(
            f"""<!doctype html><html lang="vi"><body><main data-pagefind-body>
<h1 data-pagefind-meta="title">Bài {number}: thi đua {MOVEMENTS[number % 5]}</h1>
<span data-pagefind-filter="nam">{year}</span>
<span data-pagefind-filter="phong-trao">{MOVEMENTS[(number * 3) % 5]}</span>
<span data-pagefind-sort="date">{year}-0{number % 9 + 1}-01</span>
<p>Đoàn viên khu công nghiệp Thanh Bình tham gia phong trào số {number}.</p>
</main></body></html>""",
            encoding="utf-8",
        )


def files_of(bundle) -> dict[str, bytes]:
    return {
        os.path.relpath(os.path.join(root, name), bundle): open(
            os.path.join(root, name), "rb"
        ).read()
        for root, _, names in os.walk(bundle)
        for name in names
    }


def test_three_runs_of_pagefind_give_one_bundle(tmp_path):
    site = tmp_path / "site"
    write_site(site)
    bundles = []
    for run in range(3):
        bundle = tmp_path / f"bundle-{run}"
        run_pagefind(str(site), str(bundle))  # stabilises what Pagefind wrote
        bundles.append(files_of(bundle))
    assert bundles[0] == bundles[1] == bundles[2]
    filters = sorted(name for name in bundles[0] if name.startswith("filter/"))
    assert len(filters) == 2
    for name in filters:
        item, body, _ = read(str(tmp_path / "bundle-0" / name))
        values = [value for value, _pages in item[1]]
        assert values == sorted(values), item[0]
        # Named as Pagefind names them: "<lang>_" + 7 digits of its SHA-1.
        assert name == f"filter/vi_{pagefind_hash(body)[:7]}.pf_filter"
    entry = json.loads(bundles[0]["pagefind-entry.json"])
    meta = f"pagefind.{entry['languages']['vi']['hash']}.pf_meta"
    assert meta in bundles[0]
    meta_item, _, _ = read(str(tmp_path / "bundle-0" / meta))
    names = [name for name, _hash in meta_item[3]]
    assert names == sorted(names) == ["nam", "phong-trao"]


def test_a_stable_bundle_is_left_as_it_is(tmp_path):
    site = tmp_path / "site"
    write_site(site)
    bundle = tmp_path / "bundle"
    run_pagefind(str(site), str(bundle))
    before = {path: os.stat(bundle / path).st_ino for path in files_of(bundle)}
    assert stabilise_bundle(str(bundle)) is False
    assert {path: os.stat(bundle / path).st_ino for path in files_of(bundle)} == before


def test_the_stable_bundle_still_answers_with_its_filters(tmp_path):
    """Pagefind's own JavaScript (in Node) reads the rewritten files: the
    filters' counts are Pagefind's, and a filtered search finds its pages."""
    node = subprocess.run(["node", "--version"], capture_output=True, check=False)
    if node.returncode != 0:
        pytest.skip("node is not installed")
    site = tmp_path / "site"
    write_site(site)
    bundle = tmp_path / "pagefind"
    run_pagefind(str(site), str(bundle))
    script = tmp_path / "ask.mjs"
    script.write_text(
        """
import { readFile } from "node:fs/promises";
// Pagefind fetches its files; here they are read from the bundle on disk.
globalThis.fetch = async (url) =>
  new Response(await readFile(String(url).split("?")[0].replace(/^file:\\/\\//, "")));
const pagefind = await import(process.argv[2] + "/pagefind.js");
await pagefind.options({ basePath: process.argv[2] + "/" });
const filters = await pagefind.filters();
const found = await pagefind.search("đoàn", { filters: { nam: "2023" } });
console.log(JSON.stringify({ filters, count: found.results.length }));
""",
        encoding="utf-8",
    )
    answer = subprocess.run(
        ["node", str(script), str(bundle)], capture_output=True, text=True, check=False
    )
    assert answer.returncode == 0, answer.stderr
    said = json.loads(answer.stdout)
    assert said["filters"]["nam"] == {str(year): 4 for year in range(2021, 2026)}
    assert sum(said["filters"]["phong-trao"].values()) == 20
    assert said["count"] == 4


def test_cbor_round_trip_and_the_subset_it_refuses():
    item = ["nam", [["2021", [0, 5, 10, 15]], ["Đoàn", [23, 255, 256, 65536]]]]
    assert decode(encode(item)) == item
    assert encode(24) == b"\x18\x18" and encode(23) == b"\x17"  # smallest heads
    for data in (b"\xc1\x00", b"\xf9\x00\x00", b"\x20", b"\x9f\x00\xff", b"\x82\x01", b"\x01\x01"):
        with pytest.raises(UnknownFormatError):
            decode(data)


def test_a_file_of_another_format_fails_the_index_not_the_reader(tmp_path):
    """A Pagefind that wrote something this module does not know: the build
    stops with Pagefind's name in the message, nothing is rewritten."""
    bundle = tmp_path / "bundle"
    (bundle / "filter").mkdir(parents=True)
    odd = SIGNATURE + b"\x82cnam\xa0"  # a CBOR map where a list is expected
    meta_body = encode(["1.5.2", [], [], [["nam", "vi_0000000"]], [], []])
    meta_hash = "vi_" + pagefind_hash(meta_body)[:10]
    (bundle / f"pagefind.{meta_hash}.pf_meta").write_bytes(gzip.compress(SIGNATURE + meta_body))
    (bundle / "filter" / "vi_0000000.pf_filter").write_bytes(gzip.compress(odd))
    (bundle / "pagefind-entry.json").write_text(
        json.dumps({"version": "1.5.2", "languages": {"vi": {"hash": meta_hash}}})
    )
    with pytest.raises(UnknownFormatError):
        stabilise_bundle(str(bundle))
    fake = tmp_path / "fake_pagefind"
    fake.mkdir()
    (fake / "pagefind").mkdir()
    (fake / "pagefind" / "__init__.py").write_text("")
    (fake / "pagefind" / "__main__.py").write_text(
        "import shutil, sys\n"
        f"shutil.copytree({str(bundle)!r}, sys.argv[sys.argv.index('--output-path') + 1])\n"
    )
    env = dict(os.environ, PYTHONPATH=str(fake))
    probe = subprocess.run(
        [sys.executable, "-c", "import pagefind, sys; print(pagefind.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert str(fake) in probe.stdout
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(fake))
        with pytest.raises(SearchIndexError) as raised:
            run_pagefind(str(tmp_path), str(tmp_path / "out"))
    assert "Pagefind" in str(raised.value)
    # the odd file was never rewritten:
    assert (
        gzip.decompress((tmp_path / "out" / "filter" / "vi_0000000.pf_filter").read_bytes()) == odd
    )
