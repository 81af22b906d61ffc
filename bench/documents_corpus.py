"""What a register of official documents costs a build, per document.

    .venv/bin/python bench/documents_corpus.py [--documents 500]

Builds the sample site twice in a temporary folder — without its register,
then with ``--documents`` generated documents (each a PDF of its own bytes:
a sample PDF with its own metadata, so every file is inspected) — each cold
(no reader or document cache) and warm (caches kept, a fresh output folder:
every page rendered again), and prints the time per document. Nothing here
is committed content; the corpus lives in the temporary folder only.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests"), str(ROOT)]

TYPES = [("Kế hoạch", "KH"), ("Quyết định", "QĐ"), ("Thông báo", "TB"), ("Báo cáo", "BC")]
ISSUERS = ["Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn", "Ủy ban nhân dân tỉnh Bắc Kạn"]
SOURCE_PDFS = sorted((ROOT / "content" / "van-ban").rglob("*.pdf"))


def write_corpus(content: Path, count: int) -> None:
    """``count`` documents over ten years, 4 types, 2 issuers, each its own PDF."""
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415

    shutil.rmtree(content / "van-ban", ignore_errors=True)
    readers = [PdfReader(path) for path in SOURCE_PDFS]
    for number in range(1, count + 1):
        year = 2016 + number % 10
        kind, code = TYPES[number % len(TYPES)]
        folder = content / "van-ban" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        writer = PdfWriter(clone_from=readers[number % len(readers)])
        writer.add_metadata({"/Subject": f"Văn bản thử số {number}"})
        buffer = io.BytesIO()
        writer.write(buffer)
        (folder / f"van-ban-{number}.pdf").write_bytes(buffer.getvalue())
        (folder / f"van-ban-{number}.md").write_text(
            f"Title: {kind} về nội dung thử số {number} của bản tin\n"
            f"Number: {number}/{code}-BQL\n"
            f"Date: {year}-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
            f"Type: {kind}\n"
            f"Issuer: {ISSUERS[number % 2]}\n"
            f"Files: van-ban-{number}.pdf\n",
            encoding="utf-8",
        )


def timed_build(content: Path, output: Path) -> float:
    from helpers import build  # noqa: PLC0415

    # A fresh output and no build record: every page is rendered (the reader
    # and document caches stay, for a warm build).
    if output.is_symlink():
        output.unlink()
    shutil.rmtree(output.parent / ".builds", ignore_errors=True)
    (output.parent / "cache" / "build-record.json").unlink(missing_ok=True)
    started = time.perf_counter()
    code, report = build(content, output)
    elapsed = time.perf_counter() - started
    if code:
        raise SystemExit(report)
    return elapsed


def measure(work: Path, documents: int) -> dict[str, float]:
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    for article in (content / "articles").rglob("*.md"):  # they cite the sample register
        lines = article.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("Documents:")]
        article.write_text("".join(kept), encoding="utf-8")
    results = {}
    for label, count in (("without", 0), ("with", documents)):
        write_corpus(content, count)
        shutil.rmtree(work / "cache", ignore_errors=True)
        results[f"{label} cold"] = timed_build(content, work / "output")
        results[f"{label} warm"] = timed_build(content, work / "output")
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="documents-bench-") as folder:
        results = measure(Path(folder), args.documents)
    for key, seconds in results.items():
        print(f"{key:>12}: {seconds:6.2f} s")
    for kind in ("cold", "warm"):
        extra = results[f"with {kind}"] - results[f"without {kind}"]
        print(f"{kind}: {1000 * extra / args.documents:.1f} ms per document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
