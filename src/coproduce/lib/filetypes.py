"""What an uploaded file is, from its content (never its name), and safe names to store it under.

`sniff(stream)` reads the first bytes (and for zips, the members' names and the OpenDocument `mimetype`
entry) and says which accepted type it is, or what it looks like instead. `claimed(name)` is the type a
file's name says it is, only to write a plain refusal ("This file is not a PDF: it looks like HTML.").
`safe_name(name)` keeps letters, digits and dashes of the name's last part, so no path or odd character
reaches the storage. Plain Python: no Django.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any, Protocol, cast


class Readable(Protocol):
    """A seekable binary file: an open file, BytesIO, or an upload."""

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> Any: ...


@dataclass(frozen=True)
class FileType:
    key: str  # "pdf", "docx", "odt", "png", "jpeg", "gif", "webp"
    label: str  # in a sentence: "a PDF", "a Word document"
    content_type: str  # what the file is served as
    extension: str


PDF = FileType("pdf", "a PDF", "application/pdf", "pdf")
DOCX = FileType(
    "docx",
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
ODT = FileType("odt", "an OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
PNG = FileType("png", "a PNG image", "image/png", "png")
JPEG = FileType("jpeg", "a JPEG image", "image/jpeg", "jpg")
GIF = FileType("gif", "a GIF image", "image/gif", "gif")
WEBP = FileType("webp", "a WebP image", "image/webp", "webp")

ACCEPTED = (PDF, DOCX, ODT, PNG, JPEG, GIF, WEBP)
BY_EXTENSION = {
    "pdf": PDF,
    "docx": DOCX,
    "odt": ODT,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "gif": GIF,
    "webp": WEBP,
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
HEAD = 512


@dataclass(frozen=True)
class Sniffed:
    """An accepted `type`, or None and what the content `looks_like` in plain words."""

    type: FileType | None
    looks_like: str = ""


def _zip_type(stream: Readable) -> Sniffed:
    try:
        with zipfile.ZipFile(cast(IO[bytes], stream)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return Sniffed(DOCX)
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return Sniffed(ODT)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return Sniffed(None, "a damaged zip archive")
    return Sniffed(None, "a zip archive that is not a Word or OpenDocument file")


def _looks_like(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return "HTML"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "an SVG image"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "HTML or XML"
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "a program"
    if head.startswith((b"#!", b"%!")):
        return "a script"
    if b"<script" in text or b"<html" in text:
        return "HTML"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a kind of file we do not accept"
    return "plain text"


def sniff(stream: Readable) -> Sniffed:
    """The accepted type of the content of `stream` (a seekable binary file), or what it looks like."""
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return Sniffed(PDF)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG)
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed(GIF)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(WEBP)
    if head.startswith(b"PK\x03\x04"):
        found = _zip_type(stream)
        stream.seek(0)
        return found
    if not head:
        return Sniffed(None, "an empty file")
    return Sniffed(None, _looks_like(head))


def claimed(name: str) -> FileType | None:
    """The accepted type the file's name says it is (by its extension), or None."""
    base = re.split(r"[\\/]", name or "")[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    return BY_EXTENSION.get(extension)


def safe_name(name: str, extension: str, *, max_length: int = 60) -> str:
    """The last part of `name` (no directories), without its extension, as lower-case ASCII words joined
    by dashes, with `extension` (the one the content says): "../../Évaluation finale.PDF" -> "evaluation-
    finale.pdf". Empty names become "file"."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return f"{(words[:max_length].strip('-') or 'file')}.{extension}"


def size_in_mb(size: int) -> str:
    """A size in megabytes as a person reads it, rounded up to a tenth, without a useless ".0": 14 MB,
    10.1 MB (so a file just over a 10 MB limit never reads "10 MB")."""
    tenths = -(-size * 10 // (1024 * 1024))
    whole, tenth = divmod(tenths, 10)
    return f"{whole}" if tenth == 0 else f"{whole}.{tenth}"
