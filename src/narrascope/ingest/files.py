"""Reading documents from local files and folders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from narrascope.errors import InputError
from narrascope.ingest.extract import html_to_document, parse_date
from narrascope.model import Document

SUPPORTED = {".txt", ".md", ".html", ".htm", ".jsonl"}
_JSONL_KEYS = ("id", "title", "url", "published", "source", "language")


def iter_paths(path: Path) -> Iterator[Path]:
    """The file itself, or every supported file under a folder, in a stable order."""
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith("."):
                yield p
    else:
        yield path


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(
            name, "looks like a binary file (it contains NUL bytes); give .txt, .md, .html or "
            ".jsonl text files"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            name,
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-encode "
            "it as UTF-8, e.g. `iconv -f cp1251 -t utf-8`",
        ) from exc


def _html_charset_decode(data: bytes, name: str) -> str:
    """HTML may declare its own charset; honour it before insisting on UTF-8."""
    head = data[:2048].decode("ascii", errors="ignore").lower()
    marker = head.find("charset=")
    if marker >= 0:
        charset = head[marker + 8 :].strip("\"' ").split('"')[0].split("'")[0].split(";")[0]
        charset = charset.split(">")[0].strip().rstrip("/").strip()
        if charset and charset not in ("utf-8", "utf8"):
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
    return _decode(data, name)


def read_file(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Documents in one file; a bad file or line is yielded as an InputError, never raised."""
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            raise InputError(name, "no such file or folder")
        if suffix not in SUPPORTED:
            raise InputError(
                name, f"unsupported file type {suffix or '(none)'}; give "
                + ", ".join(sorted(SUPPORTED)) + " files or a folder of them"
            )
        size = path.stat().st_size
        if suffix != ".jsonl" and size > max_bytes:
            raise InputError(
                name, f"is {size:,} bytes, over the limit of {max_bytes:,}; split it or raise "
                "--max-bytes"
            )
        if size == 0:
            raise InputError(name, "is empty")
        if suffix == ".jsonl":
            yield from _read_jsonl(path, max_bytes)
            return
        data = path.read_bytes()
        if suffix in (".html", ".htm"):
            yield html_to_document(_html_charset_decode(data, name), origin=name)
        else:
            text = _decode(data, name)
            yield Document(text=text, origin=name, title=_markdown_title(text, suffix))
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(name, f"cannot be read: {exc.strerror or exc}")


def _markdown_title(text: str, suffix: str) -> str | None:
    if suffix != ".md":
        return None
    first = text.lstrip().split("\n", 1)[0]
    return first.lstrip("#").strip() or None if first.startswith("#") else None


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield InputError(where, f"line is {len(raw):,} bytes, over the limit of "
                                 f"{max_bytes:,}; raise --max-bytes")
                continue
            try:
                yield jsonl_record(_decode(raw, where), where)
            except InputError as exc:
                yield exc


def jsonl_record(line: str, where: str) -> Document:
    """One JSON Lines record (DESIGN.md's documents file) as a Document."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise InputError(where, "each line must be a JSON object with a \"text\" field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "missing or empty \"text\" field (a non-empty string)")
    for key in _JSONL_KEYS:
        if obj.get(key) is not None and not isinstance(obj[key], str | int):
            raise InputError(where, f"field {key!r} must be a string")
    return Document(
        text=text,
        origin=where,
        external_id=str(obj["id"]) if obj.get("id") is not None else None,
        title=obj.get("title"),
        url=obj.get("url"),
        published=parse_date(obj.get("published"), where),
        source=obj.get("source"),
        language=obj.get("language"),
    )
