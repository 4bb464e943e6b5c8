"""What case studies hold about a person: the case studies they wrote. Erasure keeps them (they tell what a
space did, and may be published under an open licence), no longer saying who wrote them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import CaseStudy


def personal_data(person: Any) -> list:
    return [
        section(
            "casestudies",
            "case_studies",
            _("Case studies you wrote"),
            CaseStudy.objects.filter(author=person),
            ["title", "place", "status", "created_at", "published_at"],
        )
    ]


def erase(person: Any) -> dict[str, int]:
    return {"authorship_removed": CaseStudy.objects.filter(author=person).update(author=None)}
