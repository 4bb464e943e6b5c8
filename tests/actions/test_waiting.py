"""Actions on the personal home: the open actions a person owns, overdue ones first."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.actions import selectors, services
from coproduce.actions.models import Action, ActionStatus
from coproduce.core import registry
from coproduce.core.registry import Urgency
from coproduce.spaces import services as space_services


def test_an_owned_open_action_waits_for_its_owner_only(action, member, facilitator, outsider):
    [item] = selectors.waiting_items(member)
    assert item.kind == "action" and item.title == action.title and item.urgency == Urgency.DUE
    assert item.due is not None and timezone.localtime(item.due).date() == action.due_on
    assert item.detail == "Planned, 0% done" and item.space_title == action.space.title
    assert selectors.waiting_items(facilitator) == [] and selectors.waiting_items(outsider) == []


def test_overdue_actions_come_first_and_say_so(action, space, facilitator, member):
    late = services.action_create(actor=facilitator, space=space, title="Late one", owner=member)
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    mine = [i for i in registry.waiting_for(member) if i.module == "actions"]
    assert [i.title for i in mine] == ["Late one", action.title]
    assert mine[0].detail.startswith("Overdue.")


def test_an_action_without_a_date_is_open(space, facilitator, member):
    services.action_create(actor=facilitator, space=space, title="Some day", owner=member)
    [item] = selectors.waiting_items(member)
    assert item.urgency == Urgency.OPEN and item.due is None


def test_done_actions_and_left_spaces_wait_for_nobody(action, private_action, member, private_space):
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE, progress=100)
    assert [i.title for i in selectors.waiting_items(member)] == ["Private action"]
    space_services.membership_end(actor=member, membership=private_space.memberships.get(user=member))
    assert selectors.waiting_items(member) == []
