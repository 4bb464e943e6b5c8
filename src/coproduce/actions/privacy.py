"""What actions hold about a person: the actions they own and the updates they wrote."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Action, ActionUpdate


def personal_data(person: Any) -> list:
    return [
        section(
            "actions",
            "actions",
            _("Actions you own"),
            Action.objects.filter(owner=person).select_related("space"),
            ["space__title", "title", "description", "status", "progress", "due_on", "created_at"],
        ),
        section(
            "actions",
            "updates",
            _("Updates you gave on actions"),
            ActionUpdate.objects.filter(Q(author=person) | Q(on_behalf_of=person)).select_related("action"),
            ["action__title", "text", "progress", "status", "created_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """Actions stay with the space, owned by a "Former member", so that a host can give them to someone."""
    return {"actions_kept": Action.objects.filter(owner=person).count()}
