"""What budgets hold about a person: that they voted (never how: a ballot has no link to its voter) and the
projects they proposed. Erasure keeps both, under the account's new nameless "Former member"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Project, Voter


def personal_data(person: Any) -> list:
    return [
        section(
            "budgets",
            "votes",
            _("Budgets you voted in (never what you voted for: nobody can tell that)"),
            Voter.objects.filter(user=person).select_related("budget"),
            ["budget__title", "method", "voted_at", "changed_at"],
        ),
        section(
            "budgets",
            "projects",
            _("Projects you proposed"),
            Project.objects.filter(submitted_by=person).select_related("budget"),
            ["budget__title", "title", "description", "cost", "status", "submitted_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """Nothing to remove: that someone voted stays (so that results and turnout do not change, and the
    ballot cannot be cast again), as do proposed projects; the account no longer says who."""
    return {"votes_kept_anonymous": Voter.objects.filter(user=person).count()}
