"""The timebank API at /api/v1/timebank/: the same access rules and services as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["timebank"])
