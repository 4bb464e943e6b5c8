"""One rule, asked in one place (ideas/access.py), driven the same way through the web pages and the API:
who merges an idea and into what, and who changes a comment and until when."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.ideas import services
from coproduce.ideas.models import Comment, Idea, IdeaStatus

from .helpers import text

RUNNERS = {"host", "facilitator"}


def web_merge(client, idea, into) -> tuple[int, str]:
    response = client.post(
        reverse("ideas:status", args=[idea.space.slug, idea.pk]),
        {"status": IdeaStatus.MERGED, "reason": "The same idea.", "merged_into": into},
    )
    return response.status_code, text(response)


def api_merge(api, idea, into) -> tuple[int, str]:
    response = api.post(
        f"/ideas/{idea.pk}/status", {"status": "merged", "reason": "The same idea.", "merged_into": into}
    )
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_merges_an_idea(persona_name, persona, client_for, space, idea, member):
    web_idea = services.idea_create(actor=member, space=space, title="Late opening", body="Same.")
    api_idea = services.idea_create(actor=member, space=space, title="Open later", body="Same.")
    user = persona(persona_name)
    web, _page = web_merge(client_for(user), web_idea, idea.pk)
    api, _body = api_merge(Api(user), api_idea, idea.pk)
    if persona_name in RUNNERS:
        assert (web, api) == (302, 200)
        assert set(idea.merged_ideas.all()) == {web_idea, api_idea}
    else:
        assert (web, api) == ((302, 401) if persona_name == "anonymous" else (403, 403))
        assert not idea.merged_ideas.exists()


def test_what_an_idea_may_be_merged_into(client_for, space, private_space, idea, member, facilitator):
    """Another idea of the same space, not itself merged: the same refusal, in the same words, on both."""
    other = services.idea_create(actor=member, space=space, title="Late opening", body="Same.")
    elsewhere = services.idea_create(actor=member, space=private_space, title="Elsewhere", body="x")
    gone = services.idea_create(actor=member, space=space, title="Gone", body="x")
    services.idea_set_status(
        actor=facilitator, idea=gone, status=IdeaStatus.MERGED, reason="Same.", merged_into=idea
    )
    web, api = client_for(facilitator), Api(facilitator)
    for into, words in (
        (999999, "There is no idea with that number in this space."),
        (elsewhere.pk, "There is no idea with that number in this space."),
        (other.pk, "Choose another idea in this space."),
        (gone.pk, "That idea was itself merged; choose the one it went into."),
    ):
        status, page = web_merge(web, other, into)
        assert status == 400 and words in page, into
        status, body = api_merge(api, other, into)
        assert status == 422 and words in body, into
    assert Idea.objects.get(pk=other.pk).status == IdeaStatus.UNDER_DISCUSSION
    assert web_merge(web, other, idea.pk)[0] == 302


def web_edit(client, comment, body) -> tuple[int, str]:
    response = client.post(
        reverse("ideas:comment_edit", args=[comment.idea.space.slug, comment.pk]), {"body": body}
    )
    return response.status_code, text(response)


def api_edit(api, comment, body) -> tuple[int, str]:
    response = api.patch(f"/ideas/{comment.idea_id}/comments/{comment.pk}", {"body": body})
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_changes_a_comment(persona_name, persona, client_for, idea, member):
    comment = services.comment_create(actor=member, idea=idea, body="Who staffs it?")
    user = persona(persona_name)
    web, _page = web_edit(client_for(user), comment, "Who would staff it?")
    api, _body = api_edit(Api(user), comment, "Who would staff it on Thursdays?")
    body = Comment.objects.get(pk=comment.pk).body
    if persona_name == "member":  # its author, and only its author
        assert (web, api) == (302, 200) and body == "Who would staff it on Thursdays?"
    else:
        assert (web, api) == ((302, 401) if persona_name == "anonymous" else (403, 403))
        assert body == "Who staffs it?"


def test_a_comment_changes_only_for_a_while_and_not_once_hidden(client_for, idea, member, facilitator):
    comment = services.comment_create(actor=member, idea=idea, body="Who staffs it?")
    page = client_for(member).get(idea.get_absolute_url()).content.decode()
    assert reverse("ideas:comment_edit", args=[idea.space.slug, comment.pk]) in page  # offered, as allowed
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        page = client_for(member).get(idea.get_absolute_url()).content.decode()
        assert reverse("ideas:comment_edit", args=[idea.space.slug, comment.pk]) not in page
        web, page = web_edit(client_for(member), comment, "Changed")
        api, body = api_edit(Api(member), comment, "Changed")
    words = "Comments can be changed for 15 minutes after posting."
    assert (web, api) == (400, 422) and words in page and words in body
    fresh = services.comment_create(actor=member, idea=idea, body="Another")
    services.comment_hide(actor=facilitator, comment=fresh, reason="Off topic")
    web, page = web_edit(client_for(member), fresh, "Changed")
    api, body = api_edit(Api(member), fresh, "Changed")
    assert (web, api) == (400, 422) and words in page and words in body
    assert Comment.objects.filter(body="Changed").count() == 0
