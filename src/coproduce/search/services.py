"""Keeping the index in step with the modules: each module tells `registry.search_changed(kind, pks)` after it
writes, and the registry calls `search_reindex` (this module's hook) once the transaction has committed.

The index is derived data, written by no person: its writes are not audited (the change that caused them
is), and a failure to index never undoes or fails that change (it is logged, and `coproduce search reindex`
rebuilds everything)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import transaction

from coproduce.core import registry
from coproduce.core.registry import SearchDocument

from .models import Document
from .query import clean_text

log = logging.getLogger(__name__)

BATCH = 500
# More changed objects than this at once (a whole space's ideas) are indexed in the task queue.
INLINE_LIMIT = 200


def owner_of(kind: str) -> registry.ModuleManifest | None:
    for manifest in registry.manifests():
        if kind in manifest.search_kinds and manifest.search_documents is not None:
            return manifest
    return None


def known_kinds() -> list[str]:
    """Every kind an installed module offers, in the order the modules are installed."""
    found: list[str] = []
    for manifest in registry.manifests():
        if manifest.search_documents is not None:
            found.extend(k for k in manifest.search_kinds if k not in found)
    return found


def _row(doc: SearchDocument) -> Document:
    return Document(
        kind=doc.kind,
        object_id=doc.pk,
        title=clean_text(doc.title)[:300],
        body=clean_text(doc.body),
        url=doc.url[:500],
        space_id=doc.space_id,
        public=doc.public,
        when=doc.when,
        place=(doc.place or "")[:120],
        stages="," + ",".join(doc.stages) + "," if doc.stages else "",
    )


_FIELDS = ["title", "body", "url", "space_id", "public", "when", "place", "stages", "indexed_at"]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@transaction.atomic
def _upsert(kind: str, docs: list[SearchDocument]) -> set[int]:
    rows = [_row(d) for d in docs if d.kind == kind]
    existing = dict(
        Document.objects.filter(kind=kind, object_id__in=[r.object_id for r in rows]).values_list(
            "object_id", "pk"
        )
    )
    from django.utils import timezone

    now = timezone.now()
    changed, new = [], []
    for row in rows:
        row.indexed_at = now
        if row.object_id in existing:
            row.pk = existing[row.object_id]
            changed.append(row)
        else:
            new.append(row)
    Document.objects.bulk_update(changed, _FIELDS, batch_size=BATCH)
    Document.objects.bulk_create(new, batch_size=BATCH)
    return {r.object_id for r in rows}


def documents_reindex(kind: str, pks: Sequence[int] | None) -> int:
    """Ask the module that owns `kind` for these objects (None: all of them) and make the index say the same:
    the documents it gives are added or updated, the others of these objects (hidden, deleted, made
    unlisted) are removed. Returns how many documents it gave."""
    manifest = owner_of(kind)
    if manifest is None or manifest.search_documents is None:
        # Its module is gone: nothing of that kind may be found any more.
        Document.objects.filter(kind=kind).delete()
        return 0
    given: set[int] = set()
    wanted = None if pks is None else list(pks)
    for batch in _chunks(manifest.search_documents(kind, wanted), BATCH):
        given |= _upsert(kind, batch)
    if wanted is None:
        stale = set(Document.objects.filter(kind=kind).values_list("object_id", flat=True)) - given
    else:
        stale = set(wanted) - given
    for chunk in _chunks(sorted(stale), BATCH):
        Document.objects.filter(kind=kind, object_id__in=chunk).delete()
    return len(given)


def search_reindex(kind: str, pks: Sequence[int] | None) -> None:
    """The `search_reindex` hook: a few objects now, many (or all) in the task queue."""
    try:
        if pks is None or len(pks) > INLINE_LIMIT:
            from .tasks import reindex_kind

            reindex_kind(kind, None if pks is None else list(pks))
        else:
            documents_reindex(kind, pks)
    except Exception:  # the write that changed them has committed; the next full reindex mends the index
        log.exception("Could not index %s %s", kind, list(pks or [])[:20])


def reindex_all(kind: str | None = None) -> dict[str, int]:
    """Rebuild the whole index (or one kind), batch by batch; kinds no module offers any more are removed."""
    kinds = [kind] if kind else known_kinds()
    counts = {k: documents_reindex(k, None) for k in kinds}
    if not kind:
        Document.objects.exclude(kind__in=kinds).delete()
    return counts
