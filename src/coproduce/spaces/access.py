"""Who may see and do what in a space. Views and the API both go through these functions."""

from __future__ import annotations

import itertools

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Membership, PartnershipRequest, Role, Space, Visibility

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


def get_space_for(user, slug: str, *, need: str | None = None) -> Space:
    """The space, or Http404 for those who may not see it (never revealing that it exists),
    or PermissionDenied for those who may see it but not do what `need` asks."""
    space = Space.objects.filter(slug=slug).first()
    if space is None or not can_view(user, space):
        raise Http404
    if need is not None and not has_role(user, space, need):
        raise PermissionDenied
    return space


def visible_spaces(user):
    """Spaces a person may see: all public ones and the private ones they belong to."""
    queryset = Space.objects.all()
    if user.is_staff:
        return queryset
    if user.is_authenticated:
        mine = Membership.objects.filter(user=user).values("space_id")
        return queryset.filter(Q(visibility=Visibility.PUBLIC) | Q(pk__in=mine))
    return queryset.filter(visibility=Visibility.PUBLIC)


def get_membership_for(user, space: Space, membership_id: int, *, need: str | None = None) -> Membership:
    """A membership of `space`; members may see the list, `need` limits who may change it."""
    if not (has_role(user, space, MEMBER) or user.is_staff):
        raise Http404
    membership = Membership.objects.select_related("user").filter(space=space, pk=membership_id).first()
    if membership is None:
        raise Http404
    if need is not None and not has_role(user, space, need):
        raise PermissionDenied
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
