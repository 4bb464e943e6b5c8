"""Action pages: the public tracker ("what we said, what we did") with filters, overdue highlighting, updates
posted without JavaScript, bad input kept and explained, bounded queries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_members

from coproduce.actions import services
from coproduce.actions.models import Action, ActionStatus, ActionUpdate
from coproduce.core import registry
from coproduce.spaces.models import Perspective

from ..ideas.helpers import html, text


def test_the_tracker_shows_what_we_said_and_what_we_did(client_for, space, adopted_idea, facilitator, member):
    action = services.action_create_from_source(
        actor=facilitator,
        source=registry.source("ideas.idea", facilitator, adopted_idea.pk),
        owner=member,
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    services.action_report(
        actor=member, action=action, text="Asked the council", progress=40, status=ActionStatus.IN_PROGRESS
    )
    page = client_for(None).get(reverse("actions:tracker", args=[space.slug]))
    words = text(page)
    assert "What we said, what we did" in words
    assert "the adopted idea “Evening opening”" in words and "Asked the council" in words
    assert "Overdue" in words and "is-overdue" in html(page) and "40%" in words
    assert "lived experience" in words and "Lena Lived" not in words  # the public sees perspectives
    assert "Lena Lived" in text(client_for(member).get(reverse("actions:tracker", args=[space.slug])))


def test_the_tracker_filters_by_status_and_owners_perspective(
    client_for, space, facilitator, member, practitioner
):
    mine = services.action_create(actor=facilitator, space=space, title="Leaflets", owner=member)
    services.action_create(actor=facilitator, space=space, title="Rota", owner=practitioner)
    services.action_report(actor=member, action=mine, text="Printed", progress=100, status=ActionStatus.DONE)
    url = reverse("actions:tracker", args=[space.slug])
    client = client_for(None)

    def titles(**query):
        return [a.title for a in client.get(url, query).context["page"].object_list]

    assert titles(perspective=Perspective.LIVED_EXPERIENCE) == ["Leaflets"]
    assert titles(status=ActionStatus.DONE) == ["Leaflets"]
    assert titles(status=ActionStatus.PLANNED, perspective=Perspective.PRACTITIONER) == ["Rota"]
    assert set(titles(perspective="nonsense")) == {"Leaflets", "Rota"}  # a bad filter shows everything
    fragment = client.get(url, {"status": "done"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in html(fragment) and "Leaflets" in html(fragment)


def test_the_owner_posts_an_update_without_javascript(client_for, space, action, member):
    url = reverse("actions:report", args=[space.slug, action.pk])
    response = client_for(member).post(url, {"text": "Phoned", "status": "in_progress", "progress": "25"})
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    page = text(client_for(None).get(action.get_absolute_url()))
    assert "Phoned" in page and "25%" in page and "In progress" in page


def test_a_bad_update_keeps_the_form_and_saves_nothing(client_for, space, action, member):
    url = reverse("actions:report", args=[space.slug, action.pk])
    response = client_for(member).post(url, {"text": "Given up", "status": "dropped", "progress": "250"})
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page and "Given up</textarea>" in page and 'aria-invalid="true"' in page
    assert "Say why it was dropped" in page
    assert not ActionUpdate.objects.exists() and Action.objects.get().status == ActionStatus.PLANNED


def test_facilitators_make_an_adopted_idea_an_action_from_its_page(
    client_for, space, adopted_idea, facilitator, member
):
    url = reverse("actions:from_idea", args=[space.slug, adopted_idea.pk])
    bad = client_for(facilitator).post(url, {"title": "", "owner": member.pk})
    assert bad.status_code == 400 and not Action.objects.exists()
    response = client_for(facilitator).post(
        url, {"title": "Evening opening", "owner": member.pk, "due_on": "2026-09-30"}
    )
    action = Action.objects.get()
    assert (
        response.status_code == 302 and action.idea == adopted_idea and action.due_on == dt.date(2026, 9, 30)
    )
    assert "Evening opening" in text(client_for(None).get(adopted_idea.get_absolute_url()))


def test_owners_can_be_any_member_not_only_professionals(client_for, space, facilitator):
    page = html(client_for(facilitator).get(reverse("actions:create", args=[space.slug])))
    for name in ("Lena Lived", "Pat Practitioner", "Hana Host"):
        assert name in page


def test_the_tracker_costs_a_bounded_number_of_queries(
    client_for, space, host, facilitator, member, practitioner, django_assert_max_num_queries
):
    for i, owner in enumerate(make_members(space, host, 40)):  # one owner each, so one query per row shows
        action = services.action_create(
            actor=facilitator,
            space=space,
            title=f"Action {i}",
            owner=owner,
            due_on=timezone.localdate() + dt.timedelta(days=i - 20),
        )
        services.action_report(
            actor=facilitator, action=action, text=f"Update {i}", progress=i, status=ActionStatus.IN_PROGRESS
        )
    for viewer in (None, member):
        client = client_for(viewer)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("actions:tracker", args=[space.slug]))
        assert len(response.context["page"].object_list) == 25
        assert "Update 0" in html(response)


def test_the_space_page_shows_the_tracker_on_co_delivery(client_for, space, action):
    page = html(client_for(None).get(space.get_absolute_url()))
    assert reverse("actions:tracker", args=[space.slug]) in page and "1 action" in page
