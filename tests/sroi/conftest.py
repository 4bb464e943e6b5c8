"""Social value fixtures on top of the shared cast: the public space's analysis with one outcome valued by
a shipped unit cost, and the private space's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coproduce.sroi import services
from coproduce.sroi.models import UnitCost


@pytest.fixture
def ae(db):
    """The shipped A&E attendance unit cost (seeded by migration 0002)."""
    return UnitCost.objects.get(name="A&E attendance")


@pytest.fixture
def analysis(space, facilitator):
    return services.analysis_save(
        actor=facilitator, space=space, money_inputs=Decimal("1000"), volunteer_hours=Decimal("0")
    )


@pytest.fixture
def outcome(analysis, facilitator, ae):
    return services.outcome_create(
        actor=facilitator,
        analysis=analysis,
        stakeholder="People using the service",
        description="Fewer A&E visits",
        indicator="A&E attendances, year before and after",
        quantity=Decimal("12"),
        unit_cost=ae,
        deadweight=Decimal("10"),
        attribution=Decimal("50"),
    )


@pytest.fixture
def private_analysis(private_space, facilitator):
    return services.analysis_save(actor=facilitator, space=private_space, money_inputs=Decimal("500"))


def outcome_fields(**change):
    fields = {
        "stakeholder": "Carers",
        "description": "Fewer crises",
        "indicator": "Crisis calls",
        "quantity": Decimal("10"),
        "unit_cost": None,
        "own_value": Decimal("100"),
        "own_source": "Local authority crisis team costs, 2024",
        "deadweight": Decimal("0"),
        "displacement": Decimal("0"),
        "attribution": Decimal("0"),
        "drop_off": Decimal("0"),
        "duration_years": 1,
    }
    fields.update(change)
    return fields
