"""Deterministic archive corpus: N Vietnamese articles over ten years.

``python bench/archive_corpus.py OUT --articles 2000 [--seed 7]`` writes
``OUT/content/`` (articles/<year>/<slug>.md, movements.toml, two pages) in
the project's content model. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
from pathlib import Path

MOVEMENTS = [
    (
        "thi-dua-phat-trien-kinh-te-xa-hoi",
        "Thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội",
        2016,
        None,
    ),
    ("bac-kan-day-manh-chuyen-doi-so", "Bắc Kạn đẩy mạnh chuyển đổi số", 2022, 2025),
    (
        "ca-nuoc-chung-suc-xay-dung-nong-thon-moi",
        "Cả nước chung sức xây dựng nông thôn mới",
        2016,
        2025,
    ),
    (
        "van-hoa-cong-so",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        2016,
        None,
    ),
    (
        "doanh-nghiep-hoi-nhap-va-phat-trien",
        "Doanh nghiệp Việt Nam hội nhập và phát triển",
        2016,
        None,
    ),
    (
        "hoc-tap-va-lam-theo-bac",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        2016,
        None,
    ),
    ("day-manh-cai-cach-hanh-chinh", "Đẩy mạnh cải cách hành chính", 2016, None),
    ("xanh-sach-dep", "Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động", 2018, None),
]
AUTHORS = [
    "Hồng Nhung",
    "Minh Đức",
    "Thu Hà",
    "Đỗ Văn Lâm",
    "Ngọc Ánh",
    "Lê Văn Hùng",
    "Phạm Thị Lan",
]
TAGS = [
    "thi đua",
    "khen thưởng",
    "chuyển đổi số",
    "doanh nghiệp",
    "Đoàn thanh niên",
    "công đoàn",
    "an toàn lao động",
    "môi trường",
    "đầu tư",
    "cải cách hành chính",
    "hội nghị",
    "tập huấn",
]
SUBJECTS = [
    "Ban Quản lý các KCN",
    "Công đoàn cơ sở",
    "Chi đoàn thanh niên",
    "Các doanh nghiệp KCN Thanh Bình",
    "Chi bộ Ban Quản lý",
    "Phòng Quản lý doanh nghiệp",
    "Văn phòng Ban",
]
VERBS = [
    "tổ chức hội nghị",
    "triển khai kế hoạch",
    "phát động phong trào",
    "sơ kết công tác",
    "tổng kết phong trào",
    "kiểm tra công tác",
    "tập huấn nghiệp vụ",
    "ký kết giao ước thi đua",
]
TOPICS = [
    "thi đua khen thưởng",
    "chuyển đổi số",
    "an toàn vệ sinh lao động",
    "bảo vệ môi trường",
    "cải cách hành chính",
    "xây dựng nông thôn mới",
    "văn hóa công sở",
    "thu hút đầu tư",
]
SENTENCES = [
    "Hội nghị đã đánh giá kết quả đạt được, chỉ ra những tồn tại, hạn chế và đề ra giải pháp trong thời gian tới.",
    "Các đơn vị thống nhất tiếp tục đẩy mạnh ứng dụng công nghệ thông tin, nâng cao chất lượng phục vụ doanh nghiệp.",
    "Phong trào nhận được sự hưởng ứng tích cực của công chức, viên chức và người lao động trong Ban.",
    "Nhiều sáng kiến, cách làm hay đã được ghi nhận, biểu dương và nhân rộng trong toàn cơ quan.",
    "Đoàn kiểm tra đề nghị doanh nghiệp khắc phục ngay những tồn tại và báo cáo kết quả trước thời hạn.",
    "Dịp này, Ban Quản lý các KCN đã trao giấy khen cho các tập thể, cá nhân có thành tích xuất sắc.",
    "Lãnh đạo Ban yêu cầu các phòng, đơn vị bám sát kế hoạch, phân công rõ người, rõ việc, rõ thời hạn.",
    "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn đạt trên 98%, không có hồ sơ quá hạn.",
]


def pinned_slug(title: str, seen: set[str]) -> str:
    """The slug ``invoke new`` would pin: bounded to 80 characters at a word
    boundary (long titles that differ only at the end get -2, -3…)."""
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
    from bulletin.content.vietnamese import bounded_slug, unique_slug  # noqa: PLC0415

    return unique_slug(bounded_slug(title), seen)


def write_corpus(out: Path, articles: int, seed: int = 7, first_year: int = 2016) -> Path:
    rng = random.Random(seed)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "pages").mkdir(parents=True)
    registry = []
    for slug, name, start, end in MOVEMENTS:
        registry.append(
            f'[{slug}]\nname = "{name}"\nstart = {start}\n' + (f"end = {end}\n" if end else "")
        )
    (content / "movements.toml").write_text("\n".join(registry), encoding="utf-8")
    for title, slug in (("Giới thiệu", "gioi-thieu"), ("Liên hệ", "lien-he")):
        (content / "pages" / f"{slug}.md").write_text(
            f"Title: {title}\nSlug: {slug}\n\nNội dung trang {title.lower()}.\n", encoding="utf-8"
        )
    seen = set()
    for index in range(articles):
        year = first_year + index * 10 // articles
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(7, 16), rng.randint(0, 59)
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} về {rng.choice(TOPICS)} năm {year} (số {index + 1})"
        slug = pinned_slug(title, seen)
        seen.add(slug)
        movements = rng.sample(MOVEMENTS, rng.choice([1, 1, 2]))
        body = "\n\n".join(
            " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(3, 6))
        )
        text = (
            f"Title: {title}\n"
            f"Date: {year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}\n"
            f"Author: {', '.join(rng.sample(AUTHORS, rng.choice([1, 1, 1, 2])))}\n"
            f"Movement: {', '.join(m[0] if rng.random() < 0.5 else m[1] for m in movements)}\n"
            f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}\n"
            f"Summary: {rng.choice(SENTENCES)}\n"
            f"Slug: {slug}\n\n{body}\n"
        )
        folder = content / "articles" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    return content


def add_photos(content: Path, count: int, store: Path) -> list[Path]:
    """Give ``count`` phone photos to the archive's articles (one or two each,
    spread over the years), made once into ``store`` and hard-linked; returns
    the articles that got photos."""
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import ORIENTATIONS, write_photo  # noqa: PLC0415

    store.mkdir(parents=True, exist_ok=True)
    names = [store / f"anh-{n + 1:04d}.jpg" for n in range(count)]
    missing = [
        (str(p), 9_000 + n, ORIENTATIONS[n % len(ORIENTATIONS)])
        for n, p in enumerate(names)
        if not p.exists()
    ]
    if missing:
        with ProcessPoolExecutor() as pool:
            list(pool.map(write_photo, *zip(*missing, strict=True)))
    articles = sorted((content / "articles").rglob("*.md"))
    step = max(1, len(articles) * 2 // max(1, count))
    photos = iter(names)
    given, illustrated = 0, []
    for article in articles[::step]:
        if given >= count:
            break
        own = [next(photos) for _ in range(min(2, count - given))]
        given += len(own)
        illustrated.append(article)
        folder = article.parent / "anh" / article.stem
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for photo in own:
            os.link(photo, folder / photo.name)
            lines.append(
                f'![Ảnh hoạt động {photo.stem}](anh/{article.stem}/{photo.name} "Ảnh {photo.stem}")'
            )
        head, _, body = article.read_text(encoding="utf-8").partition("\n\n")
        article.write_text(f"{head}\n\n" + "\n\n".join(lines) + f"\n\n{body}", encoding="utf-8")
    return illustrated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(write_corpus(args.out, args.articles, args.seed))


if __name__ == "__main__":
    main()
