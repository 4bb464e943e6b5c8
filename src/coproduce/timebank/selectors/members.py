"""Timebank members and their accounts, for coordinators and for members themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.registry import NetworkAdminSection
from coproduce.people.access import can_admin_network

from .. import access
from ..models import Account, MemberStatus, TimebankMember, TimebankSettings


def network_settings() -> TimebankSettings:
    """The network's rules, read once by whoever needs them (a service passes them on)."""
    return TimebankSettings.current()


def account_of(user: Any) -> Account | None:
    """The person's account, if they have one yet (pages that must show one make it: `account_for_user`)."""
    if not user.is_authenticated:
        return None
    return Account.objects.filter(user=user).first()


def pending_members() -> QuerySet[TimebankMember]:
    return TimebankMember.objects.filter(status=MemberStatus.PENDING).select_related("user")


def members(q: str = "") -> QuerySet[TimebankMember]:
    """Approved members with their accounts; `q` searches names and areas."""
    found = TimebankMember.objects.filter(status=MemberStatus.APPROVED).select_related(
        "user", "user__timebank_account"
    )
    if q:
        found = found.filter(Q(user__display_name__icontains=q) | Q(area__icontains=q))
    return found


def member_records(status: str | None = None) -> QuerySet[TimebankMember]:
    """Everyone who asked to join, in the order they asked, for coordinators."""
    found = TimebankMember.objects.select_related("user").order_by("joined_at", "id")
    return found.filter(status=status) if status else found


def profile_timebank(viewer: Any, person: Any) -> dict[str, Any] | None:
    """What a person's profile pages show about their place in the timebank, for `viewer`: None when there
    is nothing to show (they are not in it, they take part only with help, or it is not the viewer's to
    know). Offered to other modules as the "profile_timebank" hook (see apps.py).

    - `key`, `name`: the timebank as a place where the person may ask to be helped in person by its
      coordinators (the "Done on my behalf" page; the help consent with no space);
    - `url`: the timebank's page.
    """
    if getattr(person, "is_assisted", False) or not getattr(viewer, "is_authenticated", False):
        return None
    if viewer.pk != person.pk and not access.is_coordinator(viewer):
        return None
    if not access.is_member(person):
        return None
    return {"key": "timebank", "name": _("The timebank"), "url": reverse("timebank:home")}


NETWORK_ROWS = 5  # people listed in each part of the timebank's section of the network admin screen


def network_section(user: Any) -> NetworkAdminSection | None:
    """The timebank's part of the network admin screen: the people waiting for a coordinator (the count
    that needs attention) and the coordinators, linking to the coordinators' own pages. Three queries."""
    if not can_admin_network(user):
        return None
    waiting = pending_members()
    coordinators = TimebankMember.objects.filter(
        is_coordinator=True, status=MemberStatus.APPROVED
    ).select_related("user")
    rows = [
        (_("Waiting to join: %(name)s") % {"name": record.user}, reverse("timebank:member", args=[record.pk]))
        for record in waiting[:NETWORK_ROWS]
    ]
    rows += [
        (_("Coordinator: %(name)s") % {"name": record.user}, reverse("timebank:member", args=[record.pk]))
        for record in coordinators.order_by("user__display_name")[:NETWORK_ROWS]
    ]
    return NetworkAdminSection(
        module="timebank",
        title=_("Timebank: coordinators and people waiting to join"),
        url=reverse("timebank:members"),
        needs_attention=waiting.count(),
        rows=tuple(rows),
    )
