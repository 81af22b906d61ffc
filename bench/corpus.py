"""Deterministic photo corpus: N articles sharing P phone photos of 4000×3000.

``python bench/corpus.py OUT --articles 12 --photos 18 [--seed 3]`` writes
``OUT/content/`` in the project's content model: ``movements.toml``, two
pages, ``articles/<year>/<slug>.md`` and, beside them, ``anh/<slug>/*.jpg``.
Photo *j* belongs to article *j mod N*; every photo carries EXIF Orientation
(1, 6 or 8), GPS coordinates, maker, model and serial number, like a phone's.

The pictures are camera-like rather than noise: a sky-to-ground gradient,
hundreds of shapes, texture at several scales and fine sensor grain, saved at
JPEG quality 92 (3–5 MB each; pure noise would be unrealistically large, flat
colour unrealistically small). Same seed, same bytes: the noise comes from
``random.Random``, not Pillow's unseeded ``effect_noise``.
"""

from __future__ import annotations

import argparse
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
VERSION = 2  # bump when the pictures change: a kept corpus is then made again
SIZE = (4000, 3000)
ORIENTATIONS = (1, 6, 8, 1, 6)  # phones are held upright more often than not
MOVEMENTS = {
    "thi-dua-phat-trien-kinh-te-xa-hoi": "Thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế",
    "bac-kan-day-manh-chuyen-doi-so": "Bắc Kạn đẩy mạnh chuyển đổi số",
}
SENTENCES = [
    "Hội nghị đã đánh giá kết quả đạt được và đề ra giải pháp trong thời gian tới.",
    "Các doanh nghiệp trong Khu công nghiệp Thanh Bình hưởng ứng tích cực phong trào.",
    "Đoàn kiểm tra đề nghị đơn vị khắc phục ngay những tồn tại đã chỉ ra.",
    "Dịp này, Ban Quản lý đã trao giấy khen cho các tập thể, cá nhân có thành tích xuất sắc.",
    "Công chức, viên chức và người lao động thi đua thực hiện tốt văn hóa công sở.",
]


