"""Personal outcomes pages: consent given and withdrawn, a conversation recorded with errors beside the
fields, the chart of change drawn to scale with its table, the plan with its history, the anonymised summary
never shown for fewer than 5 people, and erasing everything."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from tests.conftest import make_members

from coproduce.core import shared
from coproduce.outcomes import selectors, services
from coproduce.outcomes.models import Consent, Conversation
from coproduce.outcomes.services import RatingIn


def test_consent_is_given_and_withdrawn_on_the_page(client_for, space, member):
    client = client_for(member)
    url = reverse("outcomes:consent", args=[space.slug, member.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400 and 'id="id_agree_error"' in refused.content.decode()
    assert not Consent.objects.exists()
    assert client.post(url, {"agree": "on"}).status_code == 302
    assert Consent.objects.get().withdrawn_at is None
    services.conversation_record(
        actor=member, person=member, space=space, held_on=dt.date(2026, 1, 1), ratings=[RatingIn("skills", 2)]
    )
    not_confirmed = client.post(url, {"action": "withdraw"})
    assert not_confirmed.status_code == 400 and Conversation.objects.exists()
    assert client.post(url, {"action": "withdraw", "confirm": "on"}).status_code == 302
    assert not Conversation.objects.exists()
    assert Consent.objects.get().withdrawn_at is not None


def test_a_facilitator_reaches_someone_who_takes_part_with_help(client_for, space, margaret, facilitator):
    client = client_for(facilitator)
    index = client.get(reverse("outcomes:index", args=[space.slug])).content.decode()
    assert reverse("outcomes:person", args=[space.slug, margaret.pk]) in index
    assert client.get(reverse("outcomes:person", args=[space.slug, margaret.pk])).status_code == 200
    assert (
        client.post(reverse("outcomes:consent", args=[space.slug, margaret.pk]), {"agree": "on"}).status_code
        == 302
    )
    form = client.get(reverse("outcomes:conversation_new", args=[space.slug, margaret.pk])).content.decode()
    assert "For carers" in form  # Margaret takes part as a carer: the carers' set is asked


def test_recording_a_conversation_keeps_the_form_on_error(client_for, space, member, consent):
    client = client_for(member)
    url = reverse("outcomes:conversation_new", args=[space.slug, member.pk])
    page = client.get(url).content.decode()
    assert "<legend>Feeling safe" in page and "For carers" not in page
    bad = client.post(url, {"held_on": "2026-01-05", "words_skills": "Learning to cook"})
    text = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="id_score_skills_error"' in text and "Learning to cook" in text
    none = client.post(url, {"held_on": "2026-01-05"})
    assert none.status_code == 400 and "Rate at least one outcome" in none.content.decode()
    out_of_range = client.post(url, {"held_on": "2026-01-05", "score_skills": "9"})
    assert out_of_range.status_code == 400
    assert not Conversation.objects.exists()
    good = client.post(
        url, {"held_on": "2026-01-05", "score_skills": "3", "words_skills": "Learning to cook"}
    )
    assert good.status_code == 302
    assert Conversation.objects.get().ratings.get().own_words == "Learning to cook"


def test_the_chart_of_change_is_drawn_to_scale_beside_a_table(
    client_for, space, member, conversation, allowed
):
    services.conversation_record(
        actor=member,
        person=member,
        space=space,
        held_on=dt.date(2026, 3, 10),
        ratings=[RatingIn("feeling_safe", 4, "Better with the new lights")],
    )
    chart = selectors.chart(selectors.conversations(member, space))
    line = chart.lines[0]
    assert line.label == "Feeling safe"
    first, last = line.points
    # Scores 2 then 4: from 12 + 3/4 × 100 = 87 down to 12 + 1/4 × 100 = 37 (1 at the bottom, 5 at the top).
    assert (first.y, last.y) == (87.0, 37.0)
    assert (first.x, last.x) == (36.0, 308.0)  # first conversation at the left edge, last at the right
    assert chart.table[0] == ("Feeling safe", [2, 4])
    assert chart.table[1] == ("Seeing people", [3, None])
    page = client_for(member).get(reverse("outcomes:person", args=[space.slug, member.pk])).content.decode()
    assert 'role="img"' in page and '<title id="chart-feeling_safe-title">Feeling safe</title>' in page
    assert "2 on 10 Jan 2026; 4 on 10 Mar 2026" in page
    assert re.search(r'<polyline points="36\.0,87\.0 308\.0,37\.0"', page)
    assert "Better with the new lights" in page


def test_the_plan_page_shows_who_changed_what(client_for, space, member, consent, allowed):
    url = reverse("outcomes:plan", args=[space.slug, member.pk])
    assert (
        client_for(member)
        .post(url, {"outcomes": ["seeing_people"], "my_part": "Drop-in on Tuesdays"})
        .status_code
        == 302
    )
    assert (
        client_for(allowed)
        .post(
            url,
            {"outcomes": ["seeing_people"], "my_part": "Drop-in on Tuesdays", "others_part": "Room booked"},
        )
        .status_code
        == 302
    )
    page = client_for(member).get(url).content.decode()
    assert "Fergus Facilitator: what others will do" in page
    assert "Lena Lived: the outcomes I chose, what I will do" in page
    bad = client_for(member).post(url, {"next_review_on": "2026-01-01", "last_reviewed_on": "2026-05-01"})
    assert bad.status_code == 400 and 'id="id_next_review_on_error"' in bad.content.decode()


def _people_with_outcomes(space, host, count):
    people = make_members(space, host, count)
    for i, person in enumerate(people):
        services.consent_give(actor=person, person=person, space=space)
        services.conversation_record(
            actor=person,
            person=person,
            space=space,
            held_on=dt.date(2026, 1, 1),
            ratings=[RatingIn("skills", 2)],
        )
        services.conversation_record(
            actor=person,
            person=person,
            space=space,
            held_on=dt.date(2026, 4, 1),
            ratings=[RatingIn("skills", 2 + i % 3)] + ([RatingIn("mobility", 3)] if i == 0 else []),
        )
    return people


def test_the_summary_is_never_shown_for_fewer_than_5_people(client_for, space, host, member):
    _people_with_outcomes(space, host, 4)
    summary = selectors.summary(space)
    assert summary.shown is False and summary.rows == []
    page = client_for(member).get(reverse("outcomes:summary", args=[space.slug])).content.decode()
    assert "Fewer than 5 people" in page and "Skills" not in page


def test_the_summary_for_5_people_hides_outcomes_fewer_talked_about(client_for, space, host, member):
    people = _people_with_outcomes(space, host, 5)
    summary = selectors.summary(space)
    assert summary.shown and summary.people == 5
    (row,) = summary.rows
    # First scores all 2; latest 2, 3, 4, 2, 3: average 2.8; better 3, same 2, worse 0.
    assert (row.label, row.people, row.first_average, row.latest_average) == ("Skills", 5, 2.0, 2.8)
    assert (row.better, row.same, row.worse) == (3, 2, 0)
    assert summary.hidden_outcomes == 1  # mobility: one person
    page = client_for(member).get(reverse("outcomes:summary", args=[space.slug])).content.decode()
    assert "Skills" in page and "Mobility" not in page and people[0].display_name not in page
    # One person withdraws: 4 left, nothing is shown.
    services.consent_withdraw(actor=people[0], person=people[0], space=space)
    assert selectors.summary(space).shown is False


def test_erasing_everything_from_my_page(client_for, member, conversation):
    client = client_for(member)
    page = client.get(reverse("outcomes_mine:mine")).content.decode()
    assert "Drop-in redesign" in page
    assert client.post(reverse("outcomes_mine:erase"), {}).status_code == 400
    assert Conversation.objects.exists()
    assert client.post(reverse("outcomes_mine:erase"), {"confirm": "on"}).status_code == 302
    assert not Conversation.objects.exists() and not Consent.objects.exists()


@pytest.mark.parametrize("who, count", [("member", 2), ("outsider", 0), ("anonymous", 0)])
def test_the_co_assessment_stage_shows_outcomes_to_members_only(who, count, persona, space):
    from coproduce.core import registry

    stage = type("Stage", (), {"space": space})()
    user = persona(who)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    manifests = {m.name: m for m in registry.manifests_for_stage("co_assessment")}
    assert {"outcomes", "sroi"} <= set(manifests)
    items = list(manifests["outcomes"].items_for_stage(stage, user))
    assert len(items) == count


def test_plans_due_for_review_wait_for_the_person_and_their_helper(
    space, member, allowed, practitioner, consent
):
    from django.utils import timezone

    from coproduce.core.registry import Urgency
    from coproduce.outcomes.apps import waiting_for

    services.plan_save(
        actor=member, person=member, space=space, next_review_on=timezone.localdate() + dt.timedelta(days=3)
    )
    mine, theirs = waiting_for(member), waiting_for(allowed)
    assert [i.title for i in mine] == ["Review your plan in Drop-in redesign"]
    assert [i.title for i in theirs] == ["Review Lena Lived's plan with them"]
    assert mine[0].urgency == Urgency.DUE and mine[0].url == reverse(
        "outcomes:plan", args=[space.slug, member.pk]
    )
    assert waiting_for(practitioner) == []  # not chosen
    services.plan_save(
        actor=member, person=member, space=space, next_review_on=timezone.localdate() + dt.timedelta(days=60)
    )
    assert waiting_for(member) == []


def test_the_kept_space_page_shows_each_member_their_own_outcomes(
    settings, space, member, practitioner, consent, client_for
):
    """The space page's timeline is kept for all its members alike (core/shared.py), with a marker where each
    person's own outcomes go: two members in turn, with keeping on, are each shown their own."""
    settings.SHARED_SECONDS = 5
    shared.forget_all()
    try:
        for person, status in (
            (member, "Being recorded, with your consent"),
            (practitioner, "Not recorded: you have not agreed"),
            (member, "Being recorded, with your consent"),
        ):
            page = client_for(person).get(reverse("spaces:detail", args=[space.slug])).content.decode()
            assert reverse("outcomes:person", args=[space.slug, person.pk]) in page
            assert f"Your personal outcomes</a> ({status})" in page
            assert "<!--personal:" not in page
    finally:
        shared.forget_all()
