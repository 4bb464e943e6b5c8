"""A facilitator reporting progress for the owner of an action tells the owner (an update by the owner
themself tells nobody that)."""

from __future__ import annotations

from coproduce.actions import services
from coproduce.actions.models import ActionStatus
from coproduce.notifications import selectors
from coproduce.notifications.models import Notification


def test_reporting_for_the_owner_tells_them(space, facilitator, margaret, member):
    action = services.action_create(
        actor=facilitator, space=space, title="Bring the leaflets", owner=margaret
    )
    services.action_report(
        actor=facilitator,
        action=action,
        text="Half of them are printed",
        progress=50,
        status=ActionStatus.IN_PROGRESS,
    )
    row = Notification.objects.get(kind="acted_on_your_behalf")
    assert (row.recipient, row.params, row.url) == (
        margaret,
        {"act": "action_update"},
        action.get_absolute_url(),
    )
    assert (
        selectors.sentence(row) == "On your behalf, Fergus Facilitator reported progress on an action you own"
    )
    mine = services.action_create(actor=facilitator, space=space, title="Book the hall", owner=member)
    services.action_report(actor=member, action=mine, text="Booked", progress=100, status=ActionStatus.DONE)
    assert Notification.objects.filter(kind="acted_on_your_behalf").count() == 1
