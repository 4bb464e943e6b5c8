"""/api/v1/events: the same access rules as the pages, sharing meetings' access functions and services."""

from __future__ import annotations

import pytest
from tests.api_client import Api
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.meetings import services
from coproduce.meetings.models import Meeting, Registration

from .conftest import when
from .test_events import plan


def iso(times: dict) -> dict:
    return {k: v.isoformat() for k, v in times.items()}


@pytest.fixture
def event(admin_user):
    return plan(admin_user)


def test_plan_with_clear_errors_and_nothing_saved(admin_user, member):
    times = when(days=20)
    body = {"event_kind": "masterclass", "title": "Evaluation masterclass", "format": "online"}
    backwards = Api(admin_user).post(
        "/events",
        {**body, "starts_at": times["ends_at"].isoformat(), "ends_at": times["starts_at"].isoformat()},
    )
    assert backwards.status_code == 422
    assert "The event ends before it starts. Check the end time." in str(backwards.json())
    assert not Meeting.objects.exists()
    assert Api(admin_user).post("/events", {**body, "event_kind": "party", **iso(times)}).status_code == 422
    assert Api(member).post("/events", {**body, **iso(times)}).status_code == 403
    made = Api(admin_user).post("/events", {**body, **iso(times)})
    assert made.status_code == 201 and made.json()["kind"] == "masterclass"
    assert made.json()["url"] == f"/events/{made.json()['id']}/"


def test_list_detail_and_filters(event, admin_user):
    plan(
        admin_user,
        event_kind="masterclass",
        title="Evaluation",
        format="online",
        place_name="",
        **when(days=40),
    )
    anonymous = Api()
    listed = anonymous.get("/events").json()
    assert [e["title"] for e in listed] == [event.title, "Evaluation"]
    assert all(e["online_url"] is None for e in listed)
    assert [e["title"] for e in anonymous.get("/events?kind=masterclass").json()] == ["Evaluation"]
    assert [e["title"] for e in anonymous.get("/events?format=hybrid").json()] == [event.title]
    detail = anonymous.get(f"/events/{event.pk}").json()
    assert detail["places_left"] == 2 and detail["capacity"] == 2 and detail["my_registration"] is None


def test_register_wait_cancel_and_promotion(event, outsider, member):
    third = make_person("Third Person")
    assert Api(outsider).post(f"/events/{event.pk}/registration", {"access_needs": "Captions"}).json() == {
        "status": "registered"
    }
    assert Api(member).post(f"/events/{event.pk}/registration", {}).json()["status"] == "registered"
    assert Api(third).post(f"/events/{event.pk}/registration", {}).json()["status"] == "waiting"
    assert Api(outsider).post(f"/events/{event.pk}/registration", {}).status_code == 422  # already registered
    mine = Api(outsider).get(f"/events/{event.pk}").json()
    assert mine["my_registration"] == "registered" and mine["online_url"] == "https://meet.example.org/conf"
    assert Api(member).delete(f"/events/{event.pk}/registration").status_code == 204
    assert Registration.objects.get(user=third).status == "registered"
    assert Api().post(f"/events/{event.pk}/registration", {}).status_code == 401
    assert AuditEvent.objects.filter(action="meeting.registered").count() == 3


def test_access_needs_only_for_organisers(event, admin_user, outsider, member):
    services.registration_create(actor=outsider, meeting=event, access_needs="A quiet room")
    rows = Api(admin_user).get(f"/events/{event.pk}/registrations")
    assert rows.status_code == 200 and rows.json()[0]["access_needs"] == "A quiet room"
    assert "email" not in rows.json()[0]
    assert Api(member).get(f"/events/{event.pk}/registrations").status_code == 403
    assert Api(outsider).get(f"/events/{event.pk}/registrations").status_code == 403
    assert Api().get(f"/events/{event.pk}/registrations").status_code == 401
    assert "A quiet room" not in Api(member).get(f"/events/{event.pk}").content.decode()


def test_change_and_cancel_for_organisers_only(event, admin_user, member):
    assert Api(member).patch(f"/events/{event.pk}", {"title": "Mine"}).status_code == 403
    changed = Api(admin_user).patch(f"/events/{event.pk}", {"event_kind": "coproduction_week"})
    assert changed.status_code == 200 and changed.json()["kind"] == "coproduction_week"
    assert Api(member).post(f"/events/{event.pk}/cancel", {"reason": "No"}).status_code == 403
    cancelled = Api(admin_user).post(f"/events/{event.pk}/cancel", {"reason": "Venue closed"})
    assert cancelled.json()["cancelled"] is True


def test_an_ordinary_meeting_is_not_an_event(space, facilitator):
    meeting = services.meeting_create(
        actor=facilitator, space=space, title="Workshop", format="online", **when()
    )
    assert Api(facilitator).get(f"/events/{meeting.pk}").status_code == 404
    assert Api(facilitator).post(f"/events/{meeting.pk}/registration", {}).status_code == 404
