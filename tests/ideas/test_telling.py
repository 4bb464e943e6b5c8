"""What ideas tell people: their idea's status, comments on it, and what a facilitator did for them."""

from __future__ import annotations

from coproduce.ideas import services
from coproduce.ideas.models import IdeaStatus
from coproduce.notifications import access as notification_access
from coproduce.notifications import selectors
from coproduce.notifications.models import Notification
from coproduce.spaces import services as space_services


def told(kind: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


def test_the_authors_hear_that_their_idea_was_decided_on_with_the_reason(
    idea, space, member, practitioner, facilitator, host
):
    services.idea_co_author_add(actor=member, idea=idea, user=practitioner)
    services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Agreed at the meeting"
    )
    rows = told("idea_status_changed")
    assert set(rows) == {
        member.pk,
        practitioner.pk,
    }  # author and co-author; not the facilitator, not the host
    assert (rows[member.pk].url, rows[member.pk].text) == (idea.get_absolute_url(), "Agreed at the meeting")
    assert selectors.sentence(rows[member.pk]) == "The status of the idea “Evening opening” changed"
    # A second decision is a second event.
    services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.NOT_TAKEN_FORWARD, reason="No budget this year"
    )
    assert Notification.objects.filter(kind="idea_status_changed", recipient=member).count() == 2


def test_a_co_author_who_left_the_space_is_not_told(idea, space, member, practitioner, facilitator, host):
    services.idea_co_author_add(actor=member, idea=idea, user=practitioner)
    space_services.membership_end(actor=practitioner, membership=space.memberships.get(user=practitioner))
    services.idea_set_status(actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Agreed")
    assert set(told("idea_status_changed")) == {member.pk}


def test_the_authors_hear_of_a_comment_but_never_the_person_who_wrote_it(
    idea, member, practitioner, facilitator, host
):
    services.idea_co_author_add(actor=member, idea=idea, user=practitioner)
    comment = services.comment_create(actor=host, idea=idea, body="Could we try it for a month first?")
    rows = told("idea_commented")
    assert set(rows) == {member.pk, practitioner.pk}
    row = rows[member.pk]
    assert row.url == f"{idea.get_absolute_url()}#comment-{comment.pk}"
    assert row.text == "Could we try it for a month first?"
    assert selectors.sentence(row) == "Hana Host commented on the idea “Evening opening”"
    # A co-author replying: the author hears of it, the co-author does not hear of their own words.
    services.comment_create(actor=practitioner, idea=idea, body="Yes, a trial month.", parent=comment)
    assert Notification.objects.filter(kind="idea_commented", recipient=practitioner).count() == 1
    assert Notification.objects.filter(kind="idea_commented", recipient=member).count() == 2


def test_a_facilitator_acting_for_someone_tells_them_and_their_helpers_see_it(
    idea, space, margaret, facilitator, host, member
):
    mine = services.idea_create(
        actor=facilitator, space=space, title="Bus pass help", body="Help with forms.", on_behalf_of=margaret
    )
    services.idea_support(actor=facilitator, idea=idea, on_behalf_of=margaret)
    services.idea_unsupport(actor=facilitator, idea=idea, on_behalf_of=margaret)
    services.comment_create(actor=facilitator, idea=idea, body="Margaret says yes", on_behalf_of=margaret)
    rows = list(Notification.objects.filter(kind="acted_on_your_behalf").order_by("pk"))
    assert [r.recipient for r in rows] == [margaret] * 4
    assert [r.params["act"] for r in rows] == ["idea", "support", "support_withdrawn", "comment"]
    assert rows[0].url == mine.get_absolute_url() and rows[0].actor == facilitator
    assert selectors.sentence(rows[0]) == "On your behalf, Fergus Facilitator posted an idea"
    # Margaret has no email: the space's hosts see what to pass on.
    assert set(notification_access.helped_notifications_for(host).filter(kind="acted_on_your_behalf")) == set(
        rows
    )
    # Acting for yourself tells nobody anything.
    services.idea_support(actor=member, idea=mine)
    assert Notification.objects.filter(kind="acted_on_your_behalf").count() == 4
