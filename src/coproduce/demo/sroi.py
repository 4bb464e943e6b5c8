"""The social value of the peer support service (the space at co-assessment): a year's money and time put
in, including the hours given through the timebank in its name, and four outcomes valued with the shipped
unit costs or a sourced value of their own."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from coproduce.spaces.models import Role
from coproduce.sroi import services as sroi
from coproduce.sroi.models import UnitCost

from .network import Cast


def load(cast: Cast, rng: random.Random) -> None:
    space = cast.spaces[3]
    today = timezone.localdate()
    facilitator = space.memberships.filter(role=Role.FACILITATOR).select_related("user").first()
    actor = facilitator.user if facilitator else space.memberships.get(role=Role.HOST).user
    analysis = sroi.analysis_save(
        actor=actor,
        space=space,
        money_inputs=Decimal("24000"),
        volunteer_hours=Decimal("420"),
        period_start=today - dt.timedelta(days=365),
        period_end=today,
        notes="Two part-time peer workers, room hire and travel; volunteers' time at the National Living Wage.",
    )
    cost = {c.name: c for c in UnitCost.objects.all()}

    def add(**fields):
        fields.setdefault("own_source", "")
        sroi.outcome_create(actor=actor, analysis=analysis, **fields)

    add(
        stakeholder="People using peer support",
        description="Fewer crisis admissions",
        indicator="Mental health inpatient bed days, year before and year after",
        quantity=Decimal("46"),
        unit_cost=cost["Mental health inpatient bed day"],
        deadweight=Decimal("20"),
        attribution=Decimal("40"),
        drop_off=Decimal("30"),
        duration_years=2,
    )
    add(
        stakeholder="People using peer support",
        description="Fewer A&E attendances",
        indicator="A&E attendances reported at the outcomes conversations",
        quantity=Decimal("31"),
        unit_cost=cost["A&E attendance"],
        deadweight=Decimal("25"),
        attribution=Decimal("30"),
    )
    add(
        stakeholder="The NHS",
        description="Fewer GP appointments in crisis",
        indicator="GP appointments, from members' own diaries",
        quantity=Decimal("60"),
        unit_cost=cost["GP appointment"],
        deadweight=Decimal("30"),
        attribution=Decimal("25"),
    )
    add(
        stakeholder="Peer workers",
        description="Peer workers back in paid work",
        indicator="Peer workers in paid work six months on",
        quantity=Decimal("2"),
        own_value=Decimal("2600"),
        own_source="Illustrative figure for the demo only: the network's own estimate of a year's wellbeing gain",
        deadweight=Decimal("35"),
        displacement=Decimal("10"),
        attribution=Decimal("50"),
        drop_off=Decimal("20"),
        duration_years=3,
    )
