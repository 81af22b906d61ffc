"""Write the sample site's document files: PDFs with Vietnamese text, one scan, one DOCX.

    .venv/bin/python tools/sample_documents.py          # (re)write the files
    .venv/bin/python tools/sample_documents.py --check  # extracted text == SAMPLES

The files are committed under ``content/van-ban/`` with the ``.md`` files that
describe them: the build never runs this script. Every sample is marked as
such inside the file (these are not real documents of the agency). PDFs are
written with fpdf2 in DejaVu Sans, which has every Vietnamese glyph; the scan
is a page image drawn with Pillow, without a text layer; the DOCX is the
three XML parts Word needs. Output is deterministic (fixed dates, fixed ZIP
times): running it again changes no byte.
"""

from __future__ import annotations

import argparse
import io
import sys
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "content" / "van-ban"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FIXED = datetime(2025, 7, 1, tzinfo=UTC)
ORGANIZATION = "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH BẮC KẠN"
PROVINCE = "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MARK = "VĂN BẢN MẪU – chỉ để minh họa trang Văn bản của bản tin, không có giá trị pháp lý."

# path below content/van-ban/ → (issuer line, number, place and date, title, paragraphs, signer)
SAMPLES = {
    "2022/08-kh-bql.pdf": (
        ORGANIZATION,
        "08/KH-BQL",
        "Bắc Kạn, ngày 15 tháng 02 năm 2022",
        "KẾ HOẠCH Hưởng ứng phong trào thi đua “Bắc Kạn đẩy mạnh chuyển đổi số” "
        "giai đoạn 2022 - 2025",
        [
            "Thực hiện phong trào thi đua “Bắc Kạn đẩy mạnh chuyển đổi số” giai đoạn 2022 - 2025 "
            "do Ủy ban nhân dân tỉnh phát động, Ban Quản lý các Khu công nghiệp xây dựng kế hoạch "
            "hưởng ứng như sau.",
            "1. Số hóa toàn bộ hồ sơ, văn bản đi và đến của Ban; ký số văn bản điện tử.",
            "2. Cung cấp dịch vụ công trực tuyến toàn trình cho doanh nghiệp trong "
            "khu công nghiệp.",
            "3. Mỗi phòng, đơn vị đăng ký ít nhất một sáng kiến ứng dụng công nghệ thông tin.",
        ],
        "TRƯỞNG BAN",
    ),
    "2022/25-tb-bql.pdf": (
        ORGANIZATION,
        "25/TB-BQL",
        "Bắc Kạn, ngày 20 tháng 6 năm 2022",
        "THÔNG BÁO Lịch tiếp công dân, doanh nghiệp 6 tháng cuối năm 2022",
        [
            "Ban Quản lý các Khu công nghiệp thông báo lịch tiếp công dân, doanh nghiệp: sáng thứ "
            "Hai và thứ Năm hằng tuần, tại trụ sở Ban, tổ 1, phường Đức Xuân, thành phố Bắc Kạn.",
            "Lãnh đạo Ban trực tiếp tiếp vào ngày 15 hằng tháng; nếu trùng ngày nghỉ thì chuyển "
            "sang ngày làm việc kế tiếp.",
        ],
        "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN",
    ),
    "2023/ke-hoach-45-kh-bql.pdf": (
        ORGANIZATION,
        "45/KH-BQL",
        "Bắc Kạn, ngày 01 tháng 3 năm 2023",
        "KẾ HOẠCH Phát động phong trào thi đua thực hiện nhiệm vụ phát triển kinh tế - xã hội "
        "năm 2023",
        [
            "Năm 2023 là năm thứ 3 thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XII và kế "
            "hoạch phát triển kinh tế - xã hội 5 năm 2021 - 2025 của tỉnh.",
            "Ban Quản lý các Khu công nghiệp phát động thi đua đợt 1 năm 2023, lập thành tích chào "
            "mừng 75 năm Ngày Bác Hồ ra lời kêu gọi thi đua ái quốc (11/6/1948 - 11/6/2023).",
            "Nội dung thi đua: hoàn thành xuất sắc nhiệm vụ chính trị của từng phòng, đơn vị; "
            "nghiên cứu khoa học và sáng kiến; thực hiện tốt kỷ luật, kỷ cương hành chính; văn "
            "hóa công sở; ứng dụng công nghệ thông tin, chuyển đổi số.",
        ],
        "TRƯỞNG BAN",
    ),
    "2023/31-tb-bql.pdf": (
        ORGANIZATION,
        "31/TB-BQL",
        "Bắc Kạn, ngày 10 tháng 01 năm 2023",
        "THÔNG BÁO Lịch tiếp công dân, doanh nghiệp năm 2023",
        [
            "Ban Quản lý các Khu công nghiệp thông báo lịch tiếp công dân, doanh nghiệp năm 2023: "
            "sáng thứ Hai, thứ Tư và thứ Năm hằng tuần, tại trụ sở Ban.",
            "Thông báo này thay thế Thông báo số 25/TB-BQL ngày 20 tháng 6 năm 2022.",
        ],
        "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN",
    ),
    "2024/Báo cáo tổng kết thi đua 2023.pdf": (
        ORGANIZATION,
        "20/BC-BQL",
        "Bắc Kạn, ngày 08 tháng 01 năm 2024",
        "BÁO CÁO Tổng kết công tác thi đua, khen thưởng năm 2023",
        [
            "Năm 2023, các phong trào thi đua được triển khai rộng khắp, thiết thực; 100% công "
            "chức, viên chức và người lao động đăng ký thi đua.",
            "Ban đề nghị khen thưởng 03 tập thể và 07 cá nhân có thành tích xuất sắc; 05 doanh "
            "nghiệp được biểu dương trong phong trào xây dựng nông thôn mới.",
        ],
        "TRƯỞNG BAN",
    ),
    "2024/56-qd-bql.pdf": (
        ORGANIZATION,
        "56/QĐ-BQL",
        "Bắc Kạn, ngày 20 tháng 3 năm 2024",
        "QUYẾT ĐỊNH Về việc khen thưởng doanh nghiệp có thành tích trong phong trào “Cả nước "
        "chung sức xây dựng nông thôn mới”",
        [
            "Điều 1. Tặng Giấy khen của Trưởng ban Quản lý các Khu công nghiệp cho 05 doanh nghiệp "
            "có thành tích xuất sắc trong phong trào “Cả nước chung sức xây dựng nông thôn mới”.",
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            "Điều 3. Chánh Văn phòng và các doanh nghiệp có tên tại Điều 1 chịu trách nhiệm thi "
            "hành Quyết định này.",
        ],
        "TRƯỞNG BAN",
    ),
    "2025/18-kh-bql.pdf": (
        ORGANIZATION,
        "18/KH-BQL",
        "Bắc Kạn, ngày 02 tháng 4 năm 2025",
        "KẾ HOẠCH Tổ chức Tháng hành động về an toàn, vệ sinh lao động năm 2025",
        [
            "Hưởng ứng Tháng hành động về an toàn, vệ sinh lao động năm 2025, Ban Quản lý các Khu "
            "công nghiệp đề nghị các doanh nghiệp rà soát máy, thiết bị có yêu cầu nghiêm ngặt "
            "về an toàn lao động.",
            "Các doanh nghiệp đăng ký thi đua bảo đảm an toàn, vệ sinh lao động và gửi về Ban "
            "trước ngày 30 tháng 4 năm 2025.",
        ],
        "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN",
    ),
}
SCANNED = {
    "2023/15-2023-qd-ubnd-ban-chup.pdf": (
        PROVINCE,
        "15/2023/QĐ-UBND",
        "Bắc Kạn, ngày 12 tháng 5 năm 2023",
        "QUYẾT ĐỊNH Ban hành Quy chế công tác thi đua, khen thưởng trên địa bàn tỉnh Bắc Kạn",
        ["Bản chụp (ảnh quét) của văn bản giấy."],
        "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
    ),
}
DOCX = {
    "2022/112-bql-vp.docx": (
        ORGANIZATION,
        "112/BQL-VP",
        "Bắc Kạn, ngày 05 tháng 9 năm 2022",
        "V/v đôn đốc doanh nghiệp báo cáo tình hình sử dụng lao động 6 tháng đầu năm 2022",
        [
            "Kính gửi: Các doanh nghiệp đang hoạt động trong các Khu công nghiệp.",
            "Ban Quản lý các Khu công nghiệp đề nghị các doanh nghiệp báo cáo tình hình sử dụng "
            "lao động 6 tháng đầu năm 2022 theo mẫu gửi kèm, trước ngày 20 tháng 9 năm 2022.",
        ],
        "TL. TRƯỞNG BAN / CHÁNH VĂN PHÒNG",
    ),
}


