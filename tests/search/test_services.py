"""Keeping the index in step: the reindex hook adds, updates and removes; spaces and ideas tell it after they
commit; the management command rebuilds everything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coproduce.core import registry
from coproduce.ideas import services as idea_services
from coproduce.search.models import Document
from coproduce.search.query import search
from coproduce.search.services import INLINE_LIMIT, reindex_all, search_reindex
from coproduce.spaces import services as space_services

from .conftest import KIND, OTHER


def test_the_hook_adds_updates_and_removes(notes):
    from coproduce.core.registry import SearchDocument

    notes.docs[(KIND, 1)] = SearchDocument(kind=KIND, pk=1, title="First", body="", url="/1/")
    notes.docs[(KIND, 2)] = SearchDocument(kind=KIND, pk=2, title="Second", body="", url="/2/")
    search_reindex(KIND, [1, 2])
    assert set(Document.objects.values_list("title", flat=True)) == {"First", "Second"}
    notes.docs[(KIND, 1)] = SearchDocument(kind=KIND, pk=1, title="First, changed", body="", url="/1/")
    del notes.docs[(KIND, 2)]  # hidden, deleted or made unlisted: its module no longer gives it
    search_reindex(KIND, [1, 2])
    assert list(Document.objects.values_list("object_id", "title")) == [(1, "First, changed")]


def test_the_registry_calls_the_hook_after_commit(notes, django_capture_on_commit_callbacks, outsider):
    from coproduce.core.registry import SearchDocument

    notes.docs[(KIND, 5)] = SearchDocument(kind=KIND, pk=5, title="Orchard", body="", url="/5/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registry.search_changed(KIND, [5])
    assert not Document.objects.exists() and len(callbacks) == 1
    callbacks[0]()
    assert [h.object_id for h in search(outsider, "orchard").hits] == [5]


def test_many_changes_go_through_the_task_queue(notes, tasks_now):
    from coproduce.core.registry import SearchDocument

    for pk in range(INLINE_LIMIT + 5):
        notes.docs[(KIND, pk)] = SearchDocument(kind=KIND, pk=pk, title=f"Note {pk}", body="", url="/")
    search_reindex(KIND, list(range(INLINE_LIMIT + 5)))  # huey is immediate in tests
    assert Document.objects.filter(kind=KIND).count() == INLINE_LIMIT + 5
    search_reindex(KIND, None)
    assert Document.objects.filter(kind=KIND).count() == INLINE_LIMIT + 5


def test_a_failure_to_index_never_fails_the_write(notes, monkeypatch, caplog):
    def broken(kind, pks):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("coproduce.search.services.documents_reindex", broken)
    search_reindex(KIND, [1])  # logged, not raised
    assert "Could not index" in caplog.text


def test_reindex_all_rebuilds_and_drops_kinds_no_module_offers(notes, space):
    Document.objects.create(kind="gone.thing", object_id=1, title="Left over", url="/")
    notes.docs[(OTHER, 1)] = notes.add(1, "Tool", kind=OTHER)
    counts = reindex_all()
    assert counts["spaces.space"] == 1 and counts[OTHER] == 1
    assert not Document.objects.filter(kind="gone.thing").exists()
    assert Document.objects.filter(kind="spaces.space", object_id=space.pk).exists()


def test_the_command(notes, space):
    out = StringIO()
    call_command("search", "reindex", stdout=out)
    assert "spaces.space: 1 documents" in out.getvalue()
    call_command("search", "reindex", "--kind", "spaces.space", stdout=out)
    with pytest.raises(CommandError):
        call_command("search", "reindex", "--kind", "nothing.here")


def test_spaces_are_indexed_when_created_and_changed(host, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = space_services.space_create(
            actor=host, title="Community transport", purpose="Volunteers drive neighbours.", place="Paisley"
        )
    (hit,) = search(outsider, "volunteering").hits
    assert (hit.kind, hit.object_id, hit.place, hit.url) == (
        "spaces.space",
        created.pk,
        "Paisley",
        created.get_absolute_url(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        space_services.space_update(actor=host, space=created, purpose="Buses for everyone.")
    assert search(outsider, "volunteering").total == 0 and search(outsider, "buses").total == 1
    stage = created.stages.get(kind="co_design")
    with django_capture_on_commit_callbacks(execute=True):
        space_services.stage_update(actor=host, stage=stage, status="open")
    assert Document.objects.get(kind="spaces.space", object_id=created.pk).stages == ",co_design,"


def test_ideas_are_indexed_when_posted_and_edited(
    space, member, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_services.idea_create(
            actor=member, space=space, title="Evening opening", body="Open till nine."
        )
    (hit,) = search(outsider, "evenings").hits
    assert (hit.kind, hit.object_id, hit.url) == ("ideas.idea", idea.pk, idea.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_update(actor=member, idea=idea, title="Weekend opening", body="Saturdays too.")
    assert search(outsider, "evening").total == 0 and search(outsider, "saturday").total == 1


def test_ideas_of_a_private_space_are_for_its_members(
    private_space, member, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_create(
            actor=member, space=private_space, title="Quiet room", body="Somewhere to sit."
        )
    assert search(outsider, "quiet").total == 0
    assert search(member, "quiet").total == 1
