"""Who may see and do what in conversations: every page and endpoint × every persona, public and private."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.conversations.models import Statement, Vote

MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}


def expected(persona: str, allowed: set[str], login: bool) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login:
        return 302
    return 403


def pages(space, conversation):
    args = [space.slug, conversation.pk]
    statement = conversation.statements.first()
    return [
        ("list", reverse("conversations:list", args=[space.slug]), set(PERSONAS), False),
        ("detail", reverse("conversations:detail", args=args), set(PERSONAS), False),
        ("report", reverse("conversations:report", args=args), set(PERSONAS), False),
        ("statements_csv", reverse("conversations:statements_csv", args=args), set(PERSONAS), False),
        ("map_csv", reverse("conversations:map_csv", args=args), set(PERSONAS), False),
        ("log", reverse("conversations:log", args=args), MEMBERS, False),
        ("log_csv", reverse("conversations:log_csv", args=args), MEMBERS, False),
        ("statement_add", reverse("conversations:statement_add", args=args), MEMBERS, True),
        ("create", reverse("conversations:create", args=[space.slug]), RUNNERS, True),
        ("import", reverse("conversations:import", args=[space.slug]), RUNNERS, True),
        ("settings", reverse("conversations:settings", args=args), RUNNERS, True),
        ("moderation", reverse("conversations:moderation", args=args), RUNNERS, True),
        ("moderate", reverse("conversations:moderate", args=[*args, statement.pk]), RUNNERS, True),
        ("enter_votes", reverse("conversations:enter_votes", args=args), RUNNERS, True),
        ("export", reverse("conversations:export", args=args), RUNNERS, True),
    ]


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_page_in_a_public_space(persona_name, persona, client_for, space, conversation):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(space, conversation):
        assert client.get(url).status_code == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, private_conversation
):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(private_space, private_conversation):
        status = client.get(url).status_code
        if persona_name == "outsider":
            assert status == 404, name
        elif persona_name == "anonymous":
            assert status == (302 if login else 404), name
        else:
            assert status == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_members_vote(persona_name, persona, client_for, space, conversation):
    client = client_for(persona(persona_name))
    statement = conversation.statements.first()
    url = reverse("conversations:vote", args=[space.slug, conversation.pk])
    status = client.post(url, {"statement": statement.pk, "value": "1"}).status_code
    if persona_name in MEMBERS or persona_name == "anonymous":
        assert status == 302
    else:
        assert status == 403
    assert Vote.objects.filter(statement=statement).exists() == (persona_name in MEMBERS)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_moderators_moderate(persona_name, persona, client_for, space, conversation):
    client = client_for(persona(persona_name))
    statement = conversation.statements.first()
    url = reverse("conversations:moderate", args=[space.slug, conversation.pk, statement.pk])
    reason = conversation.reasons[0]
    status = client.post(
        url, {f"m{statement.pk}-status": "rejected", f"m{statement.pk}-reason": reason}
    ).status_code
    if persona_name in RUNNERS or persona_name == "anonymous":
        assert status == 302
    else:
        assert status == 403
    statement.refresh_from_db()
    assert (statement.status == "rejected") == (persona_name in RUNNERS)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_follows_the_same_rules(
    persona_name, persona, space, private_space, conversation, private_conversation
):
    api = Api(persona(persona_name))
    is_member = persona_name in MEMBERS
    anonymous = persona_name == "anonymous"
    assert api.get(f"/spaces/{space.slug}/conversations").status_code == 200
    assert api.get(f"/conversations/{conversation.pk}").status_code == 200
    assert api.get(f"/conversations/{conversation.pk}/statements").status_code == 200
    assert api.get(f"/conversations/{conversation.pk}/report").status_code == 200
    assert api.get(f"/conversations/{conversation.pk}/moderation-log").status_code == (
        200 if is_member else 403
    )
    assert api.get(f"/spaces/{private_space.slug}/conversations").status_code == (200 if is_member else 404)
    assert api.get(f"/conversations/{private_conversation.pk}").status_code == (200 if is_member else 404)
    assert api.get(f"/conversations/{private_conversation.pk}/report").status_code == (
        200 if is_member else 404
    )
    statement = conversation.statements.first()
    status = api.post(
        f"/conversations/{conversation.pk}/votes", {"statement": statement.pk, "value": 1}
    ).status_code
    assert status == (200 if is_member else 401 if anonymous else 403)
    status = api.post(
        f"/conversations/{conversation.pk}/statements", {"text": f"New from {persona_name}"}
    ).status_code
    assert status == (201 if is_member else 401 if anonymous else 403)
    status = api.post(
        f"/conversations/{conversation.pk}/statements/{statement.pk}/moderation",
        {"status": "rejected", "reason": conversation.reasons[0]},
    ).status_code
    assert status == (200 if persona_name in RUNNERS else 401 if anonymous else 403)
    status = api.post(f"/spaces/{space.slug}/conversations", {"question": "Another?"}).status_code
    assert status == (201 if persona_name in RUNNERS else 401 if anonymous else 403)
    # Private: outsiders are not told it exists, even on writes.
    private_statement = private_conversation.statements.first()
    status = api.post(
        f"/conversations/{private_conversation.pk}/votes", {"statement": private_statement.pk, "value": 1}
    ).status_code
    assert status == (200 if is_member else 401 if anonymous else 404)


def test_a_pending_statement_is_seen_only_by_moderators(
    space, conversation, member, practitioner, host, client_for
):
    from coproduce.conversations import services

    pending = services.statement_add(actor=member, conversation=conversation, text="Open on Sundays.")
    assert pending.status == "pending"
    url = reverse("conversations:moderate", args=[space.slug, conversation.pk, pending.pk])
    assert client_for(host).get(url).status_code == 200
    assert (
        "Open on Sundays."
        not in client_for(practitioner).get(conversation.get_absolute_url()).content.decode()
    )
    assert Statement.objects.filter(pk=pending.pk, status="pending").exists()
