"""Who may see and do what with ideas: every page and endpoint × every persona, public and private spaces."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.ideas import services
from coproduce.ideas.models import IdeaStatus

MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}


def expected(persona: str, allowed: set[str], *, login_required: bool = True) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login_required:
        return 302
    return 403


def pages(space, idea, comment):
    """(name, url, who gets 200, needs login) for every GET page of the ideas module."""
    args = [space.slug]
    return [
        ("list", reverse("ideas:list", args=args), set(PERSONAS), False),
        ("detail", reverse("ideas:detail", args=[*args, idea.pk]), set(PERSONAS), False),
        ("create", reverse("ideas:create", args=args), MEMBERS, True),
        ("edit", reverse("ideas:edit", args=[*args, idea.pk]), {"member"}, True),
        ("status", reverse("ideas:status", args=[*args, idea.pk]), RUNNERS, True),
        ("moderation", reverse("ideas:moderation", args=args), RUNNERS, True),
        ("comment_edit", reverse("ideas:comment_edit", args=[*args, comment.pk]), {"practitioner"}, True),
        ("comment_report", reverse("ideas:comment_report", args=[*args, comment.pk]), MEMBERS, True),
        ("comment_hide", reverse("ideas:comment_hide", args=[*args, comment.pk]), RUNNERS, True),
    ]


@pytest.fixture
def comment(idea, practitioner):
    return services.comment_create(actor=practitioner, idea=idea, body="Who would staff it?")


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_idea_page_in_a_public_space(persona_name, persona, client_for, space, idea, comment):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(space, idea, comment):
        response = client.get(url)
        assert response.status_code == expected(persona_name, allowed, login_required=login), (
            name,
            persona_name,
        )


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_idea_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, private_idea, practitioner
):
    comment = services.comment_create(actor=practitioner, idea=private_idea, body="Hello")
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(private_space, private_idea, comment):
        status = client.get(url).status_code
        if persona_name == "outsider":
            assert status == 404, name  # never reveal that it exists
        elif persona_name == "anonymous":
            assert status == (302 if login else 404), name
        else:
            assert status == expected(persona_name, allowed), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_changes_need_the_right_role(persona_name, persona, client_for, space, idea, comment):
    client = client_for(persona(persona_name))
    slug = space.slug
    posts = [
        (reverse("ideas:create", args=[slug]), {"title": "T", "body": "B"}, MEMBERS),
        (reverse("ideas:support", args=[slug, idea.pk]), {}, MEMBERS),
        (reverse("ideas:comment", args=[slug, idea.pk]), {"body": "Hi"}, MEMBERS),
        (reverse("ideas:comment_report", args=[slug, comment.pk]), {"reason": "Rude"}, MEMBERS),
        (reverse("ideas:status", args=[slug, idea.pk]), {"status": IdeaStatus.UNDER_DISCUSSION}, RUNNERS),
        (reverse("ideas:comment_dismiss", args=[slug, comment.pk]), {}, RUNNERS),
    ]
    for url, data, allowed in posts:
        status = client.post(url, data).status_code
        if persona_name in allowed:
            assert status == 302, (url, persona_name, status)
        elif persona_name == "anonymous":
            assert status == 302 and "login" in client.post(url, data)["Location"], url
        else:
            assert status == 403, (url, persona_name, status)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_follows_the_same_rules(
    persona_name, persona, space, private_space, idea, private_idea, comment
):
    api = Api(persona(persona_name))
    is_member = persona_name in MEMBERS
    assert api.get(f"/spaces/{space.slug}/ideas").status_code == 200
    assert api.get(f"/ideas/{idea.pk}").status_code == 200
    assert api.get(f"/ideas/{idea.pk}/comments").status_code == 200
    assert api.get(f"/spaces/{private_space.slug}/ideas").status_code == (200 if is_member else 404)
    assert api.get(f"/ideas/{private_idea.pk}").status_code == (200 if is_member else 404)
    created = api.post(f"/spaces/{space.slug}/ideas", {"title": "API idea", "body": "From the API."})
    assert created.status_code == (201 if is_member else 401 if persona_name == "anonymous" else 403)
    support = api.post(f"/ideas/{idea.pk}/support")
    assert support.status_code == (201 if is_member else 401 if persona_name == "anonymous" else 403)
    status = api.post(f"/ideas/{idea.pk}/status", {"status": "adopted", "reason": "Agreed."})
    assert status.status_code == (
        200 if persona_name in RUNNERS else 401 if persona_name == "anonymous" else 403
    )
    hide = api.post(f"/ideas/{idea.pk}/comments/{comment.pk}/hide", {"reason": "Rude."})
    assert hide.status_code == (
        200 if persona_name in RUNNERS else 401 if persona_name == "anonymous" else 403
    )


def test_the_public_sees_perspectives_not_names(client_for, space, idea, comment):
    page = client_for(None).get(reverse("ideas:detail", args=[space.slug, idea.pk])).content.decode()
    assert "Lena Lived" not in page and "Pat Practitioner" not in page
    assert "lived experience" in page.lower()
    data = Api().get(f"/ideas/{idea.pk}").json()
    assert data["author"] is None and data["author_perspective"] == "lived_experience"
    members_page = (
        client_for(idea.author).get(reverse("ideas:detail", args=[space.slug, idea.pk])).content.decode()
    )
    assert "Lena Lived" in members_page and "Pat Practitioner" in members_page
