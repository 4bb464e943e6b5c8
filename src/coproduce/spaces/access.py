"""Who may see and do what in a space. Views and the API both go through these functions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.core.errors import Conflict, Refused  # noqa: F401  (raised by the on-behalf paths)
from coproduce.core.models import AuditEvent
from coproduce.core.prepared import Prepared, Together, together

from .models import HelpConsent, Membership, PartnershipRequest, Role, Space, Visibility

# What each level of need allows, from least to most.
MEMBER, FACILITATOR, HOST = "member", "facilitator", "host"
_ROLES_FOR = {
    MEMBER: {Role.MEMBER, Role.FACILITATOR, Role.HOST},
    FACILITATOR: {Role.FACILITATOR, Role.HOST},
    HOST: {Role.HOST},
}


# Bumped on every membership change. The same person is often held by two objects at once (the actor
# and `membership.user`); forgetting only one of them left the other trusting a stale role.
_membership_changes = itertools.count(1)
_membership_generation = 0


def _cache(user) -> dict:
    cache = getattr(user, "_membership_cache", None)
    if cache is None or cache.get("generation") != _membership_generation:
        cache = user._membership_cache = {"generation": _membership_generation}
    return cache


def membership_of(user, space: Space) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = _cache(user)
    if space.pk not in cache:
        cache[space.pk] = Membership.objects.filter(space=space, user=user).first()
    return cache[space.pk]


def prefetch_memberships(user, spaces) -> None:
    """Look up the person's memberships of many spaces in one query, so that a list does not ask per space."""
    if not user.is_authenticated:
        return
    cache = _cache(user)
    found = {m.space_id: m for m in Membership.objects.filter(user=user, space__in=[s.pk for s in spaces])}
    for space in spaces:
        cache[space.pk] = found.get(space.pk)


def forget_memberships(user) -> None:
    """Call after a service changes the user's memberships; every cached copy of any person is dropped."""
    global _membership_generation
    _membership_generation = next(_membership_changes)
    if hasattr(user, "_membership_cache"):
        del user._membership_cache


def can_view(user, space: Space) -> bool:
    return space.visibility == Visibility.PUBLIC or bool(membership_of(user, space)) or user.is_staff


def has_role(user, space: Space, need: str) -> bool:
    membership = membership_of(user, space)
    return membership is not None and membership.role in _ROLES_FOR[need]


def page_audience(user, space: Space) -> tuple:
    """Who is shown the same space page, apart from what is their own (core/shared.py): people with the
    same role in the space, or none, signed in or not. Hosts, facilitators and staff may be shown more, in
    ways that differ between modules: each of them is an audience of their own."""
    membership = membership_of(user, space)
    role = membership.role if membership else None
    if (
        getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
        or role in _ROLES_FOR[FACILITATOR]
    ):
        return (space.pk, "person", user.pk)
    return (space.pk, role, bool(user.is_authenticated))


# Asked on every page of a space, with their SQL built once (core/prepared.py: two queries run this way cost
# less than one built each time).
_SPACE = Prepared(lambda slug: Space.objects.filter(slug=slug), values=(str,))
_MEMBERSHIP_BY_SLUG = Prepared(
    lambda slug, user_id: Membership.objects.filter(space__slug=slug, user_id=user_id),
    values=(str, int),
)


def get_space_for(user, slug: str, *, need: str | None = None) -> Space:
    """The space, or Http404 for those who may not see it (never revealing that it exists),
    or PermissionDenied for those who may see it but not do what `need` asks."""
    return get_space_and(user, slug, need=need)[0]


def get_space_and(
    user,
    slug: str,
    *also: tuple[Prepared, tuple],
    many: tuple[Prepared, tuple] | None = None,
    need: str | None = None,
) -> tuple[Any, ...]:
    """`get_space_for`, and what each `also` (a prepared query of one row at most and its values: a budget by
    the space's slug and its own id, the person's ballot in it) finds, in the same round trip
    (core/prepared.py): `(space, found, ...)`, then the list of rows `many` finds if it is given (a budget's
    counts). Those found are for the page to use only once it knows that the person may see them: the space
    is checked here, the rest is the caller's."""
    if not user.is_authenticated and not also and many is None:  # a visitor's page asks for the space alone
        return (_checked(user, _SPACE.first(slug), need),)
    query, values = space_read(user, slug, *also, many=many)
    if user.is_authenticated:  # every page of a space asks for the membership
        space, membership, *found = query.first(*values)
        note_membership(user, space, membership)
    else:
        space, *found = query.first(*values)
    return (_checked(user, space, need), *found)


