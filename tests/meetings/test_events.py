"""Network events: meetings of the network's events space with a kind. Planning with clear errors, places and
the waiting list, access needs for organisers only, the pages, filters, feeds, the hub and the search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from tests.conftest import make_person

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.meetings import access, events, services
from coproduce.meetings.models import Meeting, Registration, RegistrationStatus
from coproduce.meetings.selectors import NETWORK_EVENTS_SLUG, waiting_items
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Role, Space

from .conftest import when


def plan(actor, **extra):
    fields = {
        "event_kind": "conference",
        "title": "National co-production conference",
        "description": "Shaped by members.",
        "format": "hybrid",
        "place_name": "Glasgow City Chambers",
        "online_url": "https://meet.example.org/conf",
        "step_free": True,
        "capacity": 2,
        **when(days=20, hours=6),
    }
    fields.update(extra)
    return services.event_create(actor=actor, **fields)


@pytest.fixture
def event(admin_user):
    return plan(admin_user)


# --- Planning -------------------------------------------------------------------------------------


def test_the_first_event_makes_the_network_space_with_the_admin_as_host(admin_user):
    assert not Space.objects.filter(slug=NETWORK_EVENTS_SLUG).exists()
    meeting = plan(admin_user)
    space = meeting.space
    assert space.slug == NETWORK_EVENTS_SLUG and space.is_public
    assert space.memberships.get(user=admin_user).role == Role.HOST
    assert plan(admin_user, title="Second").space == space  # made once
    assert meeting.get_absolute_url() == f"/events/{meeting.pk}/"
    audit = AuditEvent.objects.get(action="meeting.event_created", target_id=meeting.pk)
    assert audit.actor == admin_user and audit.changes["event_kind"] == [None, "conference"]


def test_a_space_called_network_events_does_not_take_the_reserved_address(host):
    made = space_services.space_create(actor=host, title="Network events", purpose="Ours.")
    assert made.slug != NETWORK_EVENTS_SLUG


def test_an_event_that_ends_before_it_starts_is_refused_and_nothing_is_saved(admin_user):
    times = when(days=20)
    with pytest.raises(ValidationError) as error:
        plan(admin_user, starts_at=times["ends_at"], ends_at=times["starts_at"])
    assert error.value.message_dict["ends_at"] == ["The event ends before it starts. Check the end time."]
    assert not Meeting.objects.exists() and not Space.objects.filter(slug=NETWORK_EVENTS_SLUG).exists()


def test_the_database_refuses_an_event_that_ends_before_it_starts(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=event.pk).update(ends_at=event.starts_at - dt.timedelta(hours=1))


def test_the_database_refuses_an_unknown_kind(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=event.pk).update(event_kind="party")


def test_a_kind_is_needed_and_an_event_stays_an_event(admin_user, event):
    with pytest.raises(ValidationError) as error:
        plan(admin_user, event_kind="")
    assert "event_kind" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.meeting_update(actor=admin_user, meeting=event, event_kind="")
    changed = services.meeting_update(actor=admin_user, meeting=event, event_kind="masterclass")
    assert changed.event_kind == "masterclass"


def test_only_network_admins_and_the_network_space_hosts_plan_events(admin_user, host, member, event):
    with pytest.raises(PermissionDenied):
        plan(member)
    space_services._membership_add(
        actor=admin_user, space=event.space, user=host, role=Role.HOST, perspective="facilitator"
    )
    assert plan(host, title="Practice exchange", event_kind="practice_exchange").space == event.space
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=member, meeting=event, title="Mine now")


def test_an_ordinary_meeting_cannot_become_an_event(space, facilitator):
    meeting = services.meeting_create(
        actor=facilitator, space=space, title="Workshop", format="online", **when()
    )
    with pytest.raises(ValueError):
        services.meeting_update(actor=facilitator, meeting=meeting, event_kind="conference")


# --- Places and the waiting list ------------------------------------------------------------------


def test_anyone_signed_in_registers_and_the_waiting_list_is_promoted_in_order(event, outsider, member):
    third = make_person("Third Person")
    first = services.registration_create(actor=outsider, meeting=event, access_needs="Captions, please")
    second = services.registration_create(actor=member, meeting=event)
    waiting = services.registration_create(actor=third, meeting=event, access_needs="A quiet room")
    assert [first.status, second.status, waiting.status] == ["registered", "registered", "waiting"]
    services.registration_cancel(actor=member, registration=second)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert AuditEvent.objects.filter(action="meeting.registration_promoted", target_id=waiting.pk).exists()
    with pytest.raises(ValidationError):
        services.registration_create(actor=outsider, meeting=event)  # already registered


def test_nobody_registers_someone_else_for_an_event(event, admin_user, outsider):
    with pytest.raises(ValidationError) as error:
        services.registration_create(actor=admin_user, meeting=event, on_behalf_of=outsider)
    assert "on_behalf_of" in error.value.message_dict


def test_raising_the_capacity_gives_places_to_the_waiting_list(event, admin_user, outsider, member):
    people = [outsider, member, make_person("Third Person")]
    for person in people:
        services.registration_create(actor=person, meeting=event)
    services.meeting_update(actor=admin_user, meeting=event, capacity=3)
    assert Registration.objects.filter(meeting=event, status="registered").count() == 3


def test_events_reach_the_persons_home_without_membership(event, outsider):
    services.registration_create(actor=outsider, meeting=event, access_needs="Step-free")
    items = waiting_items(outsider)
    assert [i.title for i in items] == [f"Event: {event.title}"]
    assert items[0].url == f"/events/{event.pk}/" and "Step-free" in items[0].detail


# --- Access needs: organisers only ----------------------------------------------------------------


def test_access_needs_are_seen_only_by_organisers(event, admin_user, outsider, member, client_for):
    services.registration_create(actor=outsider, meeting=event, access_needs="A BSL interpreter")
    url = f"/events/{event.pk}/registrations/"
    assert client_for(member).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302  # sign in first
    page = client_for(admin_user).get(url)
    assert page.status_code == 200 and "A BSL interpreter" in page.content.decode()
    assert "1 of 1 people told us" in page.content.decode()
    detail = client_for(member).get(f"/events/{event.pk}/").content.decode()
    assert "A BSL interpreter" not in detail
    own = client_for(outsider).get(f"/events/{event.pk}/").content.decode()
    assert "A BSL interpreter" in own  # the person sees what they said
    csv = client_for(admin_user).get(f"/events/{event.pk}/registrations.csv")
    assert csv["Content-Type"].startswith("text/csv") and "A BSL interpreter" in csv.content.decode()
    assert "@" not in csv.content.decode().split("\n", 1)[1]  # never an email
    assert client_for(member).get(f"/events/{event.pk}/registrations.csv").status_code == 403


def test_the_csv_neutralises_formulas(event, admin_user, outsider, client_for):
    services.registration_create(actor=outsider, meeting=event, access_needs="=HYPERLINK(1)")
    body = client_for(admin_user).get(f"/events/{event.pk}/registrations.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


# --- Pages ----------------------------------------------------------------------------------------


def test_register_with_an_access_need_through_the_page(event, outsider, client_for):
    client = client_for(outsider)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "2 places left" in page and "Register for this event" in page
    response = client.post(f"/events/{event.pk}/register/", {"access_needs": "Captions"})
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=event, user=outsider)
    assert registration.access_needs == "Captions"
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "You are registered." in page and "meet.example.org/conf" in page
    assert client.post(f"/events/{event.pk}/unregister/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_an_over_long_access_need_keeps_the_form(event, outsider, client_for):
    response = client_for(outsider).post(f"/events/{event.pk}/register/", {"access_needs": "x" * 1001})
    assert response.status_code == 400 and not Registration.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode() or "at most 1000" in response.content.decode()


def test_anonymous_people_see_the_event_and_are_asked_to_sign_in(event, client_for):
    page = client_for(None).get(f"/events/{event.pk}/").content.decode()
    assert "Sign in to register" in page and "meet.example.org" not in page
    assert client_for(None).post(f"/events/{event.pk}/register/").status_code == 302
    assert not Registration.objects.exists()


def test_an_ordinary_meeting_is_not_an_event(space, facilitator, client_for):
    meeting = services.meeting_create(
        actor=facilitator, space=space, title="Workshop", format="online", **when()
    )
    assert client_for(facilitator).get(f"/events/{meeting.pk}/").status_code == 404


def test_the_form_keeps_what_was_typed_when_the_dates_are_backwards(admin_user, client_for):
    times = when(days=20)
    response = client_for(admin_user).post(
        "/events/new/",
        {
            "event_kind": "masterclass",
            "title": "Evaluation masterclass",
            "format": "online",
            "starts_at": times["ends_at"].strftime("%Y-%m-%dT%H:%M"),
            "ends_at": times["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The event ends before it starts. Check the end time." in body
    assert 'value="Evaluation masterclass"' in body and not Meeting.objects.exists()


def test_organisers_plan_through_the_page_and_others_may_not(admin_user, member, client_for):
    times = when(days=20)
    assert client_for(member).get("/events/new/").status_code == 403
    response = client_for(admin_user).post(
        "/events/new/",
        {
            "event_kind": "masterclass",
            "title": "Evaluation masterclass",
            "format": "online",
            "starts_at": times["starts_at"].strftime("%Y-%m-%dT%H:%M"),
            "ends_at": times["ends_at"].strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.event_kind == "masterclass" and response["Location"] == f"/events/{meeting.pk}/"
    edit = client_for(admin_user).get(f"/events/{meeting.pk}/edit/")
    assert edit.status_code == 200
    assert client_for(member).get(f"/events/{meeting.pk}/edit/").status_code == 403
    cancel = client_for(admin_user).post(f"/events/{meeting.pk}/cancel/", {"reason": "Speaker ill"})
    assert cancel.status_code == 302 and Meeting.objects.get().is_cancelled


def test_the_list_filters_by_kind_format_and_month(admin_user, client_for, django_assert_max_num_queries):
    conference = plan(admin_user)
    masterclass = plan(
        admin_user,
        event_kind="masterclass",
        title="Evaluation masterclass",
        format="online",
        place_name="",
        **when(days=50),
    )
    past = plan(admin_user, title="An exchange last month", event_kind="practice_exchange", **when(days=2))
    Meeting.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30, hours=-2),
    )
    for i in range(5):
        services.registration_create(actor=make_person(f"P {i}"), meeting=conference)
    client = client_for(None)
    with django_assert_max_num_queries(8):
        page = client.get("/events/").content.decode()
    assert conference.title in page and masterclass.title in page and past.title not in page
    assert "Full: join the waiting list" in page
    only = client.get("/events/?kind=masterclass").content.decode()
    assert masterclass.title in only and conference.title not in only
    online = client.get("/events/?format=online").content.decode()
    assert masterclass.title in online and conference.title not in online
    month = timezone.localtime(conference.starts_at).strftime("%Y-%m")
    in_month = client.get(f"/events/?month={month}").content.decode()
    assert conference.title in in_month
    assert client.get("/events/?month=not-a-month&kind=party").status_code == 200
    past_page = client.get("/events/?when=past").content.decode()
    assert past.title in past_page and conference.title not in past_page


# --- Feeds, hub, search, "help shape this event" --------------------------------------------------


def test_the_calendar_feeds(event, outsider, client_for):
    feed = client_for(None).get("/events/calendar.ics")
    body = feed.content.decode()
    assert (
        feed["Content-Type"].startswith("text/calendar")
        and "SUMMARY:National co-production conference" in body
    )
    assert "meet.example.org" not in body  # the link is for people registered
    single = client_for(None).get(f"/events/{event.pk}/event.ics").content.decode()
    assert single.count("BEGIN:VEVENT") == 1 and "meet.example.org" not in single
    services.registration_create(actor=outsider, meeting=event)
    mine = client_for(outsider).get(f"/events/{event.pk}/event.ics").content.decode()
    assert "meet.example.org/conf" in mine


def test_the_hub_section_and_search_documents(event, admin_user, monkeypatch):
    section = events.hub_section(None)
    assert section.title == "Coming events" and section.order == 20 and section.url == "/events/"
    assert [r.title for r in section.rows] == [event.title]
    docs = events.search_documents("meetings.event", None)
    assert [(d.pk, d.public, d.space_id) for d in docs] == [(event.pk, True, event.space_id)]
    assert events.search_documents("hub.post", None) == []
    told = []
    monkeypatch.setattr(registry, "search_changed", lambda kind, pks: told.append((kind, list(pks))))
    services.meeting_update(actor=admin_user, meeting=event, title="Renamed")
    services.meeting_cancel(actor=admin_user, meeting=event, reason="Venue closed")
    assert told == [("meetings.event", [event.pk])] * 2
    assert events.search_documents("meetings.event", [event.pk]) == []  # cancelled: not found


def test_search_is_told_when_an_event_is_planned(admin_user, monkeypatch):
    told = []
    monkeypatch.setattr(registry, "search_changed", lambda kind, pks: told.append((kind, list(pks))))
    meeting = plan(admin_user)
    # The first event also makes the network's events space, which the search is told about too.
    assert told == [("spaces.space", [meeting.space_id]), ("meetings.event", [meeting.pk])]


def test_help_shape_this_event_through_a_survey(event, admin_user, outsider, client_for):
    from coproduce.surveys import services as survey_services
    from coproduce.surveys.models import Survey

    page = client_for(admin_user).get(f"/events/{event.pk}/").content.decode()
    create = f"/spaces/{event.space.slug}/surveys/new/?event={event.pk}"
    assert create.replace("&", "&amp;") in page or create in page
    assert (
        "Ask people to help shape this event"
        not in client_for(outsider).get(f"/events/{event.pk}/").content.decode()
    )
    form = client_for(admin_user).get(create).content.decode()
    assert "Help shape: National co-production conference" in form
    response = client_for(admin_user).post(
        create,
        {
            "title": "Help shape the conference",
            "anonymous": "1",
            "audience": "public",
            "results_to": "public",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.source_event_id == event.pk
    survey_services.question_add(
        actor=admin_user,
        survey=survey,
        section=survey.sections.get(),
        kind="text",
        text="What should we cover?",
    )
    survey_services.survey_set_status(actor=admin_user, survey=survey, status="open")
    page = client_for(outsider).get(f"/events/{event.pk}/").content.decode()
    assert "Help shape this event: answer a few questions" in page and survey.get_absolute_url() in page


def test_a_survey_cannot_shape_another_spaces_event(event, space, host):
    from coproduce.surveys import services as survey_services

    with pytest.raises(ValidationError):
        survey_services.survey_create(actor=host, space=space, title="Sneaky", source_event_id=event.pk)


def test_access_rules_for_events(event, admin_user, outsider, member):
    assert access.is_facilitator(admin_user, event) and not access.is_facilitator(member, event)
    assert access.can_register(outsider, event)
    assert not access.can_register(type("Anon", (), {"is_authenticated": False, "is_active": False})(), event)


def test_the_meeting_address_of_an_event_leads_to_its_event_page(event, client_for):
    response = client_for(None).get(f"/spaces/{event.space.slug}/meetings/{event.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
