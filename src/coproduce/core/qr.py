"""QR codes as inline SVG (segno), so that a page or a printed sheet can carry a link a phone camera opens."""

from __future__ import annotations

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, label: str, scale: int = 5) -> SafeString:
    """An inline `<svg>` of `data` as a QR code. `label` is its text alternative (the SVG's role="img" name
    and <title>): say what it opens, since a screen reader cannot scan it. Dark on white with the standard
    quiet zone of four modules, medium error correction so a creased or smudged printout still scans."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=scale, border=4, dark="#000", light="#fff", title=label, svgclass="qr")
    # segno escapes the title itself; the accessible name is added the same way, escaped here.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308
