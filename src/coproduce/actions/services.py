"""Every change to actions: validated, atomic and audited; overdue reminders queued, never twice a day."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import ContactPreference
from coproduce.spaces import access as space_access

from . import access
from .models import OPEN_STATUSES, Action, ActionStatus, ActionUpdate

logger = logging.getLogger(__name__)

EDIT_FIELDS = ["title", "description", "owner", "due_on"]


def _owner_perspective(space, owner) -> str:
    membership = space_access.membership_of(owner, space)
    if membership is None:
        raise ValidationError({"owner": _("The owner must be a member of this space.")})
    return membership.perspective


def _on_behalf(actor, person):
    return person if person is not None and person.is_assisted and person.pk != actor.pk else None


@transaction.atomic
def action_create(
    *,
    actor,
    space,
    title: str,
    owner,
    due_on: dt.date | None = None,
    description: str = "",
    decision=None,
    idea=None,
    budget_project_id: int | None = None,
) -> Action:
    """Facilitators and hosts turn what was decided into an action with a named owner (any member)."""
    if not access.can_manage(actor, space):
        raise PermissionDenied(_("Only facilitators and hosts can create actions."))
    if decision is not None and decision.meeting.space_id != space.pk:
        raise ValidationError(_("That decision belongs to another space."))
    if idea is not None:
        if idea.space_id != space.pk:
            raise ValidationError(_("That idea belongs to another space."))
        from coproduce.ideas.models import IdeaStatus

        if idea.status != IdeaStatus.ADOPTED:
            raise ValidationError(_("Only an adopted idea can become an action."))
    action = Action(
        space=space,
        title=(title or "").strip(),
        description=(description or "").strip(),
        owner=owner,
        owner_perspective=_owner_perspective(space, owner),
        due_on=due_on,
        decision=decision,
        idea=idea,
        budget_project_id=budget_project_id,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    source = (
        _("from a meeting's decision")
        if decision
        else _("from an adopted idea")
        if idea
        else _("from a funded budget project")
        if budget_project_id
        else ""
    )
    audit.record(
        actor=actor,
        action="action.created",
        target=action,
        space=space,
        summary=_("Action “%(title)s” created %(source)s, owned by a member taking part as %(perspective)s")
        % {
            "title": action.title,
            "source": source,
            "perspective": action.get_owner_perspective_display().lower(),
        },
        changes={
            "title": [None, action.title],
            "owner_perspective": [None, action.owner_perspective],
            "due_on": [None, due_on],
        },
        public=True,
    )
    return action


def action_create_from_idea(
    *, actor, idea, owner, due_on=None, title: str = "", description: str = ""
) -> Action:
    """An adopted idea becomes an action in one step."""
    return action_create(
        actor=actor,
        space=idea.space,
        title=title or idea.title,
        description=description,
        owner=owner,
        due_on=due_on,
        idea=idea,
    )


def action_create_from_decision(
    *, actor, decision, owner, due_on=None, title: str = "", description: str = ""
) -> Action:
    return action_create(
        actor=actor,
        space=decision.meeting.space,
        title=title or decision.text[:200],
        description=description,
        owner=owner,
        due_on=due_on,
        decision=decision,
    )


def action_create_from_budget_project(*, actor, project, owner, due_on=None, title: str = "") -> Action:
    """HOOK for the participatory budgeting app (not written yet): a funded project becomes an action in one
    step. Expects `project.space`, `project.title` and `project.pk`."""
    return action_create(
        actor=actor,
        space=project.space,
        title=title or project.title,
        owner=owner,
        due_on=due_on,
        budget_project_id=project.pk,
    )


@transaction.atomic
def action_edit(*, actor, action: Action, **fields) -> Action:
    """Facilitators and hosts change what, who and when. Progress and status go through reports."""
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not an editable action field: {', '.join(sorted(unknown))}")
    if not access.can_manage(actor, action.space):
        raise PermissionDenied(_("Only facilitators and hosts can change an action."))
    action = Action.objects.select_for_update(of=("self",)).select_related("space", "owner").get(pk=action.pk)
    before = audit.snapshot(action, [*EDIT_FIELDS, "owner_perspective"])
    for name, value in fields.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    if "owner" in fields and fields["owner"] != before["owner"]:
        action.owner_perspective = _owner_perspective(action.space, action.owner)
    action.full_clean()
    changes = audit.diff(action, before, [*EDIT_FIELDS, "owner_perspective"])
    if not changes:
        return action
    if "due_on" in changes:
        action.last_reminded_on = None  # a new date deserves a new reminder when it passes
    action.save(update_fields=[*changes, "last_reminded_on", "updated_at"])
    audit.record(
        actor=actor,
        action="action.edited",
        target=action,
        space=action.space,
        summary=_("Action “%(title)s” changed: %(fields)s")
        % {"title": action.title, "fields": audit.field_names(action, changes)},
        changes=changes,
        public=True,
    )
    return action


@transaction.atomic
def action_report(
    *, actor, action: Action, text: str, progress: int, status: str, reason: str = ""
) -> ActionUpdate:
    """The owner (or a facilitator, for them) says how it is going: a dated update with progress and status."""
    # Lock: two updates at once must not interleave their status and progress.
    action = Action.objects.select_for_update(of=("self",)).select_related("space", "owner").get(pk=action.pk)
    if not access.can_report(actor, action):
        raise PermissionDenied(_("Only the action's owner, facilitators and hosts can report on it."))
    text, reason = (text or "").strip(), (reason or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Say what happened, in a few words.")
    if status not in ActionStatus.values:
        errors["status"] = _("Choose a status from the list.")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a number from 0 to 100.")
    if status == ActionStatus.DROPPED and not reason:
        errors["reason"] = _("Say why it was dropped: everyone who took part will read it.")
    if errors:
        raise ValidationError(errors)
    if status == ActionStatus.DONE:
        progress = 100
    before = audit.snapshot(action, ["status", "progress", "status_reason"])
    action.status, action.progress = status, progress
    if status == ActionStatus.DROPPED or reason:
        action.status_reason = reason
    action.full_clean()
    update = ActionUpdate(
        action=action,
        author=actor,
        on_behalf_of=_on_behalf(actor, action.owner),
        text=text,
        progress=progress,
        status=status,
    )
    update.full_clean()
    update.save()
    changes = audit.diff(action, before, ["status", "progress", "status_reason"])
    action.save(update_fields=["status", "progress", "status_reason", "updated_at"])
    audit.record(
        actor=actor,
        on_behalf_of=update.on_behalf_of,
        action="action.reported",
        target=action,
        space=action.space,
        summary=_("Action “%(title)s”: %(status)s, %(progress)s%% done")
        % {"title": action.title, "status": action.get_status_display().lower(), "progress": progress},
        changes=changes,
        public=True,
    )
    return update


# --- Overdue reminders ----------------------------------------------------------------------------


def overdue_actions(*, today: dt.date | None = None):
    today = today or timezone.localdate()
    return Action.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def _reminder_recipient(owner):
    """Whom to email about an owner's overdue action: the owner, or for someone who takes part with help,
    the facilitator who assists them. None when nobody should be emailed."""
    if owner.is_assisted:
        helper = owner.assisted_by
        return helper if helper is not None and helper.email and helper.is_active else None
    if owner.contact_preference != ContactPreference.EMAIL or not owner.is_active:
        return None
    return owner


def _send_reminder(action: Action, recipient) -> None:
    base = settings.SITE_URL
    subject = _("Reminder: “%(title)s” was due on %(date)s") % {
        "title": action.title[:80],
        "date": action.due_on.strftime("%d %B %Y"),
    }
    lines = [
        _("Hello %(name)s,") % {"name": recipient.display_name},
        "",
        _("The action “%(title)s” in %(space)s was due on %(date)s and is not marked done yet.")
        % {"title": action.title, "space": action.space.title, "date": action.due_on.strftime("%d %B %Y")},
        _("Please post a short update: how far it got, a new date, or why it was dropped."),
        "",
        f"{base}{action.get_absolute_url()}",
    ]
    if recipient.pk != action.owner_id:
        lines.insert(2, _("You help %(name)s take part, and this action is theirs.") % {"name": action.owner})
    send_mail(subject, "\n".join(lines), None, [recipient.email])


def remind_overdue(*, today: dt.date | None = None) -> int:
    """Queue one reminder per overdue action and day. Returns how many were queued.

    Safe to run twice at once (the periodic task and the command): the conditional UPDATE claims each
    action's reminder for today, and only the run whose UPDATE changed the row sends the email.
    """
    today = today or timezone.localdate()
    sent = 0
    candidates = (
        overdue_actions(today=today)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .select_related("owner__assisted_by", "space")
        .order_by("pk")
    )
    for action in candidates.iterator(chunk_size=500):
        recipient = _reminder_recipient(action.owner)
        with transaction.atomic():
            claimed = (
                Action.objects.filter(pk=action.pk)
                .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue
            if recipient is None:
                logger.info("action %s is overdue; its owner has no email contact", action.pk)
                continue
            transaction.on_commit(lambda a=action, r=recipient: _send_reminder(a, r))
            sent += 1
    return sent
