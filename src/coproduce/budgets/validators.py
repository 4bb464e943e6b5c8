"""Checks on uploaded project images.

Pillow is not a dependency, so an image is checked by its name, its size and its first bytes (the signature
every PNG, JPEG, GIF and WebP file starts with) rather than decoded. Images are served with their own content
type and `X-Content-Type-Options: nosniff`, so a file that only pretends to be an image is never run as a page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}


def _looks_like(extension: str, head: bytes) -> bool:
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return False


def validate_project_image(file) -> None:
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CONTENT_TYPES:
        raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."), code="image_type")
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is too large: the limit is 5 MB."), code="image_size")
    if getattr(file, "_committed", False):
        return  # already stored and checked when it was uploaded
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(12)
    file.seek(position)
    if not _looks_like(extension, head):
        raise ValidationError(
            _("This file is not a %(kind)s image.") % {"kind": extension.upper()}, code="image_type"
        )


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