def noise(rng: random.Random, size: tuple[int, int], amplitude: int) -> Image.Image:
    """Seeded uniform noise around 128, ±amplitude."""
    grain = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return grain.point(lambda v: 128 + (v - 128) * amplitude // 128)


def texture(rng: random.Random, size, octaves) -> Image.Image:
    """Noise at several scales, each smoothed up to full size: leaves, fabric, walls."""
    result = None
    for scale, amplitude in octaves:
        layer = noise(rng, (max(1, size[0] // scale), max(1, size[1] // scale)), amplitude)
        if scale > 1:
            layer = layer.resize(size, Image.Resampling.BICUBIC)
        result = layer if result is None else ImageChops.add(result, layer, 1.0, -128)
    return result


def picture(seed: int, size=SIZE) -> Image.Image:
    rng = random.Random(seed)
    width, height = size
    horizon = rng.randint(height // 3, 2 * height // 3)
    sky = Image.linear_gradient("L").resize((width, horizon), Image.Resampling.BILINEAR)
    top = [rng.randint(120, 220) for _ in range(3)]
    low = [rng.randint(150, 240) for _ in range(3)]
    channels = [
        sky.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in zip(top, low, strict=True)
    ]
    image = Image.new("RGB", size)
    image.paste(Image.merge("RGB", channels), (0, 0))
    ground = [rng.randint(40, 120) for _ in range(3)]
    image.paste(tuple(ground), (0, horizon, width, height))
    draw = ImageDraw.Draw(image)
    for _ in range(400):  # buildings, people, trees: mostly small, a few large
        x, y = rng.randrange(-200, width), rng.randrange(horizon - 900, height)
        w, h = int(rng.paretovariate(1.5) * 40), int(rng.paretovariate(1.5) * 60)
        colour = tuple(min(255, max(0, c + rng.randint(-70, 70))) for c in ground)
        kind = rng.random()
        if kind < 0.5:
            draw.rectangle([x, y, x + w, y + h], fill=colour)
        elif kind < 0.85:
            draw.ellipse([x, y, x + w, y + h], fill=colour)
        else:
            end = (x + rng.randint(-400, 400), y + rng.randint(-400, 400))
            draw.line([(x, y), end], fill=colour, width=rng.randint(2, 12))
    image = image.filter(ImageFilter.GaussianBlur(1.2))  # a lens is never perfectly sharp
    # Natural scenes have about a 1/f spectrum (less contrast at finer
    # scales); the sensor adds grain at the pixel level on top.
    luma = texture(rng, size, [(48, 40), (12, 20), (3, 10), (1, 18)])
    chroma = [texture(rng, size, [(64, 22), (16, 10)]) for _ in range(3)]
    grain = Image.merge("RGB", [ImageChops.add(luma, c, 1.0, -128) for c in chroma])
    textured = ImageChops.add(image, grain, 1.0, -128)
    mask = Image.new("L", size, 255)
    mask.paste(70, (0, 0, width, max(0, horizon - 300)))  # the sky is smoother
    return Image.composite(textured, image, mask)


def phone_exif(seed: int, orientation: int) -> Image.Exif:
    rng = random.Random(seed)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Samsung"
    exif[0x0110] = "Galaxy A54"
    exif.get_ifd(0x8769)[0xA431] = f"R58W{rng.randrange(10**8):08d}"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "N", "E"
    gps[2] = (22.0, float(rng.randint(0, 59)), round(rng.uniform(0, 59), 2))
    gps[4] = (105.0, float(rng.randint(0, 59)), round(rng.uniform(0, 59), 2))
    return exif


def write_photo(path: str, seed: int, orientation: int) -> int:
    picture(seed).save(path, "JPEG", quality=92, exif=phone_exif(seed, orientation))
    return Path(path).stat().st_size


def write_corpus(out: Path, articles: int, photos: int, seed: int = 3, workers=None) -> Path:
    """Write the corpus into ``out/content`` (once: a finished corpus is reused)."""
    content = out / "content"
    done = out / "complete"
    if done.exists():
        return content
    rng = random.Random(seed)
    (content / "pages").mkdir(parents=True, exist_ok=True)
    registry = [f'[{slug}]\nname = "{name}"\nstart = 2020\n' for slug, name in MOVEMENTS.items()]
    (content / "movements.toml").write_text("\n".join(registry), encoding="utf-8")
    for title, slug in (("Giới thiệu", "gioi-thieu"), ("Liên hệ", "lien-he")):
        (content / "pages" / f"{slug}.md").write_text(
            f"Title: {title}\nSlug: {slug}\n\nNội dung trang {title.lower()}.\n", encoding="utf-8"
        )
    photo_jobs = []
    for index in range(articles):
        year = 2020 + index * 5 // max(1, articles)
        slug = f"tin-anh-so-{index + 1:04d}"
        folder = content / "articles" / str(year)
        own = list(range(index, photos, articles))
        paragraphs = [
            " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(3, 5))
        ]
        body = []
        for position, paragraph in enumerate(paragraphs):
            body.append(paragraph)
            # One photo after each paragraph; the rest after the last one.
            mine = (
                own[position : position + 1] if position < len(paragraphs) - 1 else own[position:]
            )
            for number in mine:
                name = f"anh-{number + 1:03d}.jpg"
                alt, caption = f"Ảnh hoạt động số {number + 1}", f"Ảnh minh họa {number + 1}"
                body.append(f'![{alt}](anh/{slug}/{name} "{caption}")')
                orientation = ORIENTATIONS[number % len(ORIENTATIONS)]
                photo_jobs.append(
                    (str(folder / "anh" / slug / name), seed * 100_000 + number, orientation)
                )
        (folder / "anh" / slug).mkdir(parents=True, exist_ok=True)
        movement = rng.choice(list(MOVEMENTS))
        header = (
            f"Title: Tin ảnh số {index + 1}: hoạt động của Ban Quản lý các KCN\n"
            f"Date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 08:{index % 60:02d}\n"
            f"Author: Hồng Nhung\nMovement: {movement}\nSlug: {slug}\n\n"
        )
        (folder / f"{slug}.md").write_text(header + "\n\n".join(body) + "\n", encoding="utf-8")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        sizes = list(pool.map(write_photo, *zip(*photo_jobs, strict=True)))
    done.write_text(f"{len(sizes)} photos, {sum(sizes) / len(sizes) / 1e6:.1f} MB each\n")
    return content


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--photos", type=int, default=18)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    content = write_corpus(args.out, args.articles, args.photos, args.seed)
    print(f"{content}: {(args.out / 'complete').read_text().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