def lines_of(sample) -> list[str]:
    """The text of a sample, line by line, as written into its file."""
    issuer, number, place, title, paragraphs, signer = sample
    return [
        issuer,
        NATION,
        MOTTO,
        f"Số: {number}",
        place,
        title,
        *paragraphs,
        signer,
        MARK,
    ]


def expected_text(sample) -> str:
    """What text extraction must give back: NFC, one space between words."""
    return " ".join(unicodedata.normalize("NFC", " ".join(lines_of(sample))).split())


def write_pdf(path: Path, sample) -> None:
    from fpdf import FPDF  # noqa: PLC0415 - only to write the samples

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_producer("tools/sample_documents.py")
    pdf.set_title(sample[3])
    pdf.set_lang("vi")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.add_page()
    pdf.set_margins(25, 20, 20)
    for number, line in enumerate(lines_of(sample)):
        bold = number in (0, 1, 5)
        pdf.set_font("DejaVu", "B" if bold else "", 12 if number != 5 else 13)
        align = "C" if number in (0, 1, 2, 5) else "J" if number > 5 else "L"
        pdf.multi_cell(0, 7, line, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2 if number < 5 else 4)
    path.write_bytes(bytes(pdf.output()))


def write_scan(path: Path, sample) -> None:
    """A page image only: no text layer, as a scanner makes it."""
    from fpdf import FPDF  # noqa: PLC0415
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415

    width, height = 1240, 1754  # A4 at 150 dpi
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 26)
    y = 140
    for line in lines_of(sample):
        words, current = line.split(), ""
        for word in words:  # wrap at the page's text width
            trial = f"{current} {word}".strip()
            if draw.textlength(trial, font=font) > width - 300 and current:
                draw.text((150, y), current, fill=20, font=font)
                y, current = y + 40, word
            else:
                current = trial
        draw.text((150, y), current, fill=20, font=font)
        y += 60
    image = io.BytesIO()
    page.save(image, "PNG", optimize=True)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_producer("tools/sample_documents.py")
    pdf.add_page()
    pdf.image(io.BytesIO(image.getvalue()), x=0, y=0, w=210, h=297)
    path.write_bytes(bytes(pdf.output()))


DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}


def write_docx(path: Path, sample) -> None:
    from xml.sax.saxutils import escape  # noqa: PLC0415

    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in lines_of(sample)
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**DOCX_PARTS, "word/document.xml": document}.items():
            info = zipfile.ZipInfo(name, date_time=(2022, 9, 5, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def write_all() -> list[Path]:
    written = []
    for samples, writer in ((SAMPLES, write_pdf), (SCANNED, write_scan), (DOCX, write_docx)):
        for name, sample in samples.items():
            path = FOLDER / name
            path.parent.mkdir(parents=True, exist_ok=True)
            writer(path, sample)
            written.append(path)
    return written


def check() -> list[str]:
    """Mismatches between each file's extracted text and what was written."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from bulletin.documents.files import inspect  # noqa: PLC0415

    wrong = []
    for samples, extension in ((SAMPLES, "pdf"), (DOCX, "docx")):
        for name, sample in samples.items():
            _pages, text, problem = inspect(str(FOLDER / name), extension)
            if problem or text != expected_text(sample):
                wrong.append(f"{name}: {problem or text!r}")
    for name in SCANNED:
        _pages, text, problem = inspect(str(FOLDER / name), "pdf")
        if problem or text:
            wrong.append(f"{name}: a scan must have no text layer ({problem or text!r})")
    return wrong


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare extracted text")
    args = parser.parse_args(argv)
    if not args.check:
        for path in write_all():
            print(path.relative_to(ROOT))
    wrong = check()
    for line in wrong:
        print(line, file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
