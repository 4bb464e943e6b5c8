"""What SROI holds about a person: only the analyses they made (no personal data in them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Analysis


def personal_data(person: Any) -> list:
    return [
        section(
            "sroi",
            "analyses",
            _("Social return analyses you made"),
            Analysis.objects.filter(created_by=person).select_related("space"),
            ["space__title", "period_start", "period_end", "created_at"],
        )
    ]
