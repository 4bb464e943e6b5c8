"""Partner organisations: a space lists an organisation only with the consent of one of its admins."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import Organisation, User

from .. import access
from ..models import PartnershipRequest, Space


def _partners_set(*, actor: User, space: Space, organisations: Iterable) -> list | None:
    """Make the organisations a host ticked the space's partners, each only with its own consent.

    An organisation the host runs is listed at once; any other is asked, and listed when one of its
    admins accepts. Organisations no longer ticked are taken off the list, and their pending requests
    withdrawn. Returns `[old, new]` names of the listed partners when the list changed, else None.
    """
    wanted = {o.pk: o for o in organisations}
    listed = {o.pk: o for o in space.organisations.all()}
    # Lock the pending requests: a host changing the list while an organisation's admin answers must not
    # both withdraw and accept the same request.
    pending = {
        r.organisation_id: r
        for r in PartnershipRequest.objects.select_for_update()
        .select_related("organisation")
        .filter(space=space, status=PartnershipRequest.Status.PENDING)
    }
    before = sorted(o.name for o in listed.values())
    space.organisations.remove(*[o for pk, o in listed.items() if pk not in wanted])
    for pk, request in pending.items():
        if pk not in wanted:
            _partnership_close(actor=actor, request=request, status=PartnershipRequest.Status.WITHDRAWN)
    now_listed = [o for pk, o in listed.items() if pk in wanted]
    for pk, organisation in wanted.items():
        if pk in listed or pk in pending:
            continue
        request = PartnershipRequest(space=space, organisation=organisation, requested_by=actor)
        request.full_clean()
        request.save()
        if access.may_answer_partnership(actor, organisation):
            _partnership_close(actor=actor, request=request, status=PartnershipRequest.Status.ACCEPTED)
            now_listed.append(organisation)
        else:
            audit.record(
                actor=actor,
                action="partnership.requested",
                target=request,
                space=space,
                summary=_("Asked %(org)s to be listed as a partner") % {"org": organisation},
            )
    after = sorted(o.name for o in now_listed)
    return [before, after] if before != after else None


def _partnership_close(*, actor: User, request: PartnershipRequest, status: str) -> None:
    request.status, request.decided_by, request.decided_at = status, actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    organisation, space = request.organisation, request.space
    if status == PartnershipRequest.Status.ACCEPTED:
        space.organisations.add(organisation)
        summary = _("%(org)s is listed as a partner") % {"org": organisation}
    elif status == PartnershipRequest.Status.DECLINED:
        summary = _("%(org)s declined to be listed as a partner") % {"org": organisation}
    else:
        summary = _("The request to list %(org)s as a partner was withdrawn") % {"org": organisation}
    audit.record(
        actor=actor,
        action=f"partnership.{status}",
        target=request,
        space=space,
        summary=summary,
        # The public sees who the partners are; the requests that came to nothing are the hosts' business.
        public=status == PartnershipRequest.Status.ACCEPTED,
    )


@transaction.atomic
def partnership_decide(*, actor: User, request: PartnershipRequest, accept: bool) -> PartnershipRequest:
    """One of the organisation's admins accepts or declines being listed as a partner of the space."""
    # Lock: two admins answering at once must not both act on the same request.
    request = (
        PartnershipRequest.objects.select_for_update()
        .select_related("space", "organisation")
        .get(pk=request.pk)
    )
    if not access.may_answer_partnership(actor, request.organisation):
        raise PermissionDenied(_("Only an admin of %(org)s can answer.") % {"org": request.organisation})
    if request.status != PartnershipRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    status = PartnershipRequest.Status.ACCEPTED if accept else PartnershipRequest.Status.DECLINED
    _partnership_close(actor=actor, request=request, status=status)
    return request


@transaction.atomic
def partnership_end(*, actor: User, space: Space, organisation: Organisation) -> None:
    """An organisation's admin takes it off a space's list of partners."""
    if not access.may_answer_partnership(actor, organisation):
        raise PermissionDenied(_("Only an admin of %(org)s can do this.") % {"org": organisation})
    if not space.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("%(org)s is not listed in this space.") % {"org": organisation})
    space.organisations.remove(organisation)
    audit.record(
        actor=actor,
        action="partnership.ended",
        target=space,
        space=space,
        summary=_("%(org)s is no longer listed as a partner") % {"org": organisation},
        changes={"organisations": [organisation.name, None]},
        public=True,
    )
