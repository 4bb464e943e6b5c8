"""Services for ideas: posting, supporting, co-authoring, the conversation and moderation, what became of it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from tests.conftest import make_person

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.ideas import services
from coproduce.ideas.models import Comment, CommentReport, Idea, IdeaCoAuthor, IdeaStatus, Support
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective


def events(space, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(space=space, action=action))


# --- Posting --------------------------------------------------------------------------------------


def test_a_member_posts_an_idea_with_their_perspective_at_the_time(space, member):
    idea = services.idea_create(actor=member, space=space, title="  Evening opening ", body=" Open late. ")
    assert (idea.title, idea.body, idea.status) == (
        "Evening opening",
        "Open late.",
        IdeaStatus.UNDER_DISCUSSION,
    )
    assert idea.author_perspective == Perspective.LIVED_EXPERIENCE
    membership = space.memberships.get(user=member)
    space_services.membership_update(actor=member, membership=membership, perspective=Perspective.CARER)
    idea.refresh_from_db()
    assert idea.author_perspective == Perspective.LIVED_EXPERIENCE  # history is not rewritten
    [event] = events(space, "idea.created")
    assert event.public and event.actor == member and "Lena" not in event.summary


def test_outsiders_cannot_post_and_bad_input_saves_nothing(space, outsider, member):
    with pytest.raises(PermissionDenied):
        services.idea_create(actor=outsider, space=space, title="Mine", body="Mine.")
    with pytest.raises(ValidationError) as error:
        services.idea_create(actor=member, space=space, title="   ", body="Something.")
    assert set(error.value.message_dict) == {"title"}
    assert not Idea.objects.exists() and not events(space, "idea.created")


def test_a_facilitator_posts_for_an_assisted_member_and_the_log_says_so(space, facilitator, member):
    margaret = space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.CARER
    ).user
    idea = services.idea_create(
        actor=facilitator, space=space, title="Lifts", body="Fix the lift.", on_behalf_of=margaret
    )
    assert idea.author == margaret and idea.author_perspective == Perspective.CARER
    [event] = events(space, "idea.created")
    assert event.actor == facilitator and event.on_behalf_of == margaret
    with pytest.raises(PermissionDenied):  # members cannot speak for others
        services.idea_create(actor=member, space=space, title="X", body="Y", on_behalf_of=margaret)
    with pytest.raises(ValidationError):  # nobody with an account is spoken for
        services.idea_create(actor=facilitator, space=space, title="X", body="Y", on_behalf_of=member)


# --- Support --------------------------------------------------------------------------------------


def test_support_counts_once_per_person(idea, practitioner, member):
    support = services.idea_support(actor=practitioner, idea=idea)
    assert support.perspective == Perspective.PRACTITIONER
    with pytest.raises(ValidationError, match="already support"):
        services.idea_support(actor=practitioner, idea=idea)
    services.idea_support(actor=member, idea=idea)
    assert idea.supports.count() == 2 == Idea.objects.get(pk=idea.pk).support_count
    services.idea_unsupport(actor=practitioner, idea=idea)
    assert list(idea.supports.values_list("user", flat=True)) == [member.pk]
    with pytest.raises(ValidationError):
        services.idea_unsupport(actor=practitioner, idea=idea)
    assert (
        Idea.objects.get(pk=idea.pk).support_count == 1
    )  # the counter follows the rows, refusals change nothing


def test_the_database_refuses_a_second_support_when_the_service_is_bypassed(idea, practitioner):
    Support.objects.create(idea=idea, user=practitioner, perspective=Perspective.PRACTITIONER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, user=practitioner, perspective=Perspective.PRACTITIONER)


def test_outsiders_cannot_support_and_decided_ideas_cannot_be_supported(
    idea, outsider, facilitator, practitioner
):
    with pytest.raises(PermissionDenied):
        services.idea_support(actor=outsider, idea=idea)
    services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Everyone wants it."
    )
    with pytest.raises(ValidationError, match="under discussion"):
        services.idea_support(actor=practitioner, idea=idea)


# --- Co-authors -----------------------------------------------------------------------------------


def test_authors_add_co_authors_who_may_then_change_the_idea(
    idea, member, practitioner, outsider, facilitator
):
    co_author = services.idea_co_author_add(actor=member, idea=idea, user=practitioner)
    assert co_author.perspective == Perspective.PRACTITIONER
    services.idea_update(actor=practitioner, idea=idea, title="Evening opening, twice a week", body=idea.body)
    assert Idea.objects.get(pk=idea.pk).title == "Evening opening, twice a week"
    with pytest.raises(ValidationError):
        services.idea_co_author_add(actor=member, idea=idea, user=practitioner)  # already
    with pytest.raises(ValidationError):
        services.idea_co_author_add(actor=member, idea=idea, user=outsider)  # not a member
    with pytest.raises(ValidationError):
        services.idea_co_author_add(actor=member, idea=idea, user=member)  # the author
    with pytest.raises(PermissionDenied):
        services.idea_co_author_add(actor=facilitator, idea=idea, user=facilitator)  # not an author
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=facilitator, idea=idea, title="Mine", body="Mine")
    services.idea_co_author_remove(actor=member, idea=idea, user=practitioner)
    assert not IdeaCoAuthor.objects.exists()


def test_the_text_of_a_decided_idea_no_longer_changes(idea, member, facilitator):
    services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.NOT_TAKEN_FORWARD, reason="No money."
    )
    with pytest.raises(ValidationError):
        services.idea_update(actor=member, idea=idea, title="New", body="New")


# --- Status ---------------------------------------------------------------------------------------


def test_every_status_change_needs_a_reason_and_is_public(idea, facilitator, space):
    with pytest.raises(ValidationError) as error:
        services.idea_set_status(actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="  ")
    assert "reason" in error.value.message_dict
    services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Twelve supporters."
    )
    idea.refresh_from_db()
    assert (idea.status, idea.status_reason, idea.status_changed_by) == (
        IdeaStatus.ADOPTED,
        "Twelve supporters.",
        facilitator,
    )
    [event] = events(space, "idea.status_changed")
    assert event.public and "Twelve supporters." in event.summary
    assert event.changes["status"] == [IdeaStatus.UNDER_DISCUSSION, IdeaStatus.ADOPTED]


def test_only_facilitators_and_hosts_decide(idea, member, practitioner, host):
    for person in (member, practitioner):
        with pytest.raises(PermissionDenied):
            services.idea_set_status(actor=person, idea=idea, status=IdeaStatus.ADOPTED, reason="I say so.")
    services.idea_set_status(
        actor=host, idea=idea, status=IdeaStatus.ADOPTED, reason="Agreed at the meeting."
    )


def test_merging_names_another_idea_of_the_same_space(idea, space, private_space, member, facilitator):
    other = services.idea_create(actor=member, space=space, title="Late opening", body="Same idea.")
    elsewhere = services.idea_create(
        actor=member, space=private_space, title="Elsewhere", body="Other space."
    )
    with pytest.raises(ValidationError) as error:
        services.idea_set_status(actor=facilitator, idea=other, status=IdeaStatus.MERGED, reason="Same.")
    assert "merged_into" in error.value.message_dict
    for target in (other, elsewhere):
        with pytest.raises(ValidationError):
            services.idea_set_status(
                actor=facilitator, idea=other, status=IdeaStatus.MERGED, reason="Same.", merged_into=target
            )
    services.idea_set_status(
        actor=facilitator, idea=other, status=IdeaStatus.MERGED, reason="Same.", merged_into=idea
    )
    assert list(idea.merged_ideas.all()) == [other]
    with pytest.raises(ValidationError):  # no chains: merge into where it went
        services.idea_set_status(
            actor=facilitator, idea=idea, status=IdeaStatus.MERGED, reason="x", merged_into=other
        )


def test_the_database_keeps_status_reasons_and_merge_targets(idea):
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.ADOPTED, status_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.MERGED, status_reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(merged_into=idea)


def test_an_idea_is_published_to_other_modules_as_a_source_ready_once_adopted(
    idea, private_idea, facilitator, practitioner, member, outsider
):
    services.idea_co_author_add(actor=member, idea=idea, user=practitioner)
    found = registry.source("ideas.idea", outsider, idea.pk)
    assert (found.kind, found.pk, found.space_id) == ("ideas.idea", idea.pk, idea.space_id)
    assert (found.title, found.text, found.url) == (idea.title, idea.body, idea.get_absolute_url())
    assert found.authors == (member.pk, practitioner.pk) and not found.ready
    services.idea_set_status(actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Yes.")
    assert registry.source("ideas.idea", outsider, idea.pk).ready
    with pytest.raises(Http404):  # the ideas app's own rule: outsiders do not see a private space's ideas
        registry.source("ideas.idea", outsider, private_idea.pk)
    assert registry.source("ideas.idea", member, private_idea.pk).title == "Quiet hour"


# --- Comments -------------------------------------------------------------------------------------


def test_comments_have_one_level_of_replies(idea, practitioner, member):
    comment = services.comment_create(actor=practitioner, idea=idea, body="Who would staff it?")
    reply = services.comment_create(actor=member, idea=idea, body="Volunteers.", parent=comment)
    assert (reply.parent, reply.author_perspective) == (comment, Perspective.LIVED_EXPERIENCE)
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=practitioner, idea=idea, body="And?", parent=reply)
    assert "parent" in error.value.message_dict
    assert Comment.objects.count() == 2


def test_a_reply_must_belong_to_the_same_idea(idea, space, member):
    other = services.idea_create(actor=member, space=space, title="Other", body="Other.")
    comment = services.comment_create(actor=member, idea=other, body="Hello")
    with pytest.raises(ValidationError):
        services.comment_create(actor=member, idea=idea, body="Hi", parent=comment)


def test_comments_can_be_changed_for_fifteen_minutes_by_their_author_only(idea, member, practitioner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = services.comment_create(actor=member, idea=idea, body="First tought")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        services.comment_update(actor=member, comment=comment, body="First thought")
        with pytest.raises(PermissionDenied):
            services.comment_update(actor=practitioner, comment=comment, body="Hijacked")
    comment.refresh_from_db()
    assert comment.body == "First thought" and comment.edited_at is not None
    late = start + dt.timedelta(minutes=15, seconds=1)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError, match="15 minutes"):
        services.comment_update(actor=member, comment=comment, body="Too late")
    assert Comment.objects.get(pk=comment.pk).body == "First thought"


def test_reports_go_to_facilitators_who_hide_with_a_public_reason(
    idea, space, member, practitioner, facilitator
):
    comment = services.comment_create(actor=practitioner, idea=idea, body="Something unkind")
    services.comment_report(actor=member, comment=comment, reason="Unkind to a named person")
    with pytest.raises(ValidationError, match="already reported"):
        services.comment_report(actor=member, comment=comment, reason="Again")
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=member, comment=comment, reason="I do not like it")
    with pytest.raises(ValidationError):
        services.comment_hide(actor=facilitator, comment=comment, reason=" ")
    services.comment_hide(actor=facilitator, comment=comment, reason="It named someone who was not there.")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == facilitator and comment.body == "Something unkind"
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    [event] = events(space, "idea.comment_hidden")
    assert event.public and "not there" in event.summary
    with pytest.raises(ValidationError):
        services.comment_hide(actor=facilitator, comment=comment, reason="Again")
    with pytest.raises(ValidationError):  # nothing hidden can be edited
        services.comment_update(actor=practitioner, comment=comment, body="Sorry")


def test_facilitators_may_dismiss_reports_and_keep_the_comment(idea, member, practitioner, facilitator):
    comment = services.comment_create(actor=practitioner, idea=idea, body="Robust but fair")
    services.comment_report(actor=member, comment=comment, reason="Too strong")
    with pytest.raises(PermissionDenied):
        services.comment_reports_dismiss(actor=member, comment=comment)
    assert services.comment_reports_dismiss(actor=facilitator, comment=comment) == 1
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_the_database_keeps_hidden_reasons_and_one_report_per_person(idea, member, practitioner):
    comment = services.comment_create(actor=practitioner, idea=idea, body="Hello")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now())
    CommentReport.objects.create(comment=comment, reporter=member, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentReport.objects.create(comment=comment, reporter=member, reason="y")


def test_members_of_other_spaces_cannot_comment(idea, private_space):
    stranger = make_person("Stranger")
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=stranger, idea=idea, body="Hi")
