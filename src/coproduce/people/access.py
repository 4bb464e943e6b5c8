"""Who may see a person's profile and change an organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Organisation, OrganisationMembership, User


def get_person_for(viewer, person_id: int) -> User:
    """A person's profile is seen by themself, by network admins and by people who share a space
    with them. Everyone else gets 404, so the directory of people cannot be walked."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not viewer.is_authenticated:
        raise Http404
    if viewer.pk == person.pk or viewer.is_staff:
        return person
    # Through the reverse relation `User.memberships` (spaces.Membership): people sits below spaces and
    # does not import it; this is the one place the shares-a-space rule is written.
    mine = viewer.memberships.values("space_id")
    if not person.memberships.filter(space_id__in=mine).exists():
        raise Http404
    return person


def is_organisation_admin(user, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_staff
        or OrganisationMembership.objects.filter(
            organisation=organisation, user=user, is_admin=True, approved=True
        ).exists()
    )


def get_organisation_for(user, slug: str, *, write: bool = False) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if write and not is_organisation_admin(user, organisation):
        raise PermissionDenied
    return organisation


def can_admin_network(user) -> bool:
    """Network administrators look after the whole installation: its members, organisations, moderation
    and numbers (the /network/ screen). Today they are the staff accounts; this is the one place that says so,
    and every module's part of the screen asks it."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def require_network_admin(user) -> None:
    """404 for everyone else, so that the screen's existence is not revealed."""
    if not can_admin_network(user):
        raise Http404


def can_handle_data_of(actor, person) -> bool:
    """Who may download a person's data or erase their account: the person themself, and network
    administrators (who answer requests made on paper or by phone). Never anyone else."""
    if not getattr(actor, "is_authenticated", False) or person.erased_at is not None:
        return False
    return actor.pk == person.pk or can_admin_network(actor)


def get_data_subject_for(actor, person_id: int) -> User:
    """The person whose data `actor` asks for; 404 for everyone who may not handle it."""
    person = User.objects.filter(pk=person_id).first()
    if person is None or not can_handle_data_of(actor, person):
        raise Http404
    return person
