"""Every change to social value analyses and unit costs: validated (the same rules as the arithmetic in
`lib.sroi`), atomic and audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coproduce.core import audit
from coproduce.lib import sroi
from coproduce.people.models import User
from coproduce.spaces.models import Space

from . import access
from .models import Analysis, SroiOutcome, UnitCost

ANALYSIS_FIELDS = [
    "money_inputs",
    "volunteer_hours",
    "include_timebank_hours",
    "hourly_value",
    "period_start",
    "period_end",
    "discount_rate",
    "notes",
]
OUTCOME_FIELDS = [
    "stakeholder",
    "description",
    "indicator",
    "quantity",
    "unit_cost",
    "own_value",
    "own_source",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "duration_years",
]
UNIT_COST_FIELDS = ["name", "unit", "value", "source", "price_year"]
SHARE_LABELS = {
    "deadweight": _l("Deadweight"),
    "displacement": _l("Displacement"),
    "attribution": _l("Attribution"),
    "drop_off": _l("Drop-off"),
}


def _message(error: sroi.SroiError) -> str:
    """The library's refusal in the reader's language."""
    label = SHARE_LABELS.get(error.field)
    if error.code == "over_100" and label:
        return _("%(what)s cannot be more than 100 %%.") % {"what": label}
    if error.code == "negative" and label:
        return _("%(what)s cannot be less than 0 %%.") % {"what": label}
    return {
        ("quantity", "negative"): _("The quantity cannot be negative."),
        ("proxy_value", "negative"): _("The value of one unit cannot be negative."),
        ("duration_years", "duration_range"): _("The duration is from 1 to %(n)s years.")
        % {"n": sroi.MAX_DURATION_YEARS},
        ("duration_years", "not_whole"): _("The duration is a whole number of years."),
        ("discount_rate", "rate_range"): _("The discount rate is from 0 % to 100 %."),
    }.get((error.field, error.code), str(error))


def _json(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The audit keeps changes as JSON: amounts as text ("12.50"), exactly as stored."""
    return {name: [str(v) if isinstance(v, Decimal) else v for v in pair] for name, pair in changes.items()}


def _strip(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _check_outcome(outcome: SroiOutcome) -> None:
    """The rules people break, each said beside its field, before the database's constraints."""
    errors: dict[str, str] = {}
    if outcome.unit_cost_id is not None and (outcome.own_value is not None or outcome.own_source):
        errors["own_value"] = _("Choose a unit cost or give your own value, not both.")
    elif outcome.unit_cost_id is None:
        if outcome.own_value is None:
            errors["unit_cost"] = _("Choose a unit cost, or give your own value with its source.")
        elif not outcome.own_source:
            errors["own_source"] = _("Say where your value comes from: a report, a published cost, a survey.")
    for name in ("quantity", "deadweight", "displacement", "attribution", "drop_off"):
        if getattr(outcome, name) is None:
            errors[name] = _("Enter a number.")
    if errors:
        raise ValidationError(errors)
    try:
        sroi.validate_outcome(to_lib(outcome))
    except sroi.SroiError as error:
        field = "own_value" if error.field == "proxy_value" else error.field
        raise ValidationError({field: _message(error)}) from error


def to_lib(outcome: SroiOutcome) -> sroi.Outcome:
    """The outcome as the arithmetic takes it: shares as fractions, money as floats."""
    hundred = Decimal(100)
    return sroi.Outcome(
        name=outcome.description,
        quantity=float(outcome.quantity),
        proxy_value=float(outcome.proxy_value),
        deadweight=float(outcome.deadweight / hundred),
        displacement=float(outcome.displacement / hundred),
        attribution=float(outcome.attribution / hundred),
        drop_off=float(outcome.drop_off / hundred),
        duration_years=outcome.duration_years,
    )


def _check_analysis(analysis: Analysis) -> None:
    errors: dict[str, str] = {}
    for name, message in (
        ("money_inputs", _("The money put in cannot be negative.")),
        ("volunteer_hours", _("The volunteer hours cannot be negative.")),
        ("hourly_value", _("The value of an hour cannot be negative.")),
    ):
        value = getattr(analysis, name)
        if value is None:
            errors[name] = _("Enter a number (0 if none).")
        elif value < 0:
            errors[name] = message
    if analysis.discount_rate is None or not 0 <= analysis.discount_rate <= 100:
        errors["discount_rate"] = _("The discount rate is from 0 % to 100 %.")
    if analysis.period_start and analysis.period_end and analysis.period_end < analysis.period_start:
        errors["period_end"] = _("The end of the period comes after its start.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def analysis_save(*, actor: User, space: Space, **fields: Any) -> Analysis:
    """Start the space's analysis, or change what was put in and the discount rate (facilitators, hosts)."""
    unknown = set(fields) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ValueError(f"not an analysis field: {', '.join(sorted(unknown))}")
    access.require(access.can_edit(actor, space))
    # Lock: two facilitators saving at once must each see the other's change in the history.
    analysis = Analysis.objects.select_for_update().filter(space=space).first()
    created = analysis is None
    if analysis is None:
        analysis = Analysis(space=space, created_by=actor)
    before = audit.snapshot(analysis, ANALYSIS_FIELDS)
    for name, value in _strip(fields).items():
        setattr(analysis, name, value)
    _check_analysis(analysis)
    analysis.full_clean()
    changes = audit.diff(analysis, before, ANALYSIS_FIELDS)
    if not created and not changes:
        return analysis
    analysis.save()
    audit.record(
        actor=actor,
        action="sroi.analysis.created" if created else "sroi.analysis.changed",
        target=analysis,
        space=space,
        summary=(
            _("Social value analysis started")
            if created
            else _("Social value inputs changed: %(fields)s")
            % {"fields": audit.field_names(analysis, changes)}
        ),
        changes=_json(changes),
        public=True,
    )
    return analysis


def _outcome_summary(outcome: SroiOutcome) -> str:
    return f"“{outcome.description}” ({outcome.stakeholder})"


@transaction.atomic
def outcome_create(
    *, actor: User, analysis: Analysis | None = None, space: Space | None = None, **fields: Any
) -> SroiOutcome:
    """Add an outcome to `analysis`, or to `space`'s analysis, started here if it has none (in the same
    transaction: an outcome refused leaves no empty analysis behind)."""
    unknown = set(fields) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"not an outcome field: {', '.join(sorted(unknown))}")
    if analysis is None:
        if space is None:
            raise TypeError("outcome_create needs an analysis or a space")
        analysis = Analysis.objects.filter(space=space).first() or analysis_save(actor=actor, space=space)
    access.require(access.can_edit(actor, analysis.space))
    outcome = SroiOutcome(analysis=analysis, **_strip(fields))
    _check_outcome(outcome)
    outcome.full_clean()
    outcome.save()
    audit.record(
        actor=actor,
        action="sroi.outcome.created",
        target=outcome,
        space=analysis.space,
        summary=_("Social value outcome added: %(what)s") % {"what": _outcome_summary(outcome)},
        changes=_json({name: [None, getattr(outcome, name)] for name in OUTCOME_FIELDS}),
        public=True,
    )
    return outcome


@transaction.atomic
def outcome_edit(*, actor: User, outcome: SroiOutcome, **fields: Any) -> SroiOutcome:
    unknown = set(fields) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"not an outcome field: {', '.join(sorted(unknown))}")
    space = outcome.analysis.space
    access.require(access.can_edit(actor, space))
    # Lock: two facilitators changing it at once must each see the other's change in the history.
    outcome = (
        SroiOutcome.objects.select_for_update(of=("self",))
        .select_related("analysis__space")
        .get(pk=outcome.pk)
    )
    before = audit.snapshot(outcome, OUTCOME_FIELDS)
    for name, value in _strip(fields).items():
        setattr(outcome, name, value)
    _check_outcome(outcome)
    outcome.full_clean()
    changes = audit.diff(outcome, before, OUTCOME_FIELDS)
    if not changes:
        return outcome
    outcome.save()
    audit.record(
        actor=actor,
        action="sroi.outcome.changed",
        target=outcome,
        space=space,
        summary=_("Social value outcome %(what)s changed: %(fields)s")
        % {"what": _outcome_summary(outcome), "fields": audit.field_names(outcome, changes)},
        changes=_json(changes),
        public=True,
    )
    return outcome


