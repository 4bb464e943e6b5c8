"""Helpers shared by the ideas, meetings and actions tests."""

from __future__ import annotations

import re


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's visible words, tags stripped and spaces collapsed, for assertions on what people read."""
    return " ".join(re.sub(r"<[^>]+>", " ", html(response)).split())
