"""Services for actions: from a decision or an adopted idea in one step, owned by any member, dated updates,
status with reasons, and overdue reminders that never go twice on the same day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coproduce.actions import services
from coproduce.actions.models import Action, ActionStatus, ActionUpdate
from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.core.registry import Source
from coproduce.ideas import services as idea_services
from coproduce.meetings import services as meeting_services
from coproduce.notifications import access as notification_access
from coproduce.notifications.models import Notification
from coproduce.people.models import ContactPreference
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective

from ..ideas.helpers import text

TODAY = dt.date(2026, 5, 4)


def idea(user, found) -> Source:
    return registry.source("ideas.idea", user, found.pk)


def test_an_adopted_idea_becomes_an_action_in_one_step(space, adopted_idea, facilitator, member):
    action = services.action_create_from_source(
        actor=facilitator, source=idea(facilitator, adopted_idea), owner=member, due_on=TODAY
    )
    assert (action.title, action.idea, action.owner, action.owner_perspective) == (
        "Evening opening",
        adopted_idea,
        member,
        Perspective.LIVED_EXPERIENCE,
    )
    assert action.status == ActionStatus.PLANNED and action.progress == 0
    event = AuditEvent.objects.get(action="action.created")
    assert event.public and "lived experience" in event.summary and "Lena" not in event.summary


def test_only_adopted_ideas_and_facilitators(
    space, member, facilitator, practitioner, private_space, adopted_idea
):
    not_yet = idea_services.idea_create(actor=member, space=space, title="Not yet", body="x")
    with pytest.raises(ValidationError, match="adopted"):
        services.action_create_from_source(actor=facilitator, source=idea(facilitator, not_yet), owner=member)
    with pytest.raises(PermissionDenied):
        services.action_create(actor=practitioner, space=space, title="Mine", owner=practitioner)
    with pytest.raises(PermissionDenied):  # a member may see the adopted idea but not make it an action
        services.action_create_from_source(
            actor=practitioner, source=idea(practitioner, adopted_idea), owner=practitioner
        )
    elsewhere = idea_services.idea_create(actor=member, space=private_space, title="Elsewhere", body="x")
    with pytest.raises(ValidationError, match="another space"):
        services.action_create(
            actor=facilitator, space=space, title="Mixed", owner=member, source=idea(facilitator, elsewhere)
        )
    assert not Action.objects.exists()


def test_the_owner_must_be_a_member(space, facilitator, outsider):
    with pytest.raises(ValidationError) as error:
        services.action_create(actor=facilitator, space=space, title="Outsourced", owner=outsider)
    assert "owner" in error.value.message_dict
    assert not Action.objects.exists()


def test_a_decision_becomes_an_action(space, facilitator, member):
    from tests.meetings.conftest import when

    meeting = meeting_services.meeting_create(
        actor=facilitator, space=space, title="Workshop", format="online", **when(days=-1)
    )
    decision = meeting_services.decision_record(
        actor=facilitator, meeting=meeting, text="Write to the council"
    )
    found = registry.source("meetings.decision", facilitator, decision.pk)  # the meetings module's own
    assert found.url.endswith(f"#decision-{decision.pk}") and found.ready
    action = services.action_create_from_source(actor=facilitator, source=found, owner=member)
    assert action.decision == decision and action.title == "Write to the council"
    assert "from a meeting's decision" in AuditEvent.objects.get(action="action.created").summary


def test_the_owner_reports_progress_with_dated_updates(action, member, practitioner, facilitator):
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)):
        update = services.action_report(
            actor=member, action=action, text="Phoned them", progress=30, status=ActionStatus.IN_PROGRESS
        )
    assert update.created_at.date() == dt.date(2026, 5, 1)
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.IN_PROGRESS, 30)
    with pytest.raises(PermissionDenied):
        services.action_report(
            actor=practitioner, action=action, text="Not mine", progress=50, status=ActionStatus.IN_PROGRESS
        )
    services.action_report(
        actor=facilitator, action=action, text="Done at the meeting", progress=40, status=ActionStatus.DONE
    )
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.DONE, 100)  # done means complete
    assert ActionUpdate.objects.count() == 2


def test_bad_reports_are_refused_with_fields_named(action, member):
    with pytest.raises(ValidationError) as error:
        services.action_report(actor=member, action=action, text=" ", progress=101, status="nonsense")
    assert set(error.value.message_dict) == {"text", "progress", "status"}
    with pytest.raises(ValidationError) as error:
        services.action_report(
            actor=member, action=action, text="Stopping", progress=10, status=ActionStatus.DROPPED
        )
    assert "reason" in error.value.message_dict
    assert not ActionUpdate.objects.exists() and Action.objects.get().status == ActionStatus.PLANNED
    services.action_report(
        actor=member,
        action=action,
        text="Stopping",
        progress=10,
        status=ActionStatus.DROPPED,
        reason="The council already does it.",
    )
    assert Action.objects.get().status_reason == "The council already does it."


def test_the_database_keeps_actions_honest(action):
    for change in (
        {"progress": 101},
        {"status": ActionStatus.DROPPED},
        {"status": ActionStatus.DONE, "progress": 50},
        {"status": "lost"},
        {"title": ""},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Action.objects.filter(pk=action.pk).update(**change)


def test_facilitators_reassign_and_the_new_owners_perspective_is_kept(
    action, facilitator, practitioner, member
):
    with pytest.raises(PermissionDenied):
        services.action_edit(actor=member, action=action, owner=practitioner)
    action = services.action_edit(actor=facilitator, action=action, owner=practitioner, due_on=TODAY)
    assert (action.owner, action.owner_perspective) == (practitioner, Perspective.PRACTITIONER)
    assert AuditEvent.objects.get(action="action.edited").changes["owner_perspective"] == [
        "lived_experience",
        "practitioner",
    ]


def test_a_former_member_can_no_longer_report(space, action, member, host):
    space_services.membership_end(
        actor=host, membership=space.memberships.get(user=member), reason="Moved away"
    )
    with pytest.raises(PermissionDenied):
        services.action_report(
            actor=member, action=action, text="x", progress=1, status=ActionStatus.IN_PROGRESS
        )


# --- Overdue reminders ----------------------------------------------------------------------------


def test_overdue_owners_are_reminded_once_a_day(
    space,
    facilitator,
    member,
    practitioner,
    mailoutbox,
    tasks_now,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://coproduce.example.org"
    overdue = services.action_create(
        actor=facilitator, space=space, title="Late", owner=member, due_on=TODAY - dt.timedelta(days=1)
    )
    services.action_create(actor=facilitator, space=space, title="Not yet", owner=member, due_on=TODAY)
    done = services.action_create(
        actor=facilitator, space=space, title="Done", owner=practitioner, due_on=TODAY - dt.timedelta(days=3)
    )
    services.action_report(
        actor=practitioner, action=done, text="Finished", progress=100, status=ActionStatus.DONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue(today=TODAY) == 1
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert mailoutbox[0].subject == "The action “Late” was due on 3 May 2026 and is not done yet"
    # a link people can follow from their email client, to the site's own address
    assert "https://coproduce.example.org/" in mailoutbox[0].body
    assert Action.objects.get(pk=overdue.pk).last_reminded_on == TODAY
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue(today=TODAY) == 0  # the command and the task both ran today
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        # The next day: reminded again, and "Not yet" (due the day before) is now overdue too.
        assert services.remind_overdue(today=TODAY + dt.timedelta(days=1)) == 2
    assert len(mailoutbox) == 3


def test_people_taking_part_with_help_are_never_emailed_and_their_facilitators_see_the_reminder(
    space, host, facilitator, mailoutbox, tasks_now, django_capture_on_commit_callbacks, client_for
):
    margaret = space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.CARER
    ).user
    services.action_create(
        actor=facilitator,
        space=space,
        title="Bring the leaflets",
        owner=margaret,
        due_on=TODAY - dt.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue(today=TODAY) == 1
    assert mailoutbox == []  # the one recipient rule: no email address, never emailed
    for helper in (host, facilitator):  # the space's facilitators and hosts pass it on
        reminder = notification_access.helped_notifications_for(helper).get(kind="action_overdue")
        assert reminder.recipient == margaret
        page = text(client_for(helper).get(reverse("notifications:helped")))
        assert "For Margaret: The action “Bring the leaflets” was due on 2 May 2026" in page


def test_people_who_asked_not_to_be_emailed_are_not(
    space, facilitator, member, mailoutbox, tasks_now, django_capture_on_commit_callbacks
):
    member.contact_preference = ContactPreference.NONE
    member.save(update_fields=["contact_preference"])
    action = services.action_create(
        actor=facilitator, space=space, title="Late", owner=member, due_on=TODAY - dt.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue(today=TODAY) == 1  # told in their own notifications
    assert mailoutbox == [] and Action.objects.get(pk=action.pk).last_reminded_on == TODAY
    assert Notification.objects.filter(recipient=member, kind="action_overdue").count() == 1


def test_the_owner_is_told_when_an_action_is_given_to_them(
    space, facilitator, member, practitioner, mailoutbox, tasks_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_create(actor=facilitator, space=space, title="Leaflets", owner=member)
        services.action_create(actor=facilitator, space=space, title="Mine", owner=facilitator)
    assert [(m.to, m.subject) for m in mailoutbox] == [([member.email], "You own a new action: “Leaflets”")]
    with django_capture_on_commit_callbacks(execute=True):
        services.action_edit(actor=facilitator, action=action, due_on=TODAY)  # same owner: nothing new
        services.action_edit(actor=facilitator, action=action, owner=practitioner)
    assert [m.to for m in mailoutbox] == [[member.email], [practitioner.email]]


def test_the_command_and_the_periodic_task(space, facilitator, member, mailoutbox, capsys):
    from huey.contrib.djhuey import HUEY

    from coproduce.actions import tasks

    services.action_create(
        actor=facilitator,
        space=space,
        title="Late",
        owner=member,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    call_command("remind_overdue")
    assert "1 reminder(s) queued." in capsys.readouterr().out
    assert tasks.remind_overdue_actions.call_local() == 0  # already reminded today
    ours = tasks.remind_overdue_actions.task_class

    def due_at(moment):
        return any(isinstance(task, ours) for task in HUEY.read_periodic(moment))

    assert due_at(dt.datetime(2026, 5, 4, 8, 0)) and not due_at(dt.datetime(2026, 5, 4, 9, 0))


def test_a_funded_budget_project_becomes_an_action_through_its_source(space, facilitator, member, projects):
    projects[41] = (space, "Community fridge", True)
    projects[42] = (space, "Not chosen", False)
    found = registry.source("budgets.project", facilitator, 41)
    action = services.action_create_from_source(actor=facilitator, source=found, owner=member)
    assert (action.title, action.budget_project_id) == ("Community fridge", 41)
    assert "from a funded budget project" in AuditEvent.objects.get(action="action.created").summary
    with pytest.raises(ValidationError, match="funded"):
        services.action_create_from_source(
            actor=facilitator, source=registry.source("budgets.project", facilitator, 42), owner=member
        )
