"""`stage_of` places a record in the stage holding its local day: the first minute of the first day and the
last minute of the last day are in, the minutes either side are not (compared as stored, not per row)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.ideas import services as ideas
from coproduce.ideas.models import Idea
from coproduce.spaces.evidence import stage_of
from coproduce.spaces.models import Stage


def test_a_stage_holds_its_local_days_from_midnight_to_midnight(space, member):
    first, last = dt.date(2026, 6, 10), dt.date(2026, 6, 12)  # summer time: local midnight is 23:00 UTC
    Stage.objects.filter(space=space, kind="co_design").update(starts_on=first, ends_on=last)
    Stage.objects.filter(space=space).exclude(kind="co_design").update(starts_on=None, ends_on=None)
    local = timezone.get_current_timezone()
    cases = {
        dt.datetime(2026, 6, 9, 23, 59, tzinfo=local): "elsewhere",
        dt.datetime(2026, 6, 10, 0, 0, tzinfo=local): "co_design",
        dt.datetime(2026, 6, 12, 23, 59, 59, tzinfo=local): "co_design",
        dt.datetime(2026, 6, 13, 0, 0, tzinfo=local): "elsewhere",
    }
    made = {}
    for when, _expected in cases.items():
        idea = ideas.idea_create(actor=member, space=space, title=f"Idea at {when}", body="Text.")
        Idea.objects.filter(pk=idea.pk).update(created_at=when)
        made[idea.pk] = when
    placed = dict(
        Idea.objects.filter(pk__in=made)
        .annotate(s=stage_of(space, "created_at", among=["co_design"], default="elsewhere"))
        .values_list("pk", "s")
    )
    assert {made[pk]: stage for pk, stage in placed.items()} == cases
