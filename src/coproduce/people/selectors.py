"""Reads for people and organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from coproduce.lib import codes

from .models import ClaimCode, Organisation, OrganisationMembership, User, hash_code, hash_token


def claim_for_token(token: str) -> ClaimCode | None:
    """The sign-up link with this secret, whatever its state (the page says plainly if it was used or has
    expired)."""
    if not token:
        return None
    return ClaimCode.objects.select_related("person").filter(token_hash=hash_token(token)).first()


def claim_for_code(typed: str) -> ClaimCode | None:
    """The sign-up code a person typed (lower case, spaces and dashes accepted), whatever its state."""
    code = codes.normalise(typed)
    if code is None:
        return None
    return ClaimCode.objects.select_related("person").filter(code_hash=hash_code(code)).first()


def person_for_claim(token: str) -> User | None:
    """The person who took part with help whose sign-up link this is, while it still works."""
    claim = claim_for_token(token)
    return claim.person if claim is not None and claim.is_open() and claim.person.is_assisted else None


def last_claim(person: User) -> ClaimCode | None:
    """The latest sign-up link made for a person, for the facilitator's page (its state, never its secret)."""
    return ClaimCode.objects.filter(person=person).first()


def organisations() -> QuerySet[Organisation]:
    """Every organisation, with how many confirmed people it has (`member_count`)."""
    return Organisation.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__approved=True))
    )


# --- The network admin screen ---------------------------------------------------------------------

ACTIVE_DAYS = 30
FIRST_ROWS = 5  # how many rows each section of the network admin screen lists before its own page


def network_members(q: str = "") -> QuerySet[User]:
    """Everyone but erased accounts, with how many spaces each is in (`space_count`, through the reverse
    relation to spaces.Membership: people does not import spaces). `q` searches names. Never emails."""
    found = User.objects.filter(erased_at__isnull=True).annotate(
        space_count=Count("memberships", distinct=True)
    )
    q = q.strip()
    if q:
        found = found.filter(display_name__icontains=q)
    return found.order_by("display_name", "id")


def network_organisations() -> QuerySet[Organisation]:
    """Every organisation with its confirmed people count and its admins (`admins`), in two queries."""
    admins = OrganisationMembership.objects.filter(is_admin=True, approved=True).select_related("user")
    return organisations().prefetch_related(Prefetch("memberships", queryset=admins, to_attr="admins"))


def organisation_people(organisation: Organisation, q: str = "") -> QuerySet[User]:
    """Active people whose names match `q`, with `org_role` ("admin", "member", "asked" or None) in this
    organisation, for choosing an admin."""
    mine = OrganisationMembership.objects.filter(organisation=organisation, user=OuterRef("pk"))
    found = User.objects.filter(is_active=True).annotate(
        org_admin=Subquery(mine.values("is_admin")[:1]), org_approved=Subquery(mine.values("approved")[:1])
    )
    if q.strip():
        found = found.filter(display_name__icontains=q.strip())
    return found.order_by("display_name", "id")


@dataclass(frozen=True)
class NetworkNumbers:
    members: int
    active_recently: int  # signed in within ACTIVE_DAYS
    taking_part_with_help: int
    deactivated: int
    organisations: int


def network_numbers() -> NetworkNumbers:
    """People's own numbers for the network admin screen, in two queries (other modules add theirs through
    their manifest's `network_admin`)."""
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    counts = User.objects.aggregate(
        members=Count("pk", filter=Q(is_active=True)),
        active=Count("pk", filter=Q(is_active=True, last_login__gte=since)),
        assisted=Count("pk", filter=Q(is_active=True, email__isnull=True)),
        deactivated=Count("pk", filter=Q(is_active=False)),
    )
    return NetworkNumbers(
        members=counts["members"],
        active_recently=counts["active"],
        taking_part_with_help=counts["assisted"],
        deactivated=counts["deactivated"],
        organisations=Organisation.objects.count(),
    )
