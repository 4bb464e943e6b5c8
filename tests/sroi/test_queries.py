"""The analysis page asks a bounded number of queries, however many outcomes it has."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.sroi.conftest import outcome_fields

from coproduce.sroi import services
from coproduce.sroi.models import UnitCost


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_analysis_page_does_not_ask_per_outcome(client_for, member, space, analysis, facilitator):
    client, url = client_for(member), reverse("sroi:analysis", args=[space.slug])
    costs = list(UnitCost.objects.all())
    services.outcome_create(
        actor=facilitator,
        analysis=analysis,
        **outcome_fields(unit_cost=costs[0], own_value=None, own_source=""),
    )
    few = _count(client, url)
    for i in range(20):
        services.outcome_create(
            actor=facilitator,
            analysis=analysis,
            **(
                outcome_fields(
                    description=f"Outcome {i}", unit_cost=costs[i % len(costs)], own_value=None, own_source=""
                )
                if i % 2
                else outcome_fields(description=f"Outcome {i}")
            ),
        )
    assert _count(client, url) == few
