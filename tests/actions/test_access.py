"""Who may see and do what with actions: every page and endpoint × every persona, public and private."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}


def expected(persona: str, allowed: set[str], login: bool) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login:
        return 302
    return 403


def pages(space, action, idea):
    return [
        ("tracker", reverse("actions:tracker", args=[space.slug]), set(PERSONAS), False),
        ("detail", reverse("actions:detail", args=[space.slug, action.pk]), set(PERSONAS), False),
        ("create", reverse("actions:create", args=[space.slug]), RUNNERS, True),
        ("edit", reverse("actions:edit", args=[space.slug, action.pk]), RUNNERS, True),
        ("from_idea", reverse("actions:from_idea", args=[space.slug, idea.pk]), RUNNERS, True),
    ]


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_action_page_in_a_public_space(persona_name, persona, client_for, space, action, adopted_idea):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(space, action, adopted_idea):
        assert client.get(url).status_code == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_action_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, private_action, member, facilitator
):
    from coproduce.ideas import services as idea_services

    idea = idea_services.idea_create(actor=member, space=private_space, title="Private idea", body="x")
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(private_space, private_action, idea):
        status = client.get(url).status_code
        if persona_name == "outsider":
            assert status == 404, name
        elif persona_name == "anonymous":
            assert status == (302 if login else 404), name
        else:
            assert status == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_the_owner_and_facilitators_post_updates(persona_name, persona, client_for, space, action):
    client = client_for(persona(persona_name))
    url = reverse("actions:report", args=[space.slug, action.pk])
    status = client.post(url, {"text": "Update", "status": "in_progress", "progress": 10}).status_code
    if persona_name in RUNNERS | {"member"}:  # "member" owns the action
        assert status == 302
    elif persona_name == "anonymous":
        assert status == 302 and "login" in client.post(url, {})["Location"]
    else:
        assert status == 403


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_follows_the_same_rules(
    persona_name, persona, space, private_space, action, private_action, adopted_idea, member
):
    api = Api(persona(persona_name))
    is_member = persona_name in MEMBERS
    denied = 401 if persona_name == "anonymous" else 403
    assert api.get(f"/spaces/{space.slug}/actions").status_code == 200
    assert api.get(f"/actions/{action.pk}").status_code == 200
    assert api.get(f"/actions/{action.pk}/updates").status_code == 200
    assert api.get(f"/spaces/{private_space.slug}/actions").status_code == (200 if is_member else 404)
    assert api.get(f"/actions/{private_action.pk}").status_code == (200 if is_member else 404)
    update = api.post(f"/actions/{action.pk}/updates", {"text": "x", "progress": 5, "status": "in_progress"})
    assert update.status_code == (201 if persona_name in RUNNERS | {"member"} else denied)
    created = api.post(f"/spaces/{space.slug}/actions", {"title": "API action", "owner_id": member.pk})
    assert created.status_code == (201 if persona_name in RUNNERS else denied)
    from_idea = api.post(f"/ideas/{adopted_idea.pk}/actions", {"owner_id": member.pk})
    assert from_idea.status_code == (201 if persona_name in RUNNERS else denied)
    edit = api.patch(f"/actions/{action.pk}", {"title": "Renamed"})
    assert edit.status_code == (200 if persona_name in RUNNERS else denied)
