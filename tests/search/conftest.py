"""Fixtures for search: a stand-in module with synthetic kinds (`notes`), registered with the registry, and
huey run at once in memory."""

from __future__ import annotations

import datetime as dt

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, SearchDocument
from coproduce.search.services import documents_reindex

KIND, OTHER = "testkit.note", "testkit.tool"


class Notes:
    """What the stand-in module offers: edit `docs`, then `changed(...)` as a real module's service would."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, int], SearchDocument] = {}

    def documents(self, kind: str, pks):
        for (k, pk), doc in sorted(self.docs.items()):
            if k == kind and (pks is None or pk in pks):
                yield doc

    def add(self, pk: int, title: str, body: str = "", *, kind: str = KIND, **extra) -> SearchDocument:
        doc = SearchDocument(kind=kind, pk=pk, title=title, body=body, url=f"/notes/{pk}/", **extra)
        self.docs[(kind, pk)] = doc
        documents_reindex(kind, [pk])
        return doc

    def remove(self, pk: int, *, kind: str = KIND) -> None:
        self.docs.pop((kind, pk), None)
        documents_reindex(kind, [pk])


@pytest.fixture(autouse=True)
def tasks_now():
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("search-test")
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


@pytest.fixture
def notes(db):
    found = Notes()
    registry.register(
        ModuleManifest(
            name="testkit",
            label="Test kit",
            description="Synthetic documents for the search tests.",
            stages=(),
            search_documents=found.documents,
            search_kinds=(KIND, OTHER),
        )
    )
    yield found
    registry.unregister("testkit")


def day(n: int) -> dt.datetime:
    return dt.datetime(2026, 3, n, 12, tzinfo=dt.UTC)
