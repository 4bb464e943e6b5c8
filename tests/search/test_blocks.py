"""Blocks: a person who blocked someone, or whom they blocked, is not found by them in the search (page,
API, counts), and is found again once unblocked. Asked through `ModuleManifest.search_hidden`."""

from __future__ import annotations

import pytest
from tests.conftest import make_person

from coproduce.core import registry
from coproduce.directory import services as directory
from coproduce.search.query import search

KIND = "directory.person"


@pytest.fixture
def ann(db, django_capture_on_commit_callbacks):
    person = make_person("Ann Allotment")
    with django_capture_on_commit_callbacks(execute=True):  # the listing is indexed after the commit
        directory.listing_save(actor=person, intro="Allotment mentor.", skills="growing", place="Paisley")
    return person


@pytest.fixture
def bob(db, django_capture_on_commit_callbacks):
    person = make_person("Bob Allotment")
    with django_capture_on_commit_callbacks(execute=True):
        directory.listing_save(actor=person, intro="Allotment beginner.", place="Paisley")
    return person


@pytest.fixture
def viewer(db):
    return make_person("Val Viewer")


def people(user) -> set[int]:
    results = search(user, "allotment")
    return {hit.object_id for hit in results.hits if hit.kind == KIND}


def test_the_blocker_is_not_found_by_the_blocked_until_unblocked(ann, bob, viewer):
    assert people(viewer) == {ann.pk, bob.pk}
    directory.block_add(actor=ann, person=viewer)
    assert people(viewer) == {bob.pk}
    assert search(viewer, "allotment").counts == {KIND: 1}
    assert people(bob) == {ann.pk, bob.pk}  # nobody else is touched
    directory.block_remove(actor=ann, person=viewer)
    assert people(viewer) == {ann.pk, bob.pk}


def test_whom_one_blocked_is_not_found_either(ann, bob, viewer):
    directory.block_add(actor=viewer, person=bob)
    assert people(viewer) == {ann.pk}
    assert people(bob) == {ann.pk, bob.pk} - {viewer.pk}


def test_one_query_per_kind_for_the_hidden(ann, viewer, django_assert_num_queries):
    directory.block_add(actor=ann, person=viewer)
    manifest = next(m for m in registry.manifests() if m.name == "directory")
    assert manifest.search_hidden is not None
    with django_assert_num_queries(1):
        assert set(manifest.search_hidden(viewer, KIND)) == {ann.pk}
    assert set(manifest.search_hidden(viewer, "ideas.idea")) == set()


def test_page_and_api(ann, bob, viewer, client_for, api_for):
    directory.block_add(actor=ann, person=viewer)
    text = client_for(viewer).get("/search/", {"q": "allotment"}).content.decode()
    assert "Bob <mark>Allotment</mark>" in text and "Ann <mark>" not in text
    body = api_for(viewer).get("/search?q=allotment").json()
    assert {hit["id"] for hit in body["results"]} == {bob.pk} and body["total"] == 1
    directory.block_remove(actor=ann, person=viewer)
    text = client_for(viewer).get("/search/", {"q": "allotment"}).content.decode()
    assert "Ann <mark>Allotment</mark>" in text
    assert api_for(viewer).get("/search?q=allotment").json()["total"] == 2
