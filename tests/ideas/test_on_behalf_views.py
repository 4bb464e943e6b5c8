"""Assisted participation from the idea pages: a facilitator or host posts, supports and comments for a member
who takes part with help, by choosing "Who is this for?". The act is theirs to see on /me/on-my-behalf/, the
log names both people, and nobody else can choose or forge the choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.ideas import services
from coproduce.ideas.models import Comment, Idea, Support
from coproduce.spaces.models import Perspective

from .helpers import html, text


def acted_for(person, action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action, on_behalf_of=person)


def assert_on_their_page(client_for, person, summary: str) -> None:
    page = text(client_for(person).get(reverse("people:on_my_behalf")))
    assert summary in page and "Fergus Facilitator" in page


def writes() -> tuple[int, int, int, int]:
    return (
        Idea.objects.count(),
        Support.objects.count(),
        Comment.objects.count(),
        AuditEvent.objects.filter(action__startswith="idea.").count(),
    )


# --- The facilitator acts for an assisted member --------------------------------------------------


def test_the_choice_is_labelled_and_defaults_to_the_facilitator(client_for, space, facilitator, margaret):
    page = html(client_for(facilitator).get(reverse("ideas:create", args=[space.slug])))
    assert '<label for="id_on_behalf_of">Who is this for?' in page
    assert 'aria-describedby="id_on_behalf_of_hint"' in page
    assert f'<option value="{facilitator.pk}" selected>Me (Fergus Facilitator)</option>' in page
    assert f'<option value="{margaret.pk}">Margaret Brown (carer or family member)</option>' in page
    assert "Lena Lived" not in page  # members with their own account speak for themselves


@pytest.mark.parametrize("who", ["facilitator", "host"])
def test_posting_an_idea_for_an_assisted_member(client_for, persona, space, margaret, who):
    actor = persona(who)
    response = client_for(actor).post(
        reverse("ideas:create", args=[space.slug]),
        {"on_behalf_of": margaret.pk, "title": "A ramp", "body": "At the side door."},
        follow=True,
    )
    idea = Idea.objects.get()
    assert idea.author == margaret and idea.author_perspective == Perspective.CARER
    assert "The idea is posted for Margaret Brown." in text(response)
    event = acted_for(margaret, "idea.created")
    assert event.actor == actor and event.target_id == idea.pk
    page = text(client_for(margaret).get(reverse("people:on_my_behalf")))
    assert "Idea “A ramp” posted" in page and actor.display_name in page


def test_the_facilitator_still_posts_as_themself_by_default(client_for, space, facilitator, margaret):
    client_for(facilitator).post(
        reverse("ideas:create", args=[space.slug]),
        {"on_behalf_of": facilitator.pk, "title": "Mine", "body": "My own idea."},
    )
    idea = Idea.objects.get()
    assert idea.author == facilitator
    assert AuditEvent.objects.get(action="idea.created").on_behalf_of is None


def test_supporting_an_idea_for_an_assisted_member(client_for, space, idea, facilitator, margaret):
    detail = html(client_for(facilitator).get(idea.get_absolute_url()))
    assert '<label for="support_on_behalf_of">Who is this for?' in detail
    url = reverse("ideas:support", args=[space.slug, idea.pk])
    response = client_for(facilitator).post(url, {"on_behalf_of": margaret.pk}, follow=True)
    assert "Support from Margaret Brown is counted." in text(response)
    support = Support.objects.get()
    assert support.user == margaret and support.perspective == Perspective.CARER
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    assert acted_for(margaret, "idea.supported").actor == facilitator
    assert_on_their_page(client_for, margaret, "Support added to “Evening opening”")
    # With htmx, the fragment comes back with a fresh choice; a second support for her is refused plainly.
    again = client_for(facilitator).post(url, {"on_behalf_of": margaret.pk}, headers={"HX-Request": "true"})
    assert again.status_code == 400 and "Margaret Brown already supports this idea." in html(again)
    assert Support.objects.count() == 1


def test_commenting_and_replying_for_an_assisted_member(
    client_for, space, idea, facilitator, member, margaret
):
    url = reverse("ideas:comment", args=[space.slug, idea.pk])
    response = client_for(facilitator).post(
        url, {"on_behalf_of": margaret.pk, "body": "Yes please."}, follow=True
    )
    comment = Comment.objects.get()
    assert comment.author == margaret and comment.author_perspective == Perspective.CARER
    assert "The comment is posted for Margaret Brown." in text(response)
    assert acted_for(margaret, "idea.comment_created").actor == facilitator
    assert_on_their_page(client_for, margaret, "Comment on “Evening opening”")
    # Each reply form carries its own labelled choice.
    page = html(client_for(facilitator).get(idea.get_absolute_url()))
    assert f'<label for="reply-{comment.pk}-for">Who is this for?</label>' in page
    assert f'id="reply-{comment.pk}-for"' in page
    client_for(facilitator).post(url, {"on_behalf_of": margaret.pk, "parent": comment.pk, "body": "And me."})
    reply = Comment.objects.get(parent=comment)
    assert reply.author == margaret
    assert AuditEvent.objects.filter(action="idea.comment_created", on_behalf_of=margaret).count() == 2


# --- Members do not see the choice and cannot forge it --------------------------------------------


def test_members_do_not_see_the_choice(client_for, space, idea, member, margaret):
    for page in (
        html(client_for(member).get(reverse("ideas:create", args=[space.slug]))),
        html(client_for(member).get(idea.get_absolute_url())),
    ):
        assert "on_behalf_of" not in page and "Who is this for?" not in page


def test_a_forged_choice_from_a_member_is_refused_and_nothing_is_written(
    client_for, space, idea, member, margaret
):
    client = client_for(member)
    before, for_her = writes(), AuditEvent.objects.filter(on_behalf_of=margaret).count()
    forged = {"on_behalf_of": margaret.pk}
    assert (
        client.post(
            reverse("ideas:create", args=[space.slug]), {**forged, "title": "T", "body": "B"}
        ).status_code
        == 403
    )
    assert client.post(reverse("ideas:support", args=[space.slug, idea.pk]), forged).status_code == 403
    comment_url = reverse("ideas:comment", args=[space.slug, idea.pk])
    assert client.post(comment_url, {**forged, "body": "Hi"}).status_code == 403
    assert writes() == before and AuditEvent.objects.filter(on_behalf_of=margaret).count() == for_her


def test_a_facilitator_with_nobody_to_act_for_sees_no_choice_and_cannot_forge_one(
    client_for, space, idea, facilitator, member
):
    assert "Who is this for?" not in html(client_for(facilitator).get(idea.get_absolute_url()))
    before = writes()
    response = client_for(facilitator).post(
        reverse("ideas:comment", args=[space.slug, idea.pk]), {"on_behalf_of": member.pk, "body": "Hi"}
    )
    assert response.status_code == 403 and writes() == before


# --- Only members of the space who take part with help can be chosen ------------------------------


@pytest.mark.parametrize("target", ["elsewhere", "outsider", "member"])
def test_someone_who_cannot_be_acted_for_is_refused_with_the_form_kept(
    client_for, request, space, idea, facilitator, margaret, target
):
    person = request.getfixturevalue(target)
    client = client_for(facilitator)
    before = writes()
    response = client.post(
        reverse("ideas:create", args=[space.slug]),
        {"on_behalf_of": person.pk, "title": "Kept title", "body": "B"},
    )
    assert response.status_code == 400
    page = html(response)
    assert 'value="Kept title"' in page and "There is a problem" in page
    assert 'href="#id_on_behalf_of"' in page  # the summary links to the field
    assert 'id="id_on_behalf_of_error"' in page and 'aria-invalid="true"' in page
    assert "Choose yourself or a member of this space who takes part with help." in page
    comment = client.post(
        reverse("ideas:comment", args=[space.slug, idea.pk]),
        {"on_behalf_of": person.pk, "body": "Kept words"},
    )
    assert comment.status_code == 400 and "Kept words</textarea>" in html(comment)
    assert 'id="id_on_behalf_of_error"' in html(comment)
    support = client.post(reverse("ideas:support", args=[space.slug, idea.pk]), {"on_behalf_of": person.pk})
    assert support.status_code == 400 and 'id="support_on_behalf_of_error"' in html(support)
    assert writes() == before


def test_the_service_refuses_too_and_names_the_field(space, facilitator, elsewhere):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.idea_create(actor=facilitator, space=space, title="X", body="Y", on_behalf_of=elsewhere)
    assert set(error.value.message_dict) == {"on_behalf_of"}


# --- Anonymous ------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client_for, space, idea, margaret):
    client = client_for(None)
    for response in (
        client.get(reverse("ideas:create", args=[space.slug])),
        client.post(
            reverse("ideas:create", args=[space.slug]),
            {"on_behalf_of": margaret.pk, "title": "T", "body": "B"},
        ),
        client.post(reverse("ideas:support", args=[space.slug, idea.pk]), {"on_behalf_of": margaret.pk}),
        client.post(
            reverse("ideas:comment", args=[space.slug, idea.pk]), {"on_behalf_of": margaret.pk, "body": "B"}
        ),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Idea.objects.count() == 1 and not Support.objects.exists() and not Comment.objects.exists()
