"""Reads for spaces: the directory, the timeline with its modules, members and history."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from coproduce.core.models import AuditEvent
from coproduce.core.registry import (
    ModuleItem,
    ModuleManifest,
    NetworkAdminSection,
    SearchDocument,
    Urgency,
    WaitingItem,
    manifests_for_stage,
)
from coproduce.people.access import can_admin_network

from . import access
from .models import (
    STAGE_ORDER,
    Invitation,
    JoinRequest,
    Membership,
    PartnershipRequest,
    Perspective,
    Role,
    Space,
    Stage,
    StageKind,
    StageStatus,
)


def space_directory(
    user, *, q: str = "", place: str = "", stage: str = "", organisation: str = ""
) -> QuerySet:
    """Spaces the person may see, filtered. `stage` keeps spaces whose stage of that kind is open."""
    spaces = access.visible_spaces(user)
    if q:
        spaces = spaces.filter(Q(title__icontains=q) | Q(purpose__icontains=q) | Q(place__icontains=q))
    if place:
        spaces = spaces.filter(place__iexact=place)
    if stage:
        spaces = spaces.filter(stages__kind=stage, stages__status=StageStatus.OPEN)
    if organisation:
        spaces = spaces.filter(organisations__slug=organisation)
    return (
        spaces.annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.order_by("position")),
            "organisations",
        )
        .order_by("-created_at", "-id")
        .distinct()
    )


def spaces_under_way(user, *, limit: int = 6) -> list[Space]:
    """The newest spaces under way, for the home page. A space between stages (one closed, the next not yet
    open) is still under way: it is shown, marked as such, rather than vanishing the moment a host closes a
    stage. When none is under way, the newest spaces."""
    spaces = space_directory(user)
    active = [s for s in spaces[: limit * 2] if s.phase.is_active] or list(spaces[:limit])
    return active[:limit]


def places(user) -> list[str]:
    return sorted(
        set(access.visible_spaces(user).exclude(place="").values_list("place", flat=True)), key=str.lower
    )


@dataclass
class StageView:
    stage: Stage
    modules: list[tuple[ModuleManifest, list[ModuleItem] | None]]


def timeline(space: Space, user, *, personal: bool = True) -> list[StageView]:
    """Each stage with the modules attached to it, as the space page shows them. `personal=False` leaves out
    the items that are the person's own (`ModuleManifest.personal_items`; a module's list is then None), for a
    timeline kept for everyone `access.page_audience` groups together (the space page puts them in)."""
    views = []
    for stage in space.stages.order_by("position"):
        modules = []
        for manifest in manifests_for_stage(stage.kind):
            if not manifest.items_for_stage:
                items: list[ModuleItem] | None = []
            elif personal or not manifest.personal_items:
                items = list(manifest.items_for_stage(stage, user))
            else:
                items = None
            modules.append((manifest, items))
        views.append(StageView(stage=stage, modules=modules))
    return views


def members(space: Space) -> QuerySet:
    return (
        Membership.objects.filter(space=space)
        .select_related("user", "space")
        .order_by("role", "user__display_name")
    )


def pending_requests(space: Space) -> QuerySet:
    return JoinRequest.objects.filter(space=space, status=JoinRequest.Status.PENDING).select_related("user")


def invited_organisations(space: Space) -> QuerySet:
    """Partner requests still waiting for the organisation's answer (for the space's hosts)."""
    return PartnershipRequest.objects.filter(
        space=space, status=PartnershipRequest.Status.PENDING
    ).select_related("organisation")


def partnership_requests_to_answer(user, organisation=None) -> QuerySet:
    """Requests waiting for an organisation that `user` is an admin of (one organisation, or all)."""
    from coproduce.people.models import OrganisationMembership

    if not user.is_authenticated:
        return PartnershipRequest.objects.none()
    requests = PartnershipRequest.objects.filter(status=PartnershipRequest.Status.PENDING).select_related(
        "space", "organisation", "requested_by"
    )
    if organisation is not None:
        return (
            requests.filter(organisation=organisation)
            if access.may_answer_partnership(user, organisation)
            else requests.none()
        )
    admin_of = OrganisationMembership.objects.filter(user=user, is_admin=True, approved=True).values(
        "organisation_id"
    )
    return requests.filter(organisation_id__in=admin_of)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link holds, while it can still be used (not withdrawn, expired or used up)."""
    invitation = Invitation.objects.select_related("space").filter(token_hash=Invitation.hash(token)).first()
    if invitation is None or invitation.revoked or invitation.expires_at <= timezone.now():
        return None
    if invitation.uses >= invitation.max_uses:
        return None
    return invitation


