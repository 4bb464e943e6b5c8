"""Every change to actions: validated, atomic and audited; the owner told through notifications; overdue
reminders never twice a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.registry import Source
from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf, notify
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from . import access, selectors
from .models import Action, ActionStatus, ActionUpdate

EDIT_FIELDS = ["title", "description", "owner", "due_on"]


def _owner_perspective(space: Space, owner: User) -> str:
    membership = space_access.membership_of(owner, space)
    if membership is None:
        raise ValidationError({"owner": _("The owner must be a member of this space.")})
    return membership.perspective


def _on_behalf(actor: User, person: User | None) -> User | None:
    return person if person is not None and person.is_assisted and person.pk != actor.pk else None


def _tell_owner(action: Action, *, actor: User) -> None:
    notify(
        kind="action_assigned",
        recipients=[action.owner],
        params={"title": action.title},
        url=action.get_absolute_url(),
        space=action.space,
        actor=actor,
        key=f"action_assigned:{action.pk}:{action.owner_id}:{action.updated_at.isoformat()}",
    )


def _from_where(source: Source | None) -> str:
    if source is None:
        return ""
    return {
        "meetings.decision": _("from a meeting's decision"),
        "ideas.idea": _("from an adopted idea"),
        "budgets.project": _("from a funded budget project"),
    }[source.kind]


def _elsewhere(source: Source) -> str:
    return {
        "meetings.decision": _("That decision belongs to another space."),
        "ideas.idea": _("That idea belongs to another space."),
        "budgets.project": _("That project belongs to another space."),
    }.get(source.kind, _("That belongs to another space."))


@transaction.atomic
def action_create(
    *,
    actor: User,
    space: Space,
    title: str,
    owner: User,
    due_on: dt.date | None = None,
    description: str = "",
    source: Source | None = None,
) -> Action:
    """Facilitators and hosts turn what was decided into an action with a named owner (any member).

    `source` is where it came from (an adopted idea, a funded project, a meeting's decision), found through
    `access.get_source_for`; it must be in this space and ready to be carried on."""
    access.require(access.can_create(actor, space))
    where: dict[str, Any] = {}
    if source is not None:
        if source.space_id != space.pk:
            raise ValidationError(_elsewhere(source))
        access.require(access.can_make_from(actor, source))
        where = {access.SOURCE_FIELDS[source.kind]: source.pk}
    action = Action(
        space=space,
        title=(title or "").strip(),
        description=(description or "").strip(),
        owner=owner,
        owner_perspective=_owner_perspective(space, owner),
        due_on=due_on,
        created_by=actor,
        **where,
    )
    action.full_clean()
    action.save()
    audit.record(
        actor=actor,
        action="action.created",
        target=action,
        space=space,
        summary=_("Action “%(title)s” created %(source)s, owned by a member taking part as %(perspective)s")
        % {
            "title": action.title,
            "source": _from_where(source),
            "perspective": action.get_owner_perspective_display().lower(),
        },
        changes={
            "title": [None, action.title],
            "owner_perspective": [None, action.owner_perspective],
            "due_on": [None, due_on],
        },
        public=True,
    )
    _tell_owner(action, actor=actor)
    return action


def action_create_from_source(
    *,
    actor: User,
    source: Source,
    owner: User,
    due_on: dt.date | None = None,
    title: str = "",
    description: str = "",
) -> Action:
    """An adopted idea, a funded project or a meeting's decision becomes an action in one step, in its own
    space, named after it unless a title is given."""
    return action_create(
        actor=actor,
        space=Space.objects.get(pk=source.space_id),
        title=title or source.title[:200],
        description=description,
        owner=owner,
        due_on=due_on,
        source=source,
    )


@transaction.atomic
def action_edit(*, actor: User, action: Action, **fields: Any) -> Action:
    """Facilitators and hosts change what, who and when. Progress and status go through reports."""
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not an editable action field: {', '.join(sorted(unknown))}")
    access.require(access.can_edit(actor, action))
    # Lock: two facilitators changing it at once must each see the other's change in the audit trail.
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
    if "owner" in changes:
        _tell_owner(action, actor=actor)
    return action


@transaction.atomic
def action_report(
    *, actor: User, action: Action, text: str, progress: int, status: str, reason: str = ""
) -> ActionUpdate:
    """The owner (or a facilitator, for them) says how it is going: a dated update with progress and status."""
    # Lock: two updates at once must not interleave their status and progress.
    action = Action.objects.select_for_update(of=("self",)).select_related("space", "owner").get(pk=action.pk)
    access.require(access.can_report(actor, action))
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
    event = audit.record(
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
    acted_on_behalf(
        actor=actor,
        person=update.on_behalf_of,
        act=OnBehalfAct.ACTION_UPDATE,
        url=action.get_absolute_url(),
        space=action.space,
        key=str(event.pk),
    )
    return update


# --- Overdue reminders ----------------------------------------------------------------------------


def remind_overdue(*, today: dt.date | None = None) -> int:
    """Tell the owner of each overdue action, once a day. Returns how many owners were told.

    Through the notifications (the one recipient rule): owners who take part with help are never emailed,
    and the facilitators and hosts of the space see it to pass on. Safe to run twice at once (the periodic
    task and the command): the conditional UPDATE claims each action's reminder for today, and only the run
    whose UPDATE changed the row tells the owner.
    """
    today = today or timezone.localdate()
    told = 0
    candidates = (
        selectors.overdue_actions(today=today)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .select_related("owner", "space")
        .order_by("pk")
    )
    for action in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = (
                Action.objects.filter(pk=action.pk)
                .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue
            told += bool(
                notify(
                    kind="action_overdue",
                    recipients=[action.owner],
                    params={
                        "title": action.title,
                        "due_on": action.due_on.isoformat() if action.due_on else "",
                    },
                    url=action.get_absolute_url(),
                    space=action.space,
                    key=f"action_overdue:{action.pk}:{today.isoformat()}",
                )
            )
    return told
