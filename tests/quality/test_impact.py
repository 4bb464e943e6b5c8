"""The trail from what people said to what was done, and the impact report: real records across modules (idea
-> agenda item -> decision -> action -> progress; idea -> funded project -> action), access matrices for every
page and endpoint, names hidden where the space hides them, CSV/JSON, bounded queries, the print view."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.budgets.conftest import add_projects, make_budget, move_to
from tests.conftest import PERSONAS, make_members

from coproduce.actions import services as actions
from coproduce.budgets import services as budgets
from coproduce.budgets.models import Phase
from coproduce.core import registry
from coproduce.core.registry import ImpactFigure, ImpactSection, ModuleManifest
from coproduce.ideas import services as ideas
from coproduce.meetings import services as meetings
from coproduce.quality import impact, trail

from .conftest import computed, date_stages, decide, meeting

pytestmark = pytest.mark.django_db


def build_trail(space, host, facilitator, member, practitioner):
    """An idea put on a meeting's agenda, decided, made an action that is half done; another idea made a
    budget project that is funded and then an action."""
    date_stages(space)
    said = ideas.idea_create(actor=member, space=space, title="Saturday opening", body="Open at weekends.")
    ideas.idea_set_status(actor=facilitator, idea=said, status="adopted", reason="Everyone agreed.")
    workshop = meeting(space, facilitator, 1)
    item = meetings.agenda_item_propose(
        actor=member, meeting=workshop, title="Saturday opening", source_idea_id=said.pk
    )
    meetings.agenda_publish(actor=facilitator, meeting=workshop)
    decision = decide(
        workshop, facilitator, {member: "agree", practitioner: "agree"}, text="Open on Saturdays."
    )
    decision.agenda_item = item
    decision.save(update_fields=["agenda_item"])  # the meeting page records it on the item
    source = registry.source("meetings.decision", facilitator, decision.pk)
    action = actions.action_create_from_source(actor=facilitator, source=source, owner=practitioner)
    actions.action_report(
        actor=practitioner, action=action, text="Rota drafted.", progress=50, status="in_progress"
    )

    fridge = ideas.idea_create(actor=member, space=space, title="Community fridge", body="Share food.")
    ideas.idea_set_status(actor=facilitator, idea=fridge, status="adopted", reason="Popular.")
    budget = make_budget(space, host)
    project = budgets.project_create_from_idea(
        actor=facilitator, budget=budget, idea_id=fridge.pk, cost=Decimal(800)
    )
    budgets.project_review(actor=facilitator, project=project, feasible=True)
    (other,) = add_projects(budget, member, facilitator, [500])
    move_to(budget, host, Phase.VOTE)
    budgets.ballot_submit(actor=member, budget=budget, choices=[(project.pk, 1)])
    move_to(budget, host, Phase.RESULTS)
    funded = registry.source("budgets.project", facilitator, project.pk)
    assert funded.ready
    actions.action_create_from_source(actor=facilitator, source=funded, owner=member)
    ideas.idea_create(actor=practitioner, space=space, title="Nothing yet", body="Not decided.")
    return {
        "said": said,
        "item": item,
        "decision": decision,
        "action": action,
        "fridge": fridge,
        "project": project,
        "other": other,
    }


@pytest.fixture
def built(space, host, facilitator, member, practitioner):
    return build_trail(space, host, facilitator, member, practitioner)


def test_an_idea_trail_goes_through_the_meeting_decision_and_action(built, member, practitioner):
    roots = trail.walk("ideas.idea", [built["said"].pk], member)[built["said"].pk]
    steps = trail.flatten(roots, names=True)
    kinds = [(s.step.kind, s.depth) for s in steps]
    assert kinds == [
        ("ideas.decision", 0),
        ("meetings.agenda_item", 0),
        ("meetings.decision", 1),
        ("actions.action", 2),
    ]
    action = steps[-1].step
    assert action.person == practitioner.display_name and action.progress == 50 and not action.reached
    assert "Rota drafted." in action.status
    assert "Discussed at" in steps[1].step.status or "On the agenda" in steps[1].step.status


def test_an_idea_trail_goes_through_the_funded_project(built, member):
    steps = trail.flatten(
        trail.walk("ideas.idea", [built["fridge"].pk], member)[built["fridge"].pk], names=True
    )
    assert [(s.step.kind, s.step.reached) for s in steps] == [
        ("ideas.decision", True),
        ("budgets.project", True),
        ("actions.action", False),
    ]
    assert steps[1].step.status.startswith("Funded")


def test_names_hidden_from_outsiders_on_the_trail_page(
    built, client_for, outsider, member, practitioner, space
):
    url = f"/spaces/{space.slug}/impact/trail/ideas.idea/{built['said'].pk}/"
    seen = client_for(member).get(url).content.decode()
    assert practitioner.display_name in seen and "Open on Saturdays." in seen and "50%" in seen
    hidden = client_for(outsider).get(url).content.decode()
    assert practitioner.display_name not in hidden and "Open on Saturdays." in hidden


def test_the_idea_page_links_to_its_trail(built, client_for, outsider, space):
    page = client_for(outsider).get(built["said"].get_absolute_url()).content.decode()
    assert f"/spaces/{space.slug}/impact/trail/ideas.idea/{built['said'].pk}/" in page


def test_the_funded_project_and_the_agenda_item_pages_link_to_their_trails(
    built, client_for, facilitator, outsider, space
):
    project, item = built["project"], built["item"]
    trail_of_project = f"/spaces/{space.slug}/impact/trail/budgets.project/{project.pk}/"
    page = client_for(facilitator).get(project.get_absolute_url()).content.decode()
    assert trail_of_project in page and reverse("actions:from_project", args=[space.slug, project.pk]) in page
    page = client_for(outsider).get(project.get_absolute_url()).content.decode()
    assert trail_of_project in page and "Add an action" not in page
    page = client_for(outsider).get(item.meeting.get_absolute_url()).content.decode()
    assert f"/spaces/{space.slug}/impact/trail/meetings.agenda_item/{item.pk}/" in page


def test_a_trail_of_another_space_or_kind_is_404(built, client_for, member, private_space, space):
    c = client_for(member)
    assert (
        c.get(f"/spaces/{private_space.slug}/impact/trail/ideas.idea/{built['said'].pk}/").status_code == 404
    )
    assert c.get(f"/spaces/{space.slug}/impact/trail/actions.action/{built['action'].pk}/").status_code == 404
    assert c.get(f"/spaces/{space.slug}/impact/trail/ideas.idea/999999/").status_code == 404


def test_you_said_we_did_lists_newest_first_with_what_became_of_it(built, client_for, outsider, space):
    page = client_for(outsider).get(f"/spaces/{space.slug}/impact/you-said-we-did/").content.decode()
    assert page.index("Nothing yet") < page.index("Community fridge") < page.index("Saturday opening")
    assert "Funded in" in page and "Nothing has come of it yet." in page


def test_my_trail_is_the_persons_own(built, client_for, member, practitioner):
    page = client_for(member).get("/me/what-became-of-it/").content.decode()
    assert "Saturday opening" in page and "Community fridge" in page and "Nothing yet" not in page
    assert "/me/what-became-of-it/" in client_for(member).get("/me/").content.decode()
    assert client_for(None).get("/me/what-became-of-it/").status_code == 302


def test_the_trail_summary_counts_what_became_of_ideas(built, space, member):
    found = trail.summary(space, member)
    assert (found.ideas, found.ideas_adopted, found.ideas_actions, found.ideas_funded) == (3, 2, 2, 1)
    assert (found.ideas_discussed, found.items, found.items_decided, found.items_actions) == (1, 1, 1, 1)
    other_funded = registry.source("budgets.project", member, built["other"].pk).ready
    assert (found.projects, found.projects_funded) == (1, int(other_funded))


# --- Access matrices ------------------------------------------------------------------------------

READ_PRIVATE = {
    "host": 200,
    "facilitator": 200,
    "member": 200,
    "practitioner": 200,
    "outsider": 404,
    "anonymous": 404,
}


def _pages(slug):
    base = f"/spaces/{slug}/impact/"
    return [base, base + "print/", base + "figures.csv", base + "figures.json", base + "you-said-we-did/"]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["space", "private_space"])
def test_reading_pages(which, who, request, persona, client_for):
    space = request.getfixturevalue(which)
    expected = 200 if which == "space" else READ_PRIVATE[who]
    for url in _pages(space.slug):
        assert client_for(persona(who)).get(url).status_code == expected, url


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["space", "private_space"])
def test_reading_the_api(which, who, request, persona, api_for, host, facilitator, member, practitioner):
    space = request.getfixturevalue(which)
    idea = ideas.idea_create(actor=member, space=space, title="An idea", body="Words.")
    expected = 200 if which == "space" else READ_PRIVATE[who]
    api = api_for(persona(who))
    for path in [
        f"/impact/spaces/{space.slug}/report",
        f"/impact/spaces/{space.slug}/you-said-we-did",
        f"/impact/spaces/{space.slug}/trail/ideas.idea/{idea.pk}",
    ]:
        assert api.get(path).status_code == expected, path


@pytest.mark.parametrize("who", PERSONAS)
def test_network_dashboard_is_for_network_admins(who, persona, client_for, admin_user):
    expected = 302 if who == "anonymous" else 404
    assert client_for(persona(who)).get("/network/impact/").status_code == expected
    assert client_for(admin_user).get("/network/impact/").status_code == 200


# --- API, CSV and JSON ----------------------------------------------------------------------------


def test_api_trail_and_my_trail(built, api_for, member, outsider, practitioner, space):
    found = api_for(member).get(f"/impact/spaces/{space.slug}/trail/ideas.idea/{built['said'].pk}").json()
    assert [s["kind"] for s in found] == [
        "ideas.decision",
        "meetings.agenda_item",
        "meetings.decision",
        "actions.action",
    ]
    assert found[-1]["person"] == practitioner.display_name and found[-1]["progress"] == 50
    hidden = api_for(outsider).get(f"/impact/spaces/{space.slug}/trail/ideas.idea/{built['said'].pk}").json()
    assert hidden[-1]["person"] is None
    mine = api_for(member).get("/impact/me/trail").json()
    assert {(m["kind"], m["title"]) for m in mine} == {
        ("ideas.idea", "Saturday opening"),
        ("meetings.agenda_item", "Saturday opening"),
        ("ideas.idea", "Community fridge"),
        ("budgets.project", "Project 1"),
    }
    assert api_for(None).get("/impact/me/trail").status_code == 401


def test_csv_and_json_give_the_same_figures(built, client_for, member, space):
    computed(space)
    c = client_for(member)
    rows = list(
        csv.DictReader(io.StringIO(c.get(f"/spaces/{space.slug}/impact/figures.csv").content.decode()))
    )
    data = c.get(f"/spaces/{space.slug}/impact/figures.json").json()
    assert len(rows) == len(data["figures"])
    by_key = {(r["section"], r["key"]): r for r in rows}
    assert (
        by_key[("trail", "ideas_actions")]["value"] == "2" and by_key[("trail", "ideas_actions")]["of"] == "3"
    )
    assert ("quality", "level") in by_key and ("hours", "credits_paid") in by_key
    participation = [r for r in rows if r["section"] == "participation"]
    assert sum(int(r["value"]) for r in participation) >= 3


def test_report_shows_level_trail_and_says_when_no_other_evidence(built, client_for, outsider, space):
    computed(space)
    page = client_for(outsider).get(f"/spaces/{space.slug}/impact/").content.decode()
    assert "On the Think Local Act Personal ladder" in page
    assert "ideas became actions" in page.lower()
    assert "No survey, Place Standard, personal outcome or social return on investment evidence" in page


def test_module_sections_are_rendered_and_exported(space, client_for, outsider):
    section = ImpactSection(
        module="surveys",
        key="surveys",
        title="What people told us",
        summary="Most said the drop-in helped.",
        figures=(ImpactFigure("Said it helped", 82, "percent", people=40),),
    )
    registry.register(
        ModuleManifest(
            name="stand-in", label="Stand-in", description="", stages=(), impact=lambda s, viewer: section
        )
    )
    try:
        page = client_for(outsider).get(f"/spaces/{space.slug}/impact/").content.decode()
        assert "Most said the drop-in helped." in page and "No survey, Place Standard" not in page
        data = client_for(outsider).get(f"/spaces/{space.slug}/impact/figures.json").json()
        assert {
            "section": "surveys",
            "key": "surveys:0",
            "label": "Said it helped",
            "value": 82,
            "unit": "percent",
            "of": None,
        } in data["figures"]
    finally:
        registry.unregister("stand-in")


def test_the_print_view_renders(built, client_for, member, space):
    computed(space)
    page = client_for(member).get(f"/spaces/{space.slug}/impact/print/").content.decode()
    assert "print.css" in page and "Impact report" in page and "<svg" in page and "site-header" not in page


def test_participation_chart_is_to_scale(built, space):
    series = impact.participation([space])
    chart = impact.bar_chart(series)
    assert chart["ticks"][0]["value"] == 0
    tallest = max(chart["bars"], key=lambda b: b.total)
    drawn = sum(s["height"] for s in tallest.segments)
    top = chart["ticks"][-1]
    assert drawn == pytest.approx((chart["baseline"] - top["y"]) * tallest.total / top["value"], abs=0.1)


def _report_queries(client, slug) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/spaces/{slug}/impact/").status_code == 200
    return len(ctx.captured_queries)


def test_report_queries_do_not_grow_with_data(built, space, host, facilitator, member, client_for):
    computed(space)
    client = client_for(member)
    before = _report_queries(client, space.slug)
    people = make_members(space, host, 4)
    for n, person in enumerate(people):
        idea = ideas.idea_create(actor=person, space=space, title=f"More {n}", body="Words.")
        ideas.idea_set_status(actor=facilitator, idea=idea, status="adopted", reason="Yes.")
        source = registry.source("ideas.idea", facilitator, idea.pk)
        actions.action_create_from_source(actor=facilitator, source=source, owner=person)
    assert _report_queries(client, space.slug) == before


def test_you_said_queries_do_not_grow_with_data(built, space, host, facilitator, client_for, member):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            client_for(member).get(f"/spaces/{space.slug}/impact/you-said-we-did/")
        return len(ctx.captured_queries)

    before = count()
    for n, person in enumerate(make_members(space, host, 4)):
        ideas.idea_create(actor=person, space=space, title=f"More {n}", body="Words.")
    assert count() == before
