"""Background tasks (huey): reindexing many objects at once, away from the request that changed them."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=1, retry_delay=30)
def reindex_kind(kind: str, pks: list[int] | None) -> int:
    from .services import documents_reindex

    return documents_reindex(kind, pks)
