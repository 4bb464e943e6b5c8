"""Ideas on the personal home: reported comments for the facilitators and hosts of the space."""

from __future__ import annotations

from coproduce.core.registry import Urgency
from coproduce.ideas import selectors, services


def test_reported_comments_wait_for_facilitators_and_hosts(
    space, private_space, host, facilitator, member, practitioner, outsider
):
    idea = services.idea_create(actor=member, space=space, title="Evening opening", body="Thursdays.")
    first = services.comment_create(actor=member, idea=idea, body="One.")
    second = services.comment_create(actor=member, idea=idea, body="Two.")
    services.comment_report(actor=practitioner, comment=first, reason="Rude.")
    services.comment_report(actor=facilitator, comment=first, reason="Rude too.")
    services.comment_report(actor=practitioner, comment=second, reason="Off topic.")
    [item] = selectors.waiting_items(facilitator)
    assert item.title == "Look at 2 reported comments" and item.urgency == Urgency.WAITING_ON_YOU
    assert item.space_title == space.title and len(selectors.waiting_items(host)) == 1
    for person in (member, practitioner, outsider):
        assert selectors.waiting_items(person) == []
    services.comment_reports_dismiss(actor=facilitator, comment=first)
    services.comment_reports_dismiss(actor=facilitator, comment=second)
    assert selectors.waiting_items(facilitator) == []
