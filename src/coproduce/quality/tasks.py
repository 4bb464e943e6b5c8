"""Background tasks (huey): working out a space's quality check away from any page (see services)."""

from __future__ import annotations

from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=1, retry_delay=30)
def compute_quality(space_id: int) -> str | None:
    """Work out and store the check of one space; returns its level."""
    from coproduce.spaces.models import Space

    from .services import check_compute

    space = Space.objects.filter(pk=space_id).first()
    if space is None:
        return None
    return str(check_compute(space=space).judgement.get("level"))


@db_periodic_task(crontab(hour=3, minute=30))
def refresh_quality_checks() -> int:
    """Every night, work out again the checks not worked out in the last day (records change every day)."""
    from django.utils import timezone

    from .models import QualityCheck

    stale = QualityCheck.objects.exclude(computed_at__gte=timezone.now() - timedelta(days=1))
    ids = list(stale.values_list("space_id", flat=True))
    for space_id in ids:
        compute_quality(space_id)
    return len(ids)
