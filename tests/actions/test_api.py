"""The actions API: the public tracker with filters, updates with clear errors, bounded queries."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from tests.api_client import Api
from tests.conftest import make_members

from coproduce.actions import services
from coproduce.actions.models import Action, ActionStatus, ActionUpdate


def test_the_tracker_through_the_api(space, facilitator, member, practitioner):
    late = services.action_create(
        actor=facilitator,
        space=space,
        title="Late",
        owner=member,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    services.action_create(actor=facilitator, space=space, title="Fine", owner=practitioner)
    public = Api().get(f"/spaces/{space.slug}/actions").json()
    assert {a["title"]: (a["overdue"], a["owner"]) for a in public} == {
        "Late": (True, None),
        "Fine": (False, None),
    }
    mine = Api(member).get(f"/spaces/{space.slug}/actions?perspective=lived_experience").json()
    assert [(a["id"], a["owner"]) for a in mine] == [(late.pk, "Lena Lived")]
    overdue = Api().get(f"/spaces/{space.slug}/actions?overdue=true").json()
    assert [a["title"] for a in overdue] == ["Late"]
    assert Api().get(f"/spaces/{space.slug}/actions?status=lost").status_code == 422


def test_updates_with_clear_errors_and_nothing_half_written(space, action, member):
    api = Api(member)
    dropped = api.post(f"/actions/{action.pk}/updates", {"text": "Stop", "progress": 0, "status": "dropped"})
    assert dropped.status_code == 422 and "reason" in dropped.json()["detail"]
    assert (
        api.post(
            f"/actions/{action.pk}/updates", {"text": "x", "progress": 101, "status": "done"}
        ).status_code
        == 422
    )
    assert (
        api.post(f"/actions/{action.pk}/updates", {"text": "", "progress": 1, "status": "done"}).status_code
        == 422
    )
    assert not ActionUpdate.objects.exists()
    done = api.post(f"/actions/{action.pk}/updates", {"text": "Finished", "progress": 80, "status": "done"})
    assert done.status_code == 201 and done.json()["progress"] == 100
    assert Action.objects.get().status == ActionStatus.DONE
    assert [u["text"] for u in Api().get(f"/actions/{action.pk}/updates").json()] == ["Finished"]


def test_creating_from_an_idea_or_with_a_bad_owner(space, adopted_idea, facilitator, member, outsider):
    api = Api(facilitator)
    assert api.post(f"/ideas/{adopted_idea.pk}/actions", {"owner_id": outsider.pk}).status_code == 422
    assert api.post(f"/ideas/{adopted_idea.pk}/actions", {"owner_id": 999999}).status_code == 422
    made = api.post(f"/ideas/{adopted_idea.pk}/actions", {"owner_id": member.pk, "due_on": "2026-10-01"})
    assert made.status_code == 201 and made.json()["idea"] == adopted_idea.pk
    assert made.json()["owner_perspective"] == "lived_experience"


def test_the_list_costs_a_bounded_number_of_queries(
    space, host, facilitator, member, django_assert_max_num_queries
):
    for i, owner in enumerate(make_members(space, host, 30)):  # one owner each, so one query per row shows
        services.action_create(actor=facilitator, space=space, title=f"Action {i}", owner=owner)
    api = Api(member)
    with django_assert_max_num_queries(8):
        response = api.get(f"/spaces/{space.slug}/actions?limit=30")
    assert len(response.json()) == 30
