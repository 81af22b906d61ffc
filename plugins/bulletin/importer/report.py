"""The import's report, in Vietnamese: what was imported, what was not and why.

One line per old address: its old URL and its new file, or the reason it
was skipped; the photos and files that could not be fetched; the articles
that need an editor to choose a movement. :meth:`Report.markdown` is what
``invoke import`` prints and saves (``cache/import-report.md``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Entry:
    old: str  # the old address
    new: str = ""  # the new file, relative to the project
    reason: str = ""  # why it was skipped
    notes: list[str] = field(default_factory=list)
    photos: int = 0
    documents: int = 0
    needs_movement: bool = False


@dataclass
class Report:
    dry_run: bool = False
    sources: list[str] = field(default_factory=list)
    imported: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)
    broken_files: list[str] = field(default_factory=list)  # "url (in file) — reason"
    attachments: list[str] = field(default_factory=list)  # downloaded files, for the register
    seconds: float = 0.0
    requests: int = 0
    left: int = 0  # items not looked at: --limit was reached

    def add(self, entry: Entry) -> None:
        (self.skipped if entry.reason else self.imported).append(entry)

    @property
    def photos(self) -> int:
        return sum(entry.photos for entry in self.imported)

    @property
    def documents(self) -> int:
        return sum(entry.documents for entry in self.imported)

    @property
    def needing_movement(self) -> list[Entry]:
        return [entry for entry in self.imported if entry.needs_movement]

    def summary_lines(self) -> list[str]:
        verb = "Sẽ nhập" if self.dry_run else "Đã nhập"
        photos = "ảnh sẽ tải" if self.dry_run else "ảnh"
        reasons = Counter(_reason_kind(entry.reason) for entry in self.skipped)
        why = "; ".join(f"{count} {kind}" for kind, count in reasons.most_common())
        lines = [
            f"{verb}: {len(self.imported)} bài, {self.photos} {photos}, "
            f"{self.documents} tệp đính kèm",
            f"Bỏ qua: {len(self.skipped)}" + (f" ({why})" if why else ""),
            f"Cần chọn phong trào: {len(self.needing_movement)}",
        ]
        if self.left:
            lines.append(
                f"Dừng ở giới hạn --limit {len(self.imported)}: còn {self.left} mục chưa xem "
                "(chạy lại để nhập tiếp)"
            )
        if self.broken_files:
            lines.append(f"Ảnh, tệp không tải được: {len(self.broken_files)}")
        if self.failed_sources:
            lines.append(f"Nguồn không đọc được: {len(self.failed_sources)}")
        if self.seconds:
            rate = (len(self.imported) + len(self.skipped)) / self.seconds
            lines.append(
                f"Thời gian: {self.seconds:.1f} giây, {self.requests} yêu cầu HTTP "
                f"({rate:.1f} mục/giây)"
            )
        return lines

    def markdown(self) -> str:
        title = "Báo cáo chuyển dữ liệu" + (" (chạy thử, chưa ghi gì)" if self.dry_run else "")
        out = [f"# {title}", ""]
        out += [f"- Nguồn: {source}" for source in self.sources]
        out += [f"- {line}" for line in self.summary_lines()]
        if self.failed_sources:
            out += ["", "## Nguồn không đọc được", ""]
            out += [f"- {line}" for line in self.failed_sources]
        if self.needing_movement:
            out += ["", "## Cần chọn phong trào (trường Movement)", ""]
            out += [f"- {e.old} → {e.new}" for e in self.needing_movement]
        verb = "Sẽ nhập" if self.dry_run else "Đã nhập"
        if self.imported:
            out += ["", f"## {verb}", ""]
            for entry in self.imported:
                extra = []
                if entry.photos:
                    extra.append(f"{entry.photos} ảnh")
                if entry.documents:
                    extra.append(f"{entry.documents} tệp đính kèm")
                extra += entry.notes
                tail = f" ({'; '.join(extra)})" if extra else ""
                out.append(f"- {entry.old} → {entry.new}{tail}")
        if self.skipped:
            out += ["", "## Bỏ qua", ""]
            out += [f"- {entry.old} — {entry.reason}" for entry in self.skipped]
        if self.attachments:
            out += ["", "## Tệp đính kèm đã tải: nên đưa vào sổ văn bản (content/van-ban/)", ""]
            out.append(
                "Văn bản của cơ quan (kế hoạch, quyết định…) nên có mục riêng trong sổ văn bản, "
                "với số hiệu, ngày ban hành, cơ quan ban hành; bài viết khi đó ghi Documents: "
                "<số hiệu> (README, phần văn bản)."
            )
            out.append("")
            out += [f"- {line}" for line in self.attachments]
        if self.broken_files:
            out += ["", "## Ảnh, tệp không tải được", ""]
            out += [f"- {line}" for line in self.broken_files]
        return "\n".join(out) + "\n"


def _reason_kind(reason: str) -> str:
    """A short family for the summary line ("không tìm thấy (404)" → itself)."""
    return re.split(r":| content/| \(đã thử", reason, maxsplit=1)[0].strip()
