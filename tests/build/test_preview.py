"""The live preview shows an edited article's page first, exactly as the
full build that follows writes it."""

from __future__ import annotations

from helpers import copy_fixture_site, settings_for, tree

from bulletin.build.preview import Preview

SEED = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
SEED_PAGE = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/index.html"


def preview_of(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"

    def settings():
        return settings_for(content, output, SEARCH_INDEX=False)

    preview = Preview(settings, str(output))
    assert preview.build() == 0
    return preview, content, output


def test_a_body_edit_is_shown_first_and_equals_the_full_build(tmp_path):
    preview, content, output = preview_of(tmp_path)
    source = content / SEED
    source.write_text(
        source.read_text(encoding="utf-8") + "\nĐoạn thêm xem trước.\n", encoding="utf-8"
    )
    assert preview.show_first(str(source))
    shown = (output / SEED_PAGE).read_bytes()
    assert "Đoạn thêm xem".encode() in shown  # (typogrify ties the last two words)
    before = tree(output)
    assert preview.build() == 0
    after = tree(output)
    assert after[type(next(iter(after)))(SEED_PAGE)] == shown  # the full build wrote the same page
    changed = sorted(str(name) for name in after if before.get(name) != after[name])
    # Only the feeds carry the body too, and the search's vocabulary its words.
    assert changed, "the full build changed nothing"
    assert all(name.startswith("feeds/") or name == "tim-kiem/tu-vung.txt" for name in changed), (
        changed
    )


def test_edits_that_change_other_pages_wait_for_the_full_build(tmp_path):
    preview, content, output = preview_of(tmp_path)
    source = content / SEED
    text = source.read_text(encoding="utf-8")
    # A new title shows in listings and related boxes: no shortcut.
    source.write_text(text.replace("Title: Phát động", "Title: Lễ phát động"), encoding="utf-8")
    assert not preview.show_first(str(source))
    assert b"L\xe1\xbb\x85 ph\xc3\xa1t" not in (output / SEED_PAGE).read_bytes()
    # An error: nothing shown, the full build refuses, the preview stays.
    source.write_text(
        text.replace("Date: 2023-03-09 14:59:04", "Date: 31/02/2023"), encoding="utf-8"
    )
    assert not preview.show_first(str(source))
    before = tree(output)
    preview.changed([str(source)])
    assert tree(output) == before
    # Not an article of the last build (a new file): the full build shows it.
    new = content / "articles" / "2023" / "moi.md"
    new.write_text(
        "Title: Tin mới\nDate: 2023-05-01 08:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n\nMới.\n",
        encoding="utf-8",
    )
    assert not preview.show_first(str(new))
    source.write_text(text, encoding="utf-8")
    preview.changed([str(new)])
    assert (output / "tin-tuc" / "2023" / "tin-moi" / "index.html").is_file()
