"""Asking to be helped in person: given and withdrawn by the person themself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.core.models import AuditEvent
from coproduce.people.models import User

from .. import access
from ..models import EntryDispute, HelpConsent, Role, Space


@transaction.atomic
def help_consent_set(*, actor: User, space: Space | None, accepts: bool) -> HelpConsent | None:
    """The person themself asks to be helped in person (`accepts`), or stops asking. While they ask,
    the facilitators and hosts of `space` (None: the timebank's coordinators) may record things for them
    (`access.can_act_for`), and each such act is listed on their "Done on my behalf" page.
    Nobody can give or withdraw it for someone else."""
    if not actor.is_authenticated or actor.is_assisted:
        raise PermissionDenied(_("Only the person themself can ask to be helped."))
    if space is not None and not access.has_role(actor, space, access.MEMBER):
        raise PermissionDenied(_("Only members of this space can ask for help in it."))
    # Lock: the same person asking and withdrawing at once (two tabs) must end with what they did last.
    existing = HelpConsent.objects.select_for_update().filter(user=actor, space=space).first()
    where = space.title if space is not None else _("the timebank")
    if accepts and existing is None:
        try:
            with transaction.atomic():
                existing = HelpConsent.objects.create(user=actor, space=space)
        except IntegrityError:  # asked twice at once: the first one stands
            return HelpConsent.objects.get(user=actor, space=space)
        audit.record(
            actor=actor,
            action="help.accepted",
            target=existing,
            space=space,
            summary=_("%(name)s asked to be helped in person in %(where)s") % {"name": actor, "where": where},
        )
    elif not accepts and existing is not None:
        audit.record(
            actor=actor,
            action="help.withdrawn",
            target=existing,
            space=space,
            summary=_("%(name)s stopped asking to be helped in %(where)s") % {"name": actor, "where": where},
        )
        existing.delete()
        existing = None
    return existing


@transaction.atomic
def entry_dispute(*, actor: User, event: AuditEvent, text: str) -> EntryDispute:
    """The person says that what a facilitator recorded on their behalf is wrong. Only they may (the event
    names them as `on_behalf_of`), once per entry; the hosts of the space are told (network staff, for what
    the timebank's coordinators recorded), through the notifications module's "notify" hook when it is there."""
    if not actor.is_authenticated or event.on_behalf_of_id != actor.pk:
        raise PermissionDenied(_("Only the person it was recorded for can say it is wrong."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Say what is wrong, so that the hosts can put it right.")]})
    # Lock the person's row: the same dispute sent twice at once (a double click) makes one, not an error page.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if EntryDispute.objects.filter(event=event, person=actor).exists():
        raise ValidationError({"text": [_("You have already said this is wrong. The hosts have been told.")]})
    dispute = EntryDispute(event=event, person=actor, space=event.space, text=text)
    dispute.full_clean()
    dispute.save()
    audit.record(
        actor=actor,
        action="help.entry_disputed",
        target=dispute,
        space=event.space,
        summary=_("%(name)s says this, recorded on their behalf, is wrong: %(what)s")
        % {"name": actor, "what": event.summary},
        changes={"event": [None, event.pk]},
    )
    notify = registry.hook("notify")
    if notify is not None:
        if event.space is not None:
            hosts = User.objects.filter(memberships__space=event.space, memberships__role=Role.HOST)
            url = reverse("spaces:history", args=[event.space.slug])
            params: dict[str, str] = {"person": str(actor)}
        else:
            hosts = User.objects.filter(is_staff=True)
            url = reverse("admin:spaces_entrydispute_change", args=[dispute.pk])
            params = {"person": str(actor), "space": str(_("the timebank"))}
        notify(
            kind="entry_disputed",
            recipients=list(hosts),
            params=params,
            url=url,
            key=f"entry_disputed:{dispute.pk}",
            space=event.space,
            actor=actor,
            text=text,
        )
    return dispute
