"""Helpers for the budgets tests."""

from __future__ import annotations

import re

MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}
HOSTS = {"host"}


def text(response) -> str:
    """The page's visible words, tags stripped and spaces collapsed, for assertions on what people read."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
