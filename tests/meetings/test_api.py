"""The meetings API: meetings, registration, the agenda with dots, attendance and decisions."""

from __future__ import annotations

import datetime as dt

import time_machine
from tests.api_client import Api
from tests.conftest import make_members

from coproduce.meetings import services
from coproduce.meetings.models import AgendaItem, Decision, Meeting

from .conftest import when


def iso(times: dict) -> dict:
    return {k: v.isoformat() for k, v in times.items()}


def test_plan_a_meeting_with_clear_errors(space, facilitator):
    api = Api(facilitator)
    times = when()
    backwards = api.post(
        f"/spaces/{space.slug}/meetings",
        {
            "title": "Workshop",
            "format": "online",
            "starts_at": times["ends_at"].isoformat(),
            "ends_at": times["starts_at"].isoformat(),
        },
    )
    assert backwards.status_code == 422 and "ends_at" in backwards.json()["detail"]
    assert api.post(f"/spaces/{space.slug}/meetings", {"title": "", **iso(times)}).status_code == 422
    assert (
        api.post(
            f"/spaces/{space.slug}/meetings", {"title": "X", "format": "by pigeon", **iso(times)}
        ).status_code
        == 422
    )
    assert not Meeting.objects.exists()
    made = api.post(
        f"/spaces/{space.slug}/meetings",
        {
            "title": "Workshop",
            "format": "in_person",
            "place_name": "Hall",
            "hearing_loop": True,
            **iso(times),
        },
    )
    assert made.status_code == 201 and made.json()["access_offers"] == ["hearing loop"]
    listed = Api().get(f"/spaces/{space.slug}/meetings").json()
    assert [m["title"] for m in listed] == ["Workshop"]


def test_registration_agenda_and_dots(space, meeting, member, practitioner, facilitator):
    assert Api(member).post(
        f"/meetings/{meeting.pk}/registration", {"access_needs": "Quiet room"}
    ).json() == {"status": "registered"}
    assert Api(member).post(f"/meetings/{meeting.pk}/registration", {}).status_code == 422
    item = Api(member).post(f"/meetings/{meeting.pk}/agenda", {"title": "Opening hours"}).json()
    assert item["proposer_perspective"] == "lived_experience"
    for left in (2, 1, 0):
        assert Api(practitioner).post(f"/agenda/{item['id']}/dots").json() == {"dots_left": left}
    assert Api(practitioner).post(f"/agenda/{item['id']}/dots").status_code == 422
    assert Api(practitioner).delete(f"/agenda/{item['id']}/dots").json() == {"dots_left": 1}
    agenda = Api(member).get(f"/meetings/{meeting.pk}/agenda").json()
    assert [(i["title"], i["dots"], i["my_dots"]) for i in agenda] == [("Opening hours", 2, 0)]
    published = Api(facilitator).post(f"/meetings/{meeting.pk}/agenda/publish").json()
    assert published[0]["position"] == 1 and published[0]["status"] == "on_agenda"
    assert Api().get(f"/meetings/{meeting.pk}/agenda").json()[0]["proposer"] is None
    assert Api(member).delete(f"/meetings/{meeting.pk}/registration").status_code == 204


def test_after_the_meeting(space, meeting, member, practitioner, facilitator):
    item = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    services.agenda_publish(actor=facilitator, meeting=meeting)
    api = Api(facilitator)
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=2)):
        assert api.put(f"/agenda/{item.pk}/minutes", {"minutes": "Thursdays."}).status_code == 204
        result = api.post(
            f"/meetings/{meeting.pk}/attendance", {"person_ids": [member.pk, practitioner.pk]}
        ).json()
        assert result == {"recorded": 2, "paid": 0, "owed": 0}
        assert api.post(f"/meetings/{meeting.pk}/attendance", {"person_ids": [999999]}).status_code == 422
        no_dissent = api.post(
            f"/meetings/{meeting.pk}/decisions",
            {"text": "Open Thursdays", "voices": [{"person_id": practitioner.pk, "stance": "disagree"}]},
        )
        assert no_dissent.status_code == 422 and not Decision.objects.exists()
        decided = api.post(
            f"/meetings/{meeting.pk}/decisions",
            {
                "text": "Open Thursdays",
                "agenda_item": item.pk,
                "dissent": "Not enough staff yet",
                "voices": [
                    {"person_id": member.pk, "stance": "agree"},
                    {"person_id": practitioner.pk, "stance": "disagree"},
                ],
            },
        )
    assert decided.status_code == 201, decided.content
    assert decided.json()["agreed"] == {"lived_experience": 1} and decided.json()["disagreed"] == {
        "practitioner": 1
    }
    public = Api().get(f"/meetings/{meeting.pk}/decisions").json()
    assert public[0]["dissent"] == "Not enough staff yet"
    # Minutes of the published agenda: whoever may see the decisions.
    assert Api().get(f"/meetings/{meeting.pk}/agenda").json()[0]["minutes"] == "Thursdays."
    assert Api(member).get(f"/meetings/{meeting.pk}/agenda").json()[0]["minutes"] == "Thursdays."
    assert AgendaItem.objects.get().minutes == "Thursdays."


def test_time_credits_through_the_api(space, meeting, host, facilitator):
    from coproduce.people import services as people_services

    charity = people_services.organisation_create(actor=host, name="Drop-in Trust", kind="charity")
    space.organisations.add(charity)
    assert (
        Api(facilitator)
        .put(f"/meetings/{meeting.pk}/time-credits", {"organisation": charity.slug, "minutes": 60})
        .status_code
        == 403
    )
    assert (
        Api(host)
        .put(f"/meetings/{meeting.pk}/time-credits", {"organisation": "nobody", "minutes": 60})
        .status_code
        == 422
    )
    assert (
        Api(host)
        .put(f"/meetings/{meeting.pk}/time-credits", {"organisation": charity.slug, "minutes": 60})
        .json()["credit_minutes"]
        == 60
    )


def test_the_list_costs_a_bounded_number_of_queries(
    space, host, facilitator, member, django_assert_max_num_queries
):
    for i, person in enumerate(make_members(space, host, 25)):  # one registrant each
        meeting = services.meeting_create(
            actor=facilitator, space=space, title=f"Coming {i}", format="online", **when(days=i + 1)
        )
        services.registration_create(actor=person, meeting=meeting)
    for api in (Api(), Api(member)):
        with django_assert_max_num_queries(8):
            response = api.get(f"/spaces/{space.slug}/meetings")
        assert [m["registered"] for m in response.json()] == [1] * 25
