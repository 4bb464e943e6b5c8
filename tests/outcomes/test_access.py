"""Nobody sees another person's outcomes without their permission: every page and endpoint × every persona.
`member` agreed and allows `facilitator`; everyone else (the host, the practitioner, network admins,
outsiders) gets 404, as if there were nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

ALLOWED = {"member", "facilitator"}
MEMBERS = {"host", "facilitator", "member", "practitioner"}
EVERYONE = [*PERSONAS, "staff"]


def person_pages(space, member):
    return {
        "person": reverse("outcomes:person", args=[space.slug, member.pk]),
        "conversation_new": reverse("outcomes:conversation_new", args=[space.slug, member.pk]),
        "plan": reverse("outcomes:plan", args=[space.slug, member.pk]),
    }


@pytest.mark.parametrize("persona_name", EVERYONE)
def test_a_persons_pages_are_theirs_and_their_helpers(
    persona_name, persona, client_for, space, member, conversation
):
    client = client_for(persona(persona_name))
    for name, url in person_pages(space, member).items():
        status = client.get(url).status_code
        if persona_name in ALLOWED:
            assert status == 200, name
        elif persona_name == "anonymous":
            assert status == 302, name
        else:
            assert status == 404, (name, persona_name)


@pytest.mark.parametrize("persona_name", EVERYONE)
def test_writes_to_a_persons_outcomes_follow_the_same_rule(
    persona_name, persona, client_for, space, member, conversation
):
    client = client_for(persona(persona_name))
    plan = client.post(reverse("outcomes:plan", args=[space.slug, member.pk]), {"my_part": "Walk"})
    helpers = client.post(reverse("outcomes:helpers", args=[space.slug, member.pk]), {})
    if persona_name == "anonymous":
        assert plan.status_code == helpers.status_code == 302
    elif persona_name == "member":
        assert (plan.status_code, helpers.status_code) == (302, 302)
    elif persona_name == "facilitator":  # a helper works on the plan, but only the person chooses helpers
        assert (plan.status_code, helpers.status_code) == (302, 403)
    else:
        assert (plan.status_code, helpers.status_code) == (404, 404)


@pytest.mark.parametrize("persona_name", EVERYONE)
def test_the_index_and_summary_are_for_members(persona_name, persona, client_for, space):
    client = client_for(persona(persona_name))
    for url in (reverse("outcomes:index", args=[space.slug]), reverse("outcomes:summary", args=[space.slug])):
        status = client.get(url).status_code
        if persona_name in MEMBERS or persona_name == "staff":
            assert status == 200, url
        elif persona_name == "anonymous":
            assert status == 302
        else:
            assert status == 403


@pytest.mark.parametrize("persona_name", EVERYONE)
def test_private_space_pages_are_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, member
):
    client = client_for(persona(persona_name))
    status = client.get(reverse("outcomes:summary", args=[private_space.slug])).status_code
    if persona_name in MEMBERS or persona_name == "staff":
        assert status == 200
    elif persona_name == "anonymous":
        assert status == 302
    else:
        assert status == 404


@pytest.mark.parametrize("persona_name", EVERYONE)
def test_the_api_follows_the_same_rules(persona_name, persona, space, member, conversation):
    api = Api(persona(persona_name))
    base = f"/spaces/{space.slug}/outcomes/people/{member.pk}"
    detail = api.get(base)
    plan = api.put(f"{base}/plan", {"my_part": "Walk"})
    talk = api.post(
        f"{base}/conversations", {"held_on": "2026-02-01", "ratings": [{"outcome": "skills", "score": 3}]}
    )
    summary = api.get(f"/spaces/{space.slug}/outcomes/summary")
    if persona_name == "anonymous":
        assert {detail.status_code, plan.status_code, talk.status_code, summary.status_code} == {401}
        return
    if persona_name in ALLOWED:
        assert (detail.status_code, plan.status_code, talk.status_code) == (200, 200, 201)
    else:
        assert (detail.status_code, plan.status_code, talk.status_code) == (404, 404, 404)
    assert summary.status_code == (200 if persona_name in MEMBERS or persona_name == "staff" else 403)


def test_a_helper_who_leaves_the_space_no_longer_sees(space, member, conversation, facilitator, client_for):
    from coproduce.spaces import services as space_services

    membership = space.memberships.get(user=facilitator)
    space_services.membership_end(actor=facilitator, membership=membership)
    assert (
        client_for(facilitator).get(reverse("outcomes:person", args=[space.slug, member.pk])).status_code
        == 404
    )


def test_once_recorded_another_facilitator_cannot_reach_someone_who_takes_part_with_help(
    client_for, space, margaret, facilitator, host
):
    from coproduce.outcomes import services

    # Before anything is recorded, any facilitator (the host too) may record her agreement.
    assert client_for(host).get(reverse("outcomes:person", args=[space.slug, margaret.pk])).status_code == 200
    services.consent_give(actor=facilitator, person=margaret, space=space)
    assert (
        client_for(facilitator).get(reverse("outcomes:person", args=[space.slug, margaret.pk])).status_code
        == 200
    )
    assert client_for(host).get(reverse("outcomes:person", args=[space.slug, margaret.pk])).status_code == 404
    assert Api(host).get(f"/spaces/{space.slug}/outcomes/people/{margaret.pk}").status_code == 404
    assert Api(host).delete(f"/spaces/{space.slug}/outcomes/people/{margaret.pk}/consent").status_code == 404
