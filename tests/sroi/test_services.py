"""Social value services: the rules said beside their fields, nothing half-written, every change audited,
the database holding the invariants when the service is bypassed, and timebank hours counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from tests.sroi.conftest import outcome_fields

from coproduce.core.models import AuditEvent
from coproduce.sroi import selectors, services
from coproduce.sroi.models import Analysis, SroiOutcome, UnitCost


def test_the_seeded_unit_costs_have_sources_and_price_years(db):
    costs = {c.name: c for c in UnitCost.objects.all()}
    assert costs["A&E attendance"].value == Decimal("109")
    assert costs["Mental health inpatient bed day"].value == Decimal("429")
    assert costs["Community mental health team contact"].value == Decimal("156")
    assert costs["Ambulance call-out"].value == Decimal("216")
    assert costs["Hospital outpatient appointment"].value == Decimal("111")
    assert "GP appointment" in costs
    assert all(c.source and c.price_year for c in costs.values())


def test_the_report_works_it_out_as_by_hand(outcome):
    """12 × £109 = £1,308; less 10 % deadweight £1,177.20; less 50 % attribution £588.60; one year at
    3.5 %: 588.60 / 1.035 = £568.70. Inputs £1,000: ratio 0.57."""
    report = selectors.report(outcome.analysis)
    assert report.inputs_total == 1000
    assert report.result.present_value == pytest.approx(568.70, abs=0.01)
    assert report.result.ratio == pytest.approx(0.5687, abs=0.0001)
    assert report.rows[0][0] == outcome
    assert report.sensitivity[0].assumption == "As entered"
    assert any("£588.60" in step.text for step in report.result.steps)


def test_the_analysis_is_audited(analysis, facilitator):
    event = AuditEvent.objects.get(action="sroi.analysis.created")
    assert event.actor == facilitator and event.space == analysis.space
    services.analysis_save(actor=facilitator, space=analysis.space, hourly_value=Decimal("15"))
    changed = AuditEvent.objects.get(action="sroi.analysis.changed")
    assert changed.changes["hourly_value"] == ["12.21", "15"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"attribution": Decimal("101")}, "attribution"),
        ({"deadweight": Decimal("-1")}, "deadweight"),
        ({"drop_off": Decimal("150")}, "drop_off"),
        ({"quantity": Decimal("-3")}, "quantity"),
        ({"own_source": ""}, "own_source"),
        ({"own_value": None, "own_source": ""}, "unit_cost"),
        ({"own_value": Decimal("-5")}, "own_value"),
        ({"duration_years": 0}, "duration_years"),
    ],
)
def test_bad_outcomes_are_refused_beside_the_field_and_nothing_is_written(
    analysis, facilitator, change, field
):
    with pytest.raises(ValidationError) as caught:
        services.outcome_create(actor=facilitator, analysis=analysis, **outcome_fields(**change))
    assert field in caught.value.message_dict
    assert not SroiOutcome.objects.exists()
    assert not AuditEvent.objects.filter(action="sroi.outcome.created").exists()


def test_over_100_percent_attribution_says_so(analysis, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.outcome_create(
            actor=facilitator, analysis=analysis, **outcome_fields(attribution=Decimal("120"))
        )
    assert caught.value.message_dict["attribution"] == ["Attribution cannot be more than 100 %."]


def test_a_unit_cost_and_an_own_value_together_are_refused(analysis, facilitator, ae):
    with pytest.raises(ValidationError) as caught:
        services.outcome_create(actor=facilitator, analysis=analysis, **outcome_fields(unit_cost=ae))
    assert "own_value" in caught.value.message_dict


def test_only_facilitators_change_the_analysis(analysis, member, host):
    with pytest.raises(PermissionDenied):
        services.outcome_create(actor=member, analysis=analysis, **outcome_fields())
    with pytest.raises(PermissionDenied):
        services.analysis_save(actor=member, space=analysis.space, money_inputs=Decimal("1"))
    services.outcome_create(actor=host, analysis=analysis, **outcome_fields())


def test_edit_and_delete_are_audited(outcome, facilitator):
    services.outcome_edit(actor=facilitator, outcome=outcome, quantity=Decimal("20"))
    outcome.refresh_from_db()
    assert outcome.quantity == Decimal("20")
    assert AuditEvent.objects.get(action="sroi.outcome.changed").changes["quantity"] == ["12.00", "20"]
    services.outcome_delete(actor=facilitator, outcome=outcome)
    assert not SroiOutcome.objects.exists()
    assert AuditEvent.objects.filter(action="sroi.outcome.deleted").exists()


def test_an_edit_that_breaks_a_rule_changes_nothing(outcome, facilitator):
    with pytest.raises(ValidationError):
        services.outcome_edit(actor=facilitator, outcome=outcome, attribution=Decimal("200"))
    outcome.refresh_from_db()
    assert outcome.attribution == Decimal("50")


def test_the_database_refuses_what_bypasses_the_service(analysis):
    base = {"analysis": analysis, "stakeholder": "s", "description": "d", "indicator": "i"}
    for bad in (
        {"quantity": -1, "own_value": 1, "own_source": "x"},
        {"quantity": 1, "own_value": 1, "own_source": ""},  # a proxy without a source
        {"quantity": 1, "own_value": 1, "own_source": "x", "attribution": 101},
        {"quantity": 1, "own_value": 1, "own_source": "x", "duration_years": 0},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            SroiOutcome.objects.create(**base, **bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        Analysis.objects.filter(pk=analysis.pk).update(money_inputs=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitCost.objects.create(name="x", unit="u", value=1, source="", price_year="2024")


def test_bad_inputs_are_refused(space, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.analysis_save(
            actor=facilitator,
            space=space,
            money_inputs=Decimal("-1"),
            discount_rate=Decimal("120"),
            period_start=dt.date(2025, 5, 1),
            period_end=dt.date(2025, 1, 1),
        )
    assert set(caught.value.message_dict) == {"money_inputs", "discount_rate", "period_end"}
    assert not Analysis.objects.exists()


def test_unit_costs_are_changed_by_network_admins_only(ae, admin_user, host):
    with pytest.raises(PermissionDenied):
        services.unit_cost_save(actor=host, unit_cost=ae, value=Decimal("120"))
    services.unit_cost_save(actor=admin_user, unit_cost=ae, value=Decimal("120"))
    ae.refresh_from_db()
    assert ae.value == Decimal("120")
    assert AuditEvent.objects.get(action="sroi.unit_cost.changed").actor == admin_user
    with pytest.raises(ValidationError) as caught:
        services.unit_cost_save(
            actor=admin_user, name="Bed night", unit="night", value=Decimal("50"), source="", price_year=""
        )
    assert set(caught.value.message_dict) == {"source", "price_year"}


def test_timebank_hours_in_the_space_are_counted_at_the_hourly_value(
    space, analysis, host, member, facilitator
):
    from tests.timebank.conftest import approved

    from coproduce.people import services as people_services
    from coproduce.timebank import services as timebank_services

    approved(host)
    organisation = people_services.organisation_create(actor=host, name="Riverside Trust", kind="charity")
    timebank_services.participation_reward(
        actor=host,
        organisation=organisation,
        recipients=[member, facilitator],
        hours_minutes=90,
        description="Co-design workshop",
        space=space,
        key="test:workshop",
    )
    # Time given elsewhere does not count.
    timebank_services.participation_reward(
        actor=host,
        organisation=organisation,
        recipients=[member],
        hours_minutes=60,
        description="Elsewhere",
        key="test:elsewhere",
    )
    services.analysis_save(actor=facilitator, space=space, hourly_value=Decimal("10"))
    analysis.refresh_from_db()
    report = selectors.report(analysis)
    assert report.timebank_hours == 3.0
    assert report.inputs_total == 1000 + 3 * 10
    services.analysis_save(actor=facilitator, space=space, include_timebank_hours=False)
    analysis.refresh_from_db()
    assert selectors.report(analysis).timebank_hours is None


def test_without_the_timebank_hook_no_hours_are_counted(analysis, monkeypatch):
    from coproduce.core import registry

    monkeypatch.setattr(registry, "hook", lambda name: None)
    assert selectors.report(analysis).timebank_hours is None


def test_the_stage_item(space, analysis, outcome, member):
    from coproduce.sroi.apps import items_for_stage

    stage = type("Stage", (), {"space": space})()
    items = items_for_stage(stage, member)
    assert items[0].url == f"/spaces/{space.slug}/social-value/"
    assert "0.57" in items[0].status
