"""Pagefind bundles made byte-for-byte reproducible: filters in a stable order.

Pagefind 1.5.2 writes each filter's values, and the list of filters in its
metadata file, in the order of a Rust ``HashMap`` — random per run. With two
filters (the search page's "Phong trào" and "Năm") two builds of the same
pages wrote different ``filter/*.pf_filter`` files, hence a different
``pagefind.*.pf_meta`` and ``pagefind-entry.json``: an incremental build was
no longer byte-identical to a clean one and every publication re-uploaded
the index. Upstream fixed it after 1.5.2 (Pagefind PR #1124, "completion of
deterministic output": values and filters sorted before encoding; not in a
release yet); :func:`stabilise_bundle` applies the same order to a bundle
Pagefind has just written — values by value, filters and sorts by name — and
names the rewritten files with Pagefind's own hash (SHA-1 of the CBOR, each
byte in unpadded hex, shortened as it does): the names are the ones Pagefind
will give once it sorts them itself, and a bundle already stabilised is left
as it is.

The files are gzip of ``pagefind_dcd`` + CBOR (minicbor: definite lengths,
smallest integer forms). :func:`decode`/:func:`encode` cover the subset
Pagefind writes; a file they cannot write back to the same bytes stops the
build (:class:`UnknownFormatError`) rather than let a changed format be rewritten
wrong.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os

SIGNATURE = b"pagefind_dcd"
# pf_meta fields (pagefind/src/index/index_metadata.rs, MetaIndex).
META_FILTERS, META_SORTS = 3, 4
FILTER_HASH_LENGTH, META_HASH_LENGTH = 7, 8  # hex digits after "<lang>_", plus len(lang) for meta


class UnknownFormatError(ValueError):
    """A Pagefind file this module does not know how to write back."""


def decode(data: bytes):
    """The CBOR item ``data`` holds (unsigned integers, text, arrays only)."""
    item, end = _item(data, 0)
    if end != len(data):
        raise UnknownFormatError(f"{len(data) - end} byte(s) after the item")
    return item


def _item(data: bytes, at: int):
    if at >= len(data):
        raise UnknownFormatError("truncated")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise UnknownFormatError("truncated")
        value = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise UnknownFormatError(f"CBOR additional information {info}")
    if major == 0:
        return value, at
    if major == 3:
        if at + value > len(data):
            raise UnknownFormatError("truncated")
        return data[at : at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    raise UnknownFormatError(f"CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise UnknownFormatError(f"integer {value} too large")


def encode(item) -> bytes:
    """``item`` as minicbor writes it: definite lengths, smallest heads."""
    if isinstance(item, bool) or not isinstance(item, (int, str, list)):
        raise UnknownFormatError(f"cannot encode {type(item).__name__}")
    if isinstance(item, int):
        return _head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(item)) + b"".join(encode(each) for each in item)


def pagefind_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1, each byte as ``{:x?}`` (no zero padding)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def packed(body: bytes) -> bytes:
    """The file's bytes: our own gzip, reproducible (no time, zlib level 9) —
    Pagefind's (flate2) is not byte-equal to it, so every filter and metadata
    file is written by one compressor."""
    return gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)


def read(path: str) -> tuple[object, bytes, bytes]:
    """The file's CBOR item, its body and its bytes on disk."""
    with open(path, "rb") as file:
        stored = file.read()
    raw = gzip.decompress(stored)
    if not raw.startswith(SIGNATURE):
        raise UnknownFormatError(f"{path}: no Pagefind signature")
    body = raw[len(SIGNATURE) :]
    item = decode(body)
    if encode(item) != body:
        raise UnknownFormatError(f"{path}: not written back byte for byte")
    return item, body, stored


def write(path: str, body: bytes) -> None:
    """Written whole under a temporary name, then renamed into place."""
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as file:
        file.write(packed(body))
    os.replace(temporary, path)


def stable_filter(item) -> list:
    """A filter file's ``[name, [[value, pages], …]]`` with its values sorted."""
    name, values = item
    return [name, sorted(values, key=lambda value: value[0])]


def _short(full: str, length: int, taken: set[str]) -> str:
    """Pagefind's collision rule: lengthen the name until it is free."""
    short = full[:length]
    while short in taken and len(short) < len(full):
        short = full[: len(short) + 1]
    return short


def stabilise_language(bundle: str, language: str, meta_hash: str) -> str:
    """Sort one language's filters and metadata; returns its (new) meta hash."""
    meta_path = os.path.join(bundle, f"pagefind.{meta_hash}.pf_meta")
    meta, _, meta_stored = read(meta_path)
    if not isinstance(meta, list) or len(meta) <= META_SORTS:
        raise UnknownFormatError(f"{meta_path}: unexpected metadata")
    filters, taken, renamed = [], set(), {}
    for name, old in sorted(meta[META_FILTERS], key=lambda entry: entry[0]):
        old_path = os.path.join(bundle, "filter", f"{old}.pf_filter")
        item, _, stored = read(old_path)
        stable = encode(stable_filter(item))
        new = _short(
            f"{language}_{pagefind_hash(stable)}", len(language) + 1 + FILTER_HASH_LENGTH, taken
        )
        taken.add(new)
        filters.append([name, new])
        if (new, packed(stable)) != (old, stored):
            renamed[old_path] = (os.path.join(bundle, "filter", f"{new}.pf_filter"), stable)
    for new_path, stable in renamed.values():
        write(new_path, stable)
    kept = {new_path for new_path, _ in renamed.values()}
    for old_path in renamed:
        if old_path not in kept:
            os.remove(old_path)
    meta = [
        *meta[:META_FILTERS],
        filters,
        sorted(meta[META_SORTS], key=lambda sort: sort[0]),
        *meta[META_SORTS + 1 :],
    ]
    body = encode(meta)
    if packed(body) == meta_stored:
        return meta_hash
    new_hash = f"{language}_{pagefind_hash(body)[: len(language) + META_HASH_LENGTH]}"
    write(os.path.join(bundle, f"pagefind.{new_hash}.pf_meta"), body)
    if new_hash != meta_hash:
        os.remove(meta_path)
    return new_hash


def stabilise_bundle(bundle: str) -> bool:
    """Put the Pagefind bundle in ``bundle`` in a stable order; True if a file changed."""
    entry_path = os.path.join(bundle, "pagefind-entry.json")
    with open(entry_path, encoding="utf-8") as file:
        text = file.read()
    changed = False
    for language, about in sorted(json.loads(text).get("languages", {}).items()):
        old = about["hash"]
        new = stabilise_language(bundle, language, old)
        if new != old:
            # The hash is quoted once in the entry; serde's own spacing is kept.
            text = text.replace(json.dumps(old), json.dumps(new), 1)
            changed = True
    if changed:
        temporary = f"{entry_path}.tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, entry_path)
    return changed