def space_read(
    user, slug: str, *also: tuple[Prepared, tuple], many: tuple[Prepared, tuple] | None = None
) -> tuple[Together, tuple]:
    """The statement `get_space_and` asks and its values, for a page to declare what it reads first
    (core/ahead.py)."""
    queries = tuple(query for query, _values in also)
    values = tuple(its_values for _query, its_values in also) + ((many[1],) if many else ())
    rows = many[0] if many else None
    if user.is_authenticated:
        return together(_SPACE, _MEMBERSHIP_BY_SLUG, *queries, many=rows), ((slug,), (slug, user.pk), *values)
    return together(_SPACE, *queries, many=rows), ((slug,), *values)


def note_membership(user, space: Space | None, membership: Membership | None) -> None:
    """Note the person's membership of a space (or that they have none), read with the space, for the checks
    of this request: `membership_of` asks no query for it then."""
    if space is not None and user.is_authenticated:
        _cache(user)[space.pk] = membership


def _checked(user, space: Space | None, need: str | None) -> Space:
    if space is None or not can_view(user, space):
        raise Http404
    if need is not None and not has_role(user, space, need):
        raise PermissionDenied
    return space


def runs_a_space(user) -> bool:
    """Whether the person hosts or facilitates any space (and so helps people who take part with help)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role__in=_ROLES_FOR[FACILITATOR]).exists()


def visible_spaces(user):
    """Spaces a person may see: all public ones and the private ones they belong to."""
    queryset = Space.objects.all()
    if user.is_staff:
        return queryset
    if user.is_authenticated:
        mine = Membership.objects.filter(user=user).values("space_id")
        return queryset.filter(Q(visibility=Visibility.PUBLIC) | Q(pk__in=mine))
    return queryset.filter(visibility=Visibility.PUBLIC)


def get_membership_for(user, space: Space, membership_id: int) -> Membership:
    """A membership of `space`, seen by its members (404 for everyone else); who may change it is
    `can_change_membership`."""
    if not (has_role(user, space, MEMBER) or user.is_staff):
        raise Http404
    membership = (
        Membership.objects.select_related("user", "space").filter(space=space, pk=membership_id).first()
    )
    if membership is None:
        raise Http404
    return membership


# --- Partner organisations ------------------------------------------------------------------------


def may_answer_partnership(user, organisation) -> bool:
    """Only the organisation's own admins say whether a space may list it as a partner."""
    from coproduce.people.access import is_organisation_admin

    return is_organisation_admin(user, organisation)


def partner_spaces(user, organisation):
    """The spaces an organisation is listed in, as `user` may see them: accepted partnerships only
    (`Space.organisations` holds nothing else), and only spaces the person may see."""
    return visible_spaces(user).filter(organisations=organisation).order_by("title", "id")