@transaction.atomic
def outcome_delete(*, actor: User, outcome: SroiOutcome) -> None:
    space = outcome.analysis.space
    access.require(access.can_edit(actor, space))
    audit.record(
        actor=actor,
        action="sroi.outcome.deleted",
        target=outcome,
        space=space,
        summary=_("Social value outcome removed: %(what)s") % {"what": _outcome_summary(outcome)},
        changes=_json({name: [getattr(outcome, name), None] for name in OUTCOME_FIELDS}),
        public=True,
    )
    outcome.delete()


def _check_unit_cost(cost: UnitCost) -> None:
    errors: dict[str, str] = {}
    if cost.value is not None and cost.value < 0:
        errors["value"] = _("A unit cost cannot be negative.")
    if not cost.source:
        errors["source"] = _("Say where the figure comes from.")
    if not cost.price_year:
        errors["price_year"] = _("Give the year of its prices, for example 2023/24.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_cost_save(*, actor: User, unit_cost: UnitCost | None = None, **fields: Any) -> UnitCost:
    """Add a unit cost to the network's table, or change one (network admins). Outcomes that use it follow
    the new figure; the history keeps the old one."""
    unknown = set(fields) - set(UNIT_COST_FIELDS)
    if unknown:
        raise ValueError(f"not a unit cost field: {', '.join(sorted(unknown))}")
    access.require(access.can_edit_unit_costs(actor))
    created = unit_cost is None
    cost = UnitCost() if unit_cost is None else UnitCost.objects.select_for_update().get(pk=unit_cost.pk)
    before = audit.snapshot(cost, UNIT_COST_FIELDS)
    for name, value in _strip(fields).items():
        setattr(cost, name, value)
    _check_unit_cost(cost)
    cost.full_clean()
    changes = audit.diff(cost, before, UNIT_COST_FIELDS)
    if not created and not changes:
        return cost
    cost.save()
    audit.record(
        actor=actor,
        action="sroi.unit_cost.created" if created else "sroi.unit_cost.changed",
        target=cost,
        summary=(_("Unit cost added: %(cost)s") if created else _("Unit cost changed: %(cost)s"))
        % {"cost": str(cost)},
        changes=_json(changes),
    )
    return cost
