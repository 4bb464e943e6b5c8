"""What budgets tell people: voting opens, voting closes in 24 hours (once), results are out, a paper
ballot recorded for you."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from tests.budgets.conftest import move_to

from coproduce.budgets import selectors as budget_selectors
from coproduce.budgets import services, tasks
from coproduce.budgets.models import Budget, Phase
from coproduce.notifications import selectors
from coproduce.notifications.models import Notification


def ids(budget):
    return list(budget_selectors.on_ballot(budget))


def told(kind: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


def test_members_hear_that_voting_opened_but_not_the_host_who_opened_it(
    voting, host, facilitator, member, practitioner, outsider
):
    rows = told("budget_voting_opened")
    assert set(rows) == {facilitator.pk, member.pk, practitioner.pk}
    assert rows[member.pk].url == voting.get_absolute_url()
    assert selectors.sentence(rows[member.pk]) == "Voting is open for “Community health fund”"


def test_reopened_voting_is_told_again_and_the_results_once(voting, host, member):
    voting = move_to(voting, host, Phase.CLOSED)
    services.budget_reopen_voting(actor=host, budget=voting, reason="The polling station flooded")
    assert Notification.objects.filter(kind="budget_voting_opened", recipient=member).count() == 2
    assert not told("budget_results_published")
    move_to(voting, host, Phase.RESULTS)
    rows = told("budget_results_published")
    assert member.pk in rows and host.pk not in rows
    assert rows[member.pk].url == voting.get_absolute_url()


def _planned_end(budget: Budget, day: dt.date) -> None:
    Budget.objects.filter(pk=budget.pk).update(results_from=day)


def test_the_reminder_goes_once_the_day_before_to_members_who_have_not_voted(
    voting, host, facilitator, member, practitioner
):
    services.ballot_submit(actor=member, budget=voting, choices=[(ids(voting)[0], 1)])
    now = timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    _planned_end(voting, tomorrow + dt.timedelta(days=1))
    assert services.remind_voting_closing(now=now) == 0  # two days ahead: not yet
    _planned_end(voting, tomorrow)
    assert services.remind_voting_closing(now=now) == 1
    assert services.remind_voting_closing(now=now) == 0  # run twice: sent once
    assert tasks.remind_voting_closing.call_local() == 0  # and the hourly task finds nothing more
    rows = told("budget_voting_closing")
    assert set(rows) == {host.pk, facilitator.pk, practitioner.pk}  # member has voted
    assert Notification.objects.filter(kind="budget_voting_closing").count() == 3
    assert selectors.sentence(rows[host.pk]) == "Voting for “Community health fund” closes in 24 hours"


def test_a_new_planned_end_is_reminded_again_and_a_closed_vote_never(voting, host, member):
    now = timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    _planned_end(voting, tomorrow)
    assert services.remind_voting_closing(now=now) == 1
    # The host moves the planned end: people are reminded again before the new one.
    services.budget_update(actor=host, budget=voting, results_from=tomorrow + dt.timedelta(days=3))
    assert Budget.objects.get(pk=voting.pk).closing_reminder_sent_at is None
    later = now + dt.timedelta(days=3)
    assert services.remind_voting_closing(now=later) == 1
    assert Notification.objects.filter(kind="budget_voting_closing", recipient=member).count() == 2
    # A vote already closed is not reminded.
    closed = move_to(voting, host, Phase.CLOSED)
    Budget.objects.filter(pk=closed.pk).update(closing_reminder_sent_at=None)
    assert services.remind_voting_closing(now=later) == 0


def test_the_reminder_is_an_hourly_task(voting):
    from huey.contrib.djhuey import HUEY

    moments = [dt.datetime(2026, 5, 4, hour, 10) for hour in (0, 9, 23)]
    for moment in moments:
        assert any(isinstance(t, tasks.remind_voting_closing.task_class) for t in HUEY.read_periodic(moment))


def test_a_paper_ballot_tells_the_member_it_was_recorded_for(voting, facilitator, margaret, host):
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, choices=[(ids(voting)[0], 1)]
    )
    rows = told("acted_on_your_behalf")
    assert set(rows) == {margaret.pk}
    assert (
        rows[margaret.pk].params == {"act": "ballot"} and rows[margaret.pk].url == voting.get_absolute_url()
    )
    assert (
        selectors.sentence(rows[margaret.pk])
        == "On your behalf, Fergus Facilitator recorded your paper ballot"
    )
