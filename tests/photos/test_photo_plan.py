"""The photo plan's pure rules (bulletin.photos.plan): input → expected."""

from __future__ import annotations

import pytest

from bulletin.photos.plan import (
    DEFAULTS,
    PhotoInfo,
    PipelineSettings,
    crop_size,
    displayed_size,
    fit_long_side,
    plan_photo,
    responsive_sizes,
)


@pytest.mark.parametrize(
    ("stored", "orientation", "shown"),
    [
        ((4000, 3000), 1, (4000, 3000)),
        ((4000, 3000), 3, (4000, 3000)),
        ((4000, 3000), 6, (3000, 4000)),
        ((4000, 3000), 8, (3000, 4000)),
        ((4000, 3000), 5, (3000, 4000)),
    ],
)
def test_displayed_size_follows_exif_orientation(stored, orientation, shown):
    assert displayed_size(stored, orientation) == shown


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((4000, 3000), ((480, 360), (960, 720), (1600, 1200))),
        ((3000, 4000), ((480, 640), (960, 1280), (1600, 2133))),
        ((1200, 900), ((480, 360), (960, 720), (1200, 900))),
        ((960, 540), ((480, 270), (960, 540))),
        ((300, 200), ((300, 200),)),
    ],
)
def test_responsive_sizes_never_upscale(size, expected):
    assert responsive_sizes(size, (480, 960, 1600)) == expected


@pytest.mark.parametrize(
    ("size", "target", "expected"),
    [
        ((4000, 3000), (480, 320), (480, 320)),
        ((3000, 4000), (1200, 630), (1200, 630)),
        ((300, 200), (480, 320), (300, 200)),
        ((300, 200), (1200, 630), (300, 158)),
        ((1000, 3000), (1200, 630), (1000, 525)),
    ],
)
def test_crops_fill_their_frame_and_never_upscale(size, target, expected):
    assert crop_size(size, target) == expected


@pytest.mark.parametrize(
    ("size", "long_side", "expected"),
    [
        ((4000, 3000), 2048, (2048, 1536)),
        ((3000, 4000), 2048, (1536, 2048)),
        ((800, 600), 2048, (800, 600)),
    ],
)
def test_fit_long_side(size, long_side, expected):
    assert fit_long_side(size, long_side) == expected


@pytest.mark.parametrize(
    ("photo", "expected"),
    [
        # 4000 px: half scale gives 2000 px, within 5 % of 2048: decode at ½.
        (("JPEG", (4000, 3000), 1, 0.05), (2, (2000, 1500), (2000, 1500))),
        # Turned by EXIF: the request stays in stored orientation.
        (("JPEG", (4000, 3000), 6, 0.05), (2, (1500, 2000), (2000, 1500))),
        # An exact 2048 px large version needs the full-scale decode.
        (("JPEG", (4000, 3000), 1, 0.0), (1, (2048, 1536), None)),
        (("JPEG", (8000, 6000), 1, 0.05), (4, (2000, 1500), (2000, 1500))),
        (("JPEG", (6000, 4000), 1, 0.05), (2, (2048, 1365), (3000, 2000))),
        # Half of 3000 px is too small for the 1600 px derivative.
        (("JPEG", (3000, 2000), 1, 0.05), (1, (2048, 1365), None)),
        (("JPEG", (1200, 900), 1, 0.05), (1, (1200, 900), None)),
        # Only JPEG decoders scale while decoding.
        (("PNG", (4000, 3000), 1, 0.05), (1, (2048, 1536), None)),
    ],
)
def test_draft_scale_and_large_size(photo, expected):
    """(format, stored size, orientation, tolerance) → (scale, large, draft request)."""
    fmt, stored, orientation, tolerance = photo
    plan = plan_photo(
        PhotoInfo("0" * 64, fmt, stored, orientation), PipelineSettings(large_tolerance=tolerance)
    )
    assert (plan.draft_scale, plan.large, plan.draft_request) == expected


def test_portrait_plan_and_derivative_names():
    plan = plan_photo(PhotoInfo("ab" * 32, "JPEG", (4000, 3000), 6), PipelineSettings())
    assert plan.size == (3000, 4000)
    assert plan.default == (960, 1280)
    assert [d.name for d in plan.derivatives("body")] == [
        "480.webp",
        "480.jpg",
        "960.webp",
        "960.jpg",
        "1500.webp",
        "1500.jpg",  # the large version too: a 1600 px wide portrait would be taller
    ]
    assert [d.name for d in plan.derivatives("cover")] == [
        "480x320.jpg",
        "960x640.jpg",
        "1200x630.jpg",
    ]
    assert plan.file_name("doc", plan.derivatives("body")[0]) == f"doc-{plan.key[:8]}-480.webp"


def test_a_tiny_photo_has_only_its_own_size():
    plan = plan_photo(PhotoInfo("cd" * 32, "JPEG", (300, 200), 1), PipelineSettings())
    assert [d.name for d in plan.derivatives("body")] == ["300.webp", "300.jpg"]
    assert [d.name for d in plan.derivatives("cover")] == ["300x200.jpg", "300x158.jpg"]


def test_cache_key_changes_with_bytes_and_settings_only():
    info = PhotoInfo("ab" * 32, "JPEG", (4000, 3000), 6)
    base = plan_photo(info, PipelineSettings()).key
    assert plan_photo(info, PipelineSettings()).key == base  # no path, no time involved
    for changed in [
        PipelineSettings(jpeg_quality=70),
        PipelineSettings(webp_quality=90),
        PipelineSettings(widths=(480, 1200)),
        PipelineSettings(formats=("avif", "webp")),
        PipelineSettings(large=1600),
    ]:
        assert plan_photo(info, changed).key != base
    assert plan_photo(PhotoInfo("ef" * 32, "JPEG", (4000, 3000), 6), PipelineSettings()).key != base


def test_the_settings_defaults_are_the_pipelines_own():
    settings = {**DEFAULTS, "PHOTO_FORMATS": list(DEFAULTS["PHOTO_FORMATS"])}
    assert PipelineSettings.from_settings(settings) == PipelineSettings()
