"""One rule in one place: each rule lives in meetings/access.py, and the page and the API answer it the same way
(the same refusal, nothing written). Where they disagreed before, the stricter rule is the one kept."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from tests.api_client import Api

from coproduce.core import registry
from coproduce.meetings import access, services
from coproduce.meetings.models import AgendaItem, Decision, Meeting, Registration
from coproduce.notifications import access as notification_access

from ..ideas.helpers import html, text


def url(name, meeting, *extra):
    return reverse(f"meetings:{name}", args=[meeting.space.slug, meeting.pk, *extra])


def minutes_of(response, item) -> str | None:
    return next(i["minutes"] for i in response.json() if i["id"] == item.pk)


def after(meeting, hours: float = 1):
    return time_machine.travel(meeting.starts_at + dt.timedelta(hours=hours))


@pytest.fixture
def published(meeting, member, practitioner, facilitator):
    """The meeting with "Opening hours" on its published agenda and "Parking" left off."""
    item = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    parking = services.agenda_item_propose(actor=practitioner, meeting=meeting, title="Parking")
    services.agenda_item_leave_off(actor=facilitator, item=parking, reason="Not ours to decide")
    services.agenda_publish(actor=facilitator, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, AgendaItem.objects.get(pk=item.pk), AgendaItem.objects.get(pk=parking.pk)


# --- Recording decisions ------------------------------------------------------------------------


def test_decisions_are_recorded_by_facilitators_once_the_meeting_has_started(
    client_for, published, facilitator, member
):
    meeting, _item, _parking = published
    body = {"text": "Open on Thursdays"}
    early_page = client_for(facilitator).post(url("decision_create", meeting), body)
    early_api = Api(facilitator).post(f"/meetings/{meeting.pk}/decisions", body)
    assert early_page.status_code == 400 and "has not started yet" in html(early_page)
    assert early_api.status_code == 422 and "has not started yet" in early_api.content.decode()
    with after(meeting):
        assert client_for(member).post(url("decision_create", meeting), body).status_code == 403
        assert Api(member).post(f"/meetings/{meeting.pk}/decisions", body).status_code == 403
        assert "Record a decision" not in text(client_for(member).get(meeting.get_absolute_url()))
        assert "Record a decision" in text(client_for(facilitator).get(meeting.get_absolute_url()))
    assert not Decision.objects.exists()
    assert access.can_record_decision(facilitator, meeting).reason == "The meeting has not started yet."


def test_a_decision_is_about_an_item_on_the_published_agenda(client_for, published, facilitator):
    """The page offered only items on the agenda; the API took any item of the meeting. Now neither does."""
    meeting, item, parking = published
    with after(meeting):
        page = client_for(facilitator).post(
            url("decision_create", meeting), {"text": "No parking", "agenda_item": parking.pk}
        )
        api = Api(facilitator).post(
            f"/meetings/{meeting.pk}/decisions", {"text": "No parking", "agenda_item": parking.pk}
        )
        assert page.status_code == 400 and "agenda_item" in page.context["form"].errors
        assert api.status_code == 422 and "agenda_item" in api.json()["detail"]
        assert not Decision.objects.exists()
        made = Api(facilitator).post(
            f"/meetings/{meeting.pk}/decisions", {"text": "Yes", "agenda_item": item.pk}
        )
    assert made.status_code == 201


def test_once_attendance_is_confirmed_only_the_people_there_have_a_voice(
    client_for, published, facilitator, member, practitioner
):
    """The page listed only the people who came; the API took any member. Now neither does."""
    meeting, _item, _parking = published
    with after(meeting):
        services.attendance_confirm(actor=facilitator, meeting=meeting, people=[member])
        form = html(client_for(facilitator).get(url("decision_create", meeting)))
        assert f"stance_{member.pk}" in form and f"stance_{practitioner.pk}" not in form
        api = Api(facilitator).post(
            f"/meetings/{meeting.pk}/decisions",
            {"text": "Open", "voices": [{"person_id": practitioner.pk, "stance": "agree"}]},
        )
        assert api.status_code == 422 and "was not at this meeting" in api.content.decode()
        assert not Decision.objects.exists()
        page = client_for(facilitator).post(
            url("decision_create", meeting), {"text": "Open", f"stance_{member.pk}": "agree"}
        )
    assert page.status_code == 302 and Decision.objects.get().voices.get().user == member


# --- Minutes ------------------------------------------------------------------------------------


def test_minutes_are_written_once_the_meeting_has_started(client_for, published, facilitator, member):
    """The page offered to write them only once the meeting had started; the services took them before."""
    meeting, item, _parking = published
    page = client_for(facilitator).post(url("minutes", meeting, item.pk), {"minutes": "Too early"})
    api = Api(facilitator).put(f"/agenda/{item.pk}/minutes", {"minutes": "Too early"})
    assert page.status_code == 400 and "once the meeting has started" in html(page)
    assert api.status_code == 422 and "once the meeting has started" in api.content.decode()
    assert "Write the minutes" not in text(client_for(facilitator).get(meeting.get_absolute_url()))
    with after(meeting):
        assert (
            client_for(member).post(url("minutes", meeting, item.pk), {"minutes": "Mine"}).status_code == 403
        )
        assert Api(member).put(f"/agenda/{item.pk}/minutes", {"minutes": "Mine"}).status_code == 403
        assert AgendaItem.objects.get(pk=item.pk).minutes == ""
        assert (
            client_for(facilitator)
            .post(url("minutes", meeting, item.pk), {"minutes": "Thursdays"})
            .status_code
            == 302
        )
        assert "Write the minutes" not in text(client_for(facilitator).get(meeting.get_absolute_url()))
        assert "Change the minutes" in text(client_for(facilitator).get(meeting.get_absolute_url()))


@pytest.mark.parametrize("persona_name", ["anonymous", "outsider", "member"])
def test_minutes_are_read_by_whoever_may_see_the_decisions(
    persona_name, persona, client_for, published, private_meeting, facilitator, member
):
    meeting, item, _parking = published
    private_item = services.agenda_item_propose(actor=member, meeting=private_meeting, title="Quiet room")
    services.agenda_publish(actor=facilitator, meeting=private_meeting)
    private_item = AgendaItem.objects.get(pk=private_item.pk)
    with after(meeting, hours=24 * 30):
        services.minutes_record(actor=facilitator, item=item, minutes="We talked about Thursdays.")
        services.minutes_record(actor=facilitator, item=private_item, minutes="Only for us.")
    viewer = persona(persona_name)
    assert "We talked about Thursdays." in text(client_for(viewer).get(meeting.get_absolute_url()))
    assert minutes_of(Api(viewer).get(f"/meetings/{meeting.pk}/agenda"), item) == "We talked about Thursdays."
    private_page = client_for(viewer).get(private_meeting.get_absolute_url())
    private_api = Api(viewer).get(f"/meetings/{private_meeting.pk}/agenda")
    if persona_name == "member":
        assert (
            "Only for us." in text(private_page) and minutes_of(private_api, private_item) == "Only for us."
        )
    else:
        assert private_page.status_code == 404 and private_api.status_code == 404


# --- Editing the agenda -------------------------------------------------------------------------


def test_the_agenda_changes_only_while_it_is_open(client_for, published, member, facilitator):
    meeting, item, _parking = published
    page = client_for(member).post(url("propose", meeting), {"title": "Late idea"}, follow=True)
    api = Api(member).post(f"/meetings/{meeting.pk}/agenda", {"title": "Late idea"})
    assert "The agenda is already published." in text(page)
    assert api.status_code == 422 and "The agenda is already published." in api.content.decode()
    assert not AgendaItem.objects.filter(title="Late idea").exists()
    assert "Propose an item" not in text(client_for(member).get(meeting.get_absolute_url()))
    again = Api(facilitator).post(f"/meetings/{meeting.pk}/agenda/publish")
    assert again.status_code == 422 and "already published" in again.content.decode()


def test_only_facilitators_leave_items_off(client_for, meeting, member, practitioner, facilitator):
    item = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    assert (
        client_for(practitioner).post(url("leave_off", meeting, item.pk), {"reason": "No"}).status_code == 403
    )
    assert Api(practitioner).post(f"/agenda/{item.pk}/leave-off", {"reason": "No"}).status_code == 403
    assert "Leave off" not in text(client_for(practitioner).get(meeting.get_absolute_url()))
    assert "Leave off" in text(client_for(facilitator).get(meeting.get_absolute_url()))
    assert AgendaItem.objects.get(pk=item.pk).status == "proposed"


# --- Registrations and the meeting itself -------------------------------------------------------


def test_nobody_registers_for_or_cancels_a_meeting_that_has_started(client_for, meeting, member, facilitator):
    """Cancelling: the page offered it only before the meeting; the API cancelled one under way."""
    with after(meeting):
        page = client_for(member).post(url("register", meeting), {}, follow=True)
        api = Api(member).post(f"/meetings/{meeting.pk}/registration", {})
        assert "This meeting has already started." in text(page)
        assert api.status_code == 422 and "already started" in api.content.decode()
        assert not Registration.objects.exists()
        cancel_page = client_for(facilitator).post(url("cancel", meeting), {"reason": "Rain"})
        cancel_api = Api(facilitator).post(f"/meetings/{meeting.pk}/cancel", {"reason": "Rain"})
        assert cancel_page.status_code == 400 and "can no longer be cancelled" in html(cancel_page)
        assert cancel_api.status_code == 422 and "can no longer be cancelled" in cancel_api.content.decode()
        assert "Cancel the meeting" not in text(client_for(facilitator).get(meeting.get_absolute_url()))
    assert not Meeting.objects.get(pk=meeting.pk).is_cancelled


def test_who_is_coming_is_for_facilitators_and_a_place_is_cancelled_by_its_person(
    client_for, meeting, member, practitioner, facilitator
):
    services.registration_create(actor=member, meeting=meeting, access_needs="Hearing loop")
    assert client_for(practitioner).get(url("registrations", meeting)).status_code == 403
    assert Api(practitioner).get(f"/meetings/{meeting.pk}/registrations").status_code == 403
    assert client_for(practitioner).post(url("unregister", meeting)).status_code == 404  # has no place
    assert Api(practitioner).delete(f"/meetings/{meeting.pk}/registration").status_code == 404
    assert Registration.objects.get().status == "registered"
    assert Api(member).delete(f"/meetings/{meeting.pk}/registration").status_code == 204
    again = client_for(member).post(url("unregister", meeting), follow=True)
    assert "already cancelled" in text(again)


# --- One notification path -----------------------------------------------------------------------


def test_people_taking_part_with_help_hear_about_a_cancelled_meeting_through_their_facilitators(
    meeting, host, facilitator, member, margaret, mailoutbox, tasks_now, django_capture_on_commit_callbacks
):
    """Before, the meeting emails dropped them; now the one recipient rule applies."""
    services.registration_create(actor=facilitator, meeting=meeting, on_behalf_of=margaret)
    services.registration_create(actor=member, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=facilitator, meeting=meeting, reason="The hall flooded")
    assert [m.to for m in mailoutbox] == [[member.email]]  # sent once, to the one with an email address
    helped = notification_access.helped_notifications_for(host)
    # Margaret is also told that the facilitator registered her (see test_telling.py).
    assert {(n.recipient, n.kind) for n in helped} == {
        (margaret, "meeting_cancelled"),
        (margaret, "acted_on_your_behalf"),
    }
    told = helped.get(kind="meeting_cancelled")
    assert (told.kind, told.text, told.url) == (
        "meeting_cancelled",
        "The hall flooded",
        meeting.get_absolute_url(),
    )


# --- What other modules see of a decision --------------------------------------------------------


def test_a_decision_is_published_as_a_source_with_the_meetings_rule(
    private_meeting, facilitator, member, outsider
):
    with after(private_meeting):
        decision = services.decision_record(actor=facilitator, meeting=private_meeting, text="Meet monthly")
    found = registry.source("meetings.decision", member, decision.pk)
    assert (found.title, found.space_id, found.ready) == ("Meet monthly", private_meeting.space_id, True)
    assert found.url == f"{private_meeting.get_absolute_url()}#decision-{decision.pk}"
    from django.http import Http404

    with pytest.raises(Http404):
        registry.source("meetings.decision", outsider, decision.pk)


def test_the_meeting_page_offers_what_other_modules_make_of_a_decision(
    client_for, meeting, facilitator, member
):
    with after(meeting):
        decision = services.decision_record(actor=facilitator, meeting=meeting, text="Write to the council")
    make = reverse("actions:from_decision", args=[meeting.space.slug, decision.pk])
    page = html(client_for(facilitator).get(meeting.get_absolute_url()))
    assert f'<a href="{make}">Make it an action</a>' in page
    assert make not in html(client_for(member).get(meeting.get_absolute_url()))
    assert make not in html(client_for(None).get(meeting.get_absolute_url()))
