"""What spaces hold about a person (memberships, requests to join, consent to be helped, disputes of entries
made for them), for their download and the erasure of their account (people.services.privacy)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import EntryDispute, HelpConsent, JoinRequest, Membership, MembershipChange


def personal_data(person: Any) -> list:
    return [
        section(
            "spaces",
            "memberships",
            _("Your spaces"),
            Membership.objects.filter(user=person).select_related("space"),
            ["space__title", "role", "perspective", "joined_at"],
        ),
        section(
            "spaces",
            "membership_history",
            _("When you joined, left or changed role in a space"),
            MembershipChange.objects.filter(user=person).select_related("space"),
            ["space__title", "kind", "role", "perspective", "at"],
        ),
        section(
            "spaces",
            "join_requests",
            _("Your requests to join spaces"),
            JoinRequest.objects.filter(user=person).select_related("space"),
            ["space__title", "perspective", "message", "status", "reason", "created_at", "decided_at"],
        ),
        section(
            "spaces",
            "help_consents",
            _("Spaces whose facilitators may act on your behalf"),
            HelpConsent.objects.filter(user=person).select_related("space"),
            ["space__title", "given_at"],
        ),
        section(
            "spaces",
            "entry_disputes",
            _("Entries made for you that you said were wrong"),
            EntryDispute.objects.filter(person=person).select_related("space"),
            ["space__title", "text", "created_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """The person leaves every space; the history that someone joined and left stays, without a name."""
    return {
        "memberships": Membership.objects.filter(user=person).delete()[0],
        "join_requests": JoinRequest.objects.filter(user=person).delete()[0],
        "help_consents": HelpConsent.objects.filter(user=person).delete()[0],
        "entry_disputes": EntryDispute.objects.filter(person=person).delete()[0],
    }