def my_pending_request(user, space: Space) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(space=space, user=user, status=JoinRequest.Status.PENDING).first()


def history(space: Space, user) -> tuple[QuerySet, bool]:
    """Hosts see the full log; everyone else who may see the space sees its public history."""
    events = AuditEvent.objects.filter(space=space).select_related("actor", "on_behalf_of")
    full = access.has_role(user, space, access.HOST) or user.is_staff
    return (events if full else events.filter(public=True)), full


def waiting_items(user) -> list[WaitingItem]:
    """For the person's home (the "waiting_for" of spaces' manifest): requests to join the spaces they host,
    and requests to list an organisation they run as a partner of a space. Two queries, however many."""
    if not user.is_authenticated:
        return []
    items = []
    # Both conditions in one filter(): the same membership row must be the person's and a host's.
    to_answer = (
        JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING,
            space__memberships__user=user,
            space__memberships__role=Role.HOST,
        )
        .select_related("user", "space")
        .order_by("created_at", "id")
    )
    for request in to_answer:
        items.append(
            WaitingItem(
                module="spaces",
                kind="join_request",
                title=_("Answer %(name)s’s request to join") % {"name": request.user.display_name},
                url=reverse("spaces:requests", args=[request.space.slug]),
                urgency=Urgency.WAITING_ON_YOU,
                detail=_("Takes part as: %(perspective)s")
                % {"perspective": Perspective(request.perspective).label},
                space_title=request.space.title,
            )
        )
    for partnership in partnership_requests_to_answer(user):
        organisation = partnership.organisation
        items.append(
            WaitingItem(
                module="spaces",
                kind="partnership_request",
                title=_("Say whether %(organisation)s is a partner") % {"organisation": organisation.name},
                url=reverse("people:organisation", args=[organisation.slug]),
                urgency=Urgency.WAITING_ON_YOU,
                detail=_("The space asks to list %(organisation)s as a partner organisation.")
                % {"organisation": organisation.name},
                space_title=partnership.space.title,
            )
        )
    return items


def network_section(user) -> NetworkAdminSection | None:
    """Spaces' part of the network admin screen: how many spaces there are, and how many have each stage
    open now (a space between stages counts in none). Two queries."""
    if not can_admin_network(user):
        return None
    total = Space.objects.count()
    open_by_kind = dict(
        Stage.objects.filter(status=StageStatus.OPEN)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("space_id", distinct=True))
    )
    rows = [(ngettext("%(n)s space", "%(n)s spaces", total) % {"n": total}, "")]
    rows += [
        (
            ngettext("%(stage)s open: %(n)s space", "%(stage)s open: %(n)s spaces", open_by_kind.get(kind, 0))
            % {"stage": StageKind(kind).label, "n": open_by_kind.get(kind, 0)},
            "",
        )
        for kind in STAGE_ORDER
    ]
    return NetworkAdminSection(
        module="spaces", title=gettext("Spaces by stage"), url=reverse("spaces:directory"), rows=tuple(rows)
    )


def search_documents(kind: str, pks=None):
    """The "spaces.space" documents of the network search: every space, its title and purpose; the search shows a private
    one only to its members. `stages`: the stages it has opened."""
    if kind != "spaces.space":
        return
    found = Space.objects.prefetch_related("stages").order_by("pk")
    if pks is not None:
        found = found.filter(pk__in=pks)
    for space in found.iterator(chunk_size=500):
        yield SearchDocument(
            kind=kind,
            pk=space.pk,
            title=space.title,
            body=space.purpose,
            url=space.get_absolute_url(),
            space_id=space.pk,
            when=space.created_at,
            place=space.place,
            stages=tuple(s.kind for s in space.stages.all() if s.status != StageStatus.NOT_STARTED),
        )