def get_partnership_request_for(user, organisation, request_id: int):
    """A request to list `organisation` in a space, seen and answered only by the organisation's admins."""
    if not may_answer_partnership(user, organisation):
        raise Http404
    found = (
        PartnershipRequest.objects.select_related("space", "organisation", "requested_by")
        .filter(organisation=organisation, pk=request_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Names in what the public sees -----------------------------------------------------------------


def shows_names(user, space: Space) -> bool:
    """Members (and network staff) see who did what; everyone else sees perspectives, never the names of
    members. The one rule for every page, API answer and history that can be read from outside."""
    return has_role(user, space, MEMBER) or bool(getattr(user, "is_staff", False))


# --- Acting for someone else -----------------------------------------------------------------------
#
# A facilitator or host may take part for someone else only when that person takes part with help: they
# have no account (`user.is_assisted`), or they have an account and asked, themself, to be helped in
# person in this space (`HelpConsent`, given and withdrawn on their "Done on my behalf" page). Everything
# done for them is recorded with `on_behalf_of` and listed on that page. Every "on behalf" path (ideas,
# meetings, paper ballots, timebank exchanges) and every "Who is this for?" list goes through here.


@dataclass(frozen=True)
class Decision:
    """Whether the actor may act for the person; `reason` says why not, in words for the actor.
    `role` is True when the actor's own role is what is missing (PermissionDenied, whoever the person)."""

    allowed: bool
    reason: str = ""
    role: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self, field: str = "on_behalf_of") -> None:
        if self.allowed:
            return
        if self.role:
            raise PermissionDenied(self.reason)
        raise Refused({field: [self.reason]})


def require(decision: Decision) -> None:
    """For services: PermissionDenied when the role is missing, else a ValidationError saying why not."""
    if decision:
        return
    if decision.role:
        raise PermissionDenied(decision.reason)
    raise ValidationError(decision.reason)


def require_role(decision: Decision) -> None:
    """For pages and endpoints before a service runs: only a missing role stops them (403); anything else
    (a meeting in the wrong state, say) is said by the service, beside the form."""
    if not decision and decision.role:
        raise PermissionDenied(decision.reason)


def accepts_help(person, space: Space | None) -> bool:
    """Whether the person asked to be helped in person in `space` (None: by the timebank's coordinators)."""
    if not getattr(person, "pk", None):
        return False
    return HelpConsent.objects.filter(user=person, space=space).exists()


def can_act_for(actor, person, space: Space | None, *, may_help: bool | None = None) -> Decision:
    """May `actor` take part for `person` in `space`?

    In a space, the actor must be a facilitator or host and the person a member. `space` None is the
    timebank, which has no space: the caller then says whether the actor's role lets them help
    (`may_help`: a coordinator) and checks that the person belongs to the timebank.
    """
    if person is None or not actor.is_authenticated:
        return Decision(False, _("Sign in first."), role=True)
    if person.pk == actor.pk:
        return Decision(True)
    if may_help is None:
        if space is None:
            raise TypeError("can_act_for needs a space, or may_help for the timebank")
        may_help = has_role(actor, space, FACILITATOR)
    if not may_help:
        return Decision(False, _("Only facilitators and hosts can act for someone else."), role=True)
    if not person.is_active:
        return Decision(False, _("%(name)s no longer takes part.") % {"name": person})
    if space is not None and not has_role(person, space, MEMBER):
        return Decision(False, _("%(name)s is not a member of this space.") % {"name": person})
    if person.is_assisted or accepts_help(person, space):
        return Decision(True)
    return Decision(
        False,
        _(
            "%(name)s has their own account and has not asked to be helped. They can take part themself, or "
            "ask for help on their “Done on my behalf” page."
        )
        % {"name": person},
    )


def entries_for_me(user):
    """What facilitators recorded on this person's behalf (the audit events naming them), newest first:
    theirs alone to see and to dispute."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(on_behalf_of=user).select_related("actor", "space")


def get_entry_for_me(user, event_id: int):
    """One event recorded on the person's behalf; Http404 for anyone else's (never revealing it exists)."""
    event = entries_for_me(user).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def participant_for(actor, space: Space, on_behalf_of=None, *, field: str = "on_behalf_of"):
    """Who takes part: the actor, or someone a facilitator or host may act for (`can_act_for`).

    Returns (person, on_behalf_of) for the audit log. Raises PermissionDenied when the actor may not take
    part (or act for anyone), `Refused` (a ValidationError on `field`) when they may not act for this person.
    """
    if on_behalf_of is None or on_behalf_of.pk == actor.pk:
        if not has_role(actor, space, MEMBER):
            raise PermissionDenied(_("Only members of this space can take part."))
        return actor, None
    can_act_for(actor, on_behalf_of, space).enforce(field)
    return on_behalf_of, on_behalf_of


def people_to_act_for(actor, space: Space) -> list:
    """The memberships of the people `actor` may act for in `space` (see `can_act_for`), by name.
    Empty for everyone but facilitators and hosts, so that the web forms offer the choice only to them."""
    if not actor.is_authenticated or not has_role(actor, space, FACILITATOR):
        return []
    asked = HelpConsent.objects.filter(user=OuterRef("user"), space=space)
    return list(
        Membership.objects.filter(space=space, user__is_active=True)
        .filter(Q(user__email__isnull=True) | Exists(asked))
        .exclude(user=actor)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )


# --- Changing a membership --------------------------------------------------------------------------

# What is being changed: the role, the perspective, or the membership itself (a host removing someone).
ROLE, PERSPECTIVE, REMOVE = "role", "perspective", "remove"


def can_change_membership(user, membership: Membership, change: str) -> Decision:
    """May `user` change `change` of `membership`? The one rule for the members pages (what they offer),
    the services (what they allow) and the API (through the services):

    - the role: hosts only (and a space always keeps one host: the service checks that);
    - the perspective: the member themself, a host, or a facilitator when the member takes part with help
      and is not a host;
    - removing the member: hosts only. Anyone may leave (end their own membership): `membership_end`.

    A facilitator never changes a host; a member changes only their own perspective.
    """
    space, person = membership.space, membership.user
    if change == ROLE:
        if has_role(user, space, HOST):
            return Decision(True)
        return Decision(False, _("Only a host can change roles."), role=True)
    if change == PERSPECTIVE:
        if person.pk == user.pk or has_role(user, space, HOST):
            return Decision(True)
        helping = person.is_assisted and membership.role != Role.HOST
        if helping and has_role(user, space, FACILITATOR):
            return Decision(True)
        return Decision(False, _("You cannot change this member's perspective."), role=True)
    if change == REMOVE:
        if has_role(user, space, HOST):
            return Decision(True)
        return Decision(False, _("Only a host can remove a member."), role=True)
    raise ValueError(f"not a membership change: {change}")


def can_make_claim_link(actor, person) -> bool:
    """May `actor` make the one-time link with which a person who took part with help sets up their own
    sign-in? The facilitator who added them, or a facilitator or host of a space they are in."""
    if not person.is_assisted or not actor.is_authenticated:
        return False
    if person.assisted_by_id == actor.pk:
        return True
    return any(has_role(actor, m.space, FACILITATOR) for m in person.memberships.select_related("space"))
