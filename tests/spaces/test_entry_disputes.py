"""What was written with help from a facilitator is marked wherever it is shown, and the person it was
written for (and only they) can say it is wrong: the hosts are told, and it is in the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from tests.api_client import Api

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.core.registry import ModuleManifest
from coproduce.ideas import services as idea_services
from coproduce.meetings import services as meeting_services
from coproduce.notifications.models import Notification
from coproduce.notifications.services import notify
from coproduce.spaces import services
from coproduce.spaces.models import EntryDispute

from ..ideas.helpers import text
from ..meetings.conftest import when

MARK = "written with help from a facilitator"


@pytest.fixture
def helped(space, practitioner):
    """Pat has an account and asked to be helped in person in the space."""
    services.help_consent_set(actor=practitioner, space=space, accepts=True)
    return practitioner


@pytest.fixture
def written_for_pat(space, facilitator, helped):
    return idea_services.idea_create(
        actor=facilitator,
        space=space,
        title="A bench by the door",
        body="Somewhere to wait.",
        on_behalf_of=helped,
    )


@pytest.fixture
def notify_hook():
    """The notifications module's "notify" hook (being added to its manifest), standing in as the real
    service, so that what the hosts are told is checked against the real kinds."""
    registry.register(
        ModuleManifest(name="notify-test", label="", description="", stages=(), hooks={"notify": notify})
    )
    yield
    registry.unregister("notify-test")


def _event(idea):
    return AuditEvent.objects.get(action="idea.created", target_id=idea.pk)


# --- The marks ---------------------------------------------------------------------------------------


def test_an_idea_and_a_comment_written_for_someone_are_marked(
    client_for, space, facilitator, member, helped, written_for_pat
):
    assert written_for_pat.entered_by == facilitator
    idea_services.comment_create(
        actor=facilitator, idea=written_for_pat, body="Yes please.", on_behalf_of=helped
    )
    own = idea_services.idea_create(actor=member, space=space, title="My own", body="Written by me.")
    assert own.entered_by is None
    page = text(client_for(member).get(reverse("ideas:detail", args=[space.slug, written_for_pat.pk])))
    assert page.count(MARK) == 2  # the idea and the comment
    assert MARK not in text(client_for(member).get(reverse("ideas:detail", args=[space.slug, own.pk])))


def test_an_agenda_item_written_for_someone_is_marked(client_for, space, facilitator, member, helped):
    meeting = meeting_services.meeting_create(
        actor=facilitator, space=space, title="Workshop", format="in_person", place_name="Hall", **when()
    )
    item = meeting_services.agenda_item_propose(
        actor=facilitator, meeting=meeting, title="Buses", on_behalf_of=helped
    )
    assert item.entered_by == facilitator
    page = text(client_for(member).get(meeting.get_absolute_url()))
    assert MARK in page


def test_the_persons_own_page_marks_each_entry_and_offers_to_dispute_it(client_for, helped, written_for_pat):
    page = text(client_for(helped).get(reverse("people:on_my_behalf")))
    assert MARK in page and "Say it is wrong" in page


# --- Disputing -----------------------------------------------------------------------------------------


def test_the_person_disputes_an_entry_and_the_hosts_are_told(
    client_for, space, host, facilitator, helped, written_for_pat, notify_hook
):
    event = _event(written_for_pat)
    client = client_for(helped)
    address = reverse("people:entry_dispute", args=[event.pk])
    assert "A bench by the door" in text(client.get(address))
    response = client.post(address, {"text": "I asked for a ramp, not a bench."})
    assert response.status_code == 302
    dispute = EntryDispute.objects.get()
    assert (dispute.person, dispute.event, dispute.space) == (helped, event, space)
    told = Notification.objects.filter(kind="entry_disputed")
    assert [n.recipient for n in told] == [host]  # the hosts, not the facilitator who wrote it
    assert told[0].text == "I asked for a ramp, not a bench."
    logged = AuditEvent.objects.get(action="help.entry_disputed")
    assert logged.actor == helped and logged.space == space and "A bench by the door" in logged.summary
    # The list now says it was disputed, and the page shows what they said instead of a second form.
    assert "You said it is wrong" in text(client.get(reverse("people:on_my_behalf")))
    again = client.post(address, {"text": "Again"})
    assert again.status_code == 200 and EntryDispute.objects.count() == 1


def test_without_the_notify_hook_the_dispute_is_still_recorded(monkeypatch, helped, written_for_pat):
    monkeypatch.setattr(registry, "hook", lambda name: None)  # a site without the notifications module
    services.entry_dispute(actor=helped, event=_event(written_for_pat), text="Wrong")
    assert EntryDispute.objects.count() == 1
    assert not Notification.objects.filter(kind="entry_disputed").exists()


def test_nobody_else_can_dispute_it(client_for, facilitator, host, member, outsider, written_for_pat):
    event = _event(written_for_pat)
    for person in (facilitator, host, member, outsider):
        response = client_for(person).post(reverse("people:entry_dispute", args=[event.pk]), {"text": "No"})
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            services.entry_dispute(actor=person, event=event, text="No")
    assert client_for(None).get(reverse("people:entry_dispute", args=[event.pk])).status_code == 302
    assert not EntryDispute.objects.exists()


def test_a_dispute_needs_words_and_keeps_the_form(client_for, helped, written_for_pat):
    event = _event(written_for_pat)
    response = client_for(helped).post(reverse("people:entry_dispute", args=[event.pk]), {"text": "  "})
    assert response.status_code == 400
    assert "Say what is wrong" in text(response)
    assert not EntryDispute.objects.exists()


def test_the_database_keeps_one_dispute_per_entry_and_person(helped, written_for_pat):
    event = _event(written_for_pat)
    EntryDispute.objects.create(event=event, person=helped, text="Wrong")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryDispute.objects.create(event=event, person=helped, text="Wrong again")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryDispute.objects.create(event=_event(written_for_pat), person=helped, text="")


def test_the_api_lists_my_entries_and_disputes_one(helped, member, host, written_for_pat, notify_hook):
    event = _event(written_for_pat)
    mine = Api(helped).get("/me/on-my-behalf")
    assert mine.status_code == 200
    assert [e["id"] for e in mine.json()] == [event.pk] and mine.json()[0]["disputed"] is False
    assert Api(member).get("/me/on-my-behalf").json() == []
    assert Api(member).post(f"/me/on-my-behalf/{event.pk}/dispute", {"text": "No"}).status_code == 404
    created = Api(helped).post(f"/me/on-my-behalf/{event.pk}/dispute", {"text": "Not what I said"})
    assert created.status_code == 201 and created.json()["event"] == event.pk
    assert Api(helped).get("/me/on-my-behalf").json()[0]["disputed"] is True
    twice = Api(helped).post(f"/me/on-my-behalf/{event.pk}/dispute", {"text": "Again"})
    assert twice.status_code == 422 and "already said" in str(twice.json())
    assert Notification.objects.filter(kind="entry_disputed", recipient=host).count() == 1
    assert Api(None).get("/me/on-my-behalf").status_code == 401
