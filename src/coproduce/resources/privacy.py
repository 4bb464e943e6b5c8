"""What resources hold about a person: the resources they shared. Erasure keeps them, without the author."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Resource


def personal_data(person: Any) -> list:
    return [
        section(
            "resources",
            "resources",
            _("Resources you shared"),
            Resource.objects.filter(author=person),
            ["title", "summary", "kind", "url", "file_name", "status", "created_at"],
        )
    ]


def erase(person: Any) -> dict[str, int]:
    return {"authorship_removed": Resource.objects.filter(author=person).update(author=None)}
