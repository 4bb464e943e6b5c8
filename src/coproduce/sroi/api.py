"""/api/v1/spaces/{slug}/sroi, /api/v1/sroi/outcomes/{id} and /api/v1/sroi/unit-costs: a space's social
value and the network's unit costs, with the same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import SroiOutcome, UnitCost
from .schemas import (
    SroiAnalysisIn,
    SroiAnalysisOut,
    SroiOutcomeIn,
    SroiOutcomeOut,
    SroiOutcomePatch,
    UnitCostIn,
    UnitCostOut,
    UnitCostPatch,
)

router = Router(tags=["social value"])


def _outcome(o: SroiOutcome, present_value: float) -> dict[str, Any]:
    return {
        **{name: getattr(o, name) for name in services.OUTCOME_FIELDS if name != "unit_cost"},
        "id": o.pk,
        "unit_cost_id": o.unit_cost_id,
        "proxy_value": o.proxy_value,
        "proxy_source": o.proxy_source,
        "present_value": present_value,
    }


def _analysis(report: selectors.Report) -> dict[str, Any]:
    a, r = report.analysis, report.result
    return {
        **{name: getattr(a, name) for name in services.ANALYSIS_FIELDS},
        "space": a.space.slug,
        "timebank_hours": report.timebank_hours,
        "inputs": [vars(line) for line in report.inputs],
        "inputs_total": report.inputs_total,
        "present_value": r.present_value,
        "net_present_value": r.net_present_value,
        "ratio": r.ratio,
        "outcomes": [_outcome(o, v.present_value) for o, v in report.rows],
        "steps": [vars(step) for step in r.steps],
        "sensitivity": [vars(row) for row in report.sensitivity],
    }


def _unit_cost(payload_id: int | None) -> UnitCost | None:
    if payload_id is None:
        return None
    found = UnitCost.objects.filter(pk=payload_id).first()
    if found is None:
        raise ValidationError({"unit_cost_id": [_("No such unit cost.")]})
    return found


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    if "unit_cost_id" in data:
        data["unit_cost"] = _unit_cost(data.pop("unit_cost_id"))
    return data


@router.get(
    "/spaces/{slug}/sroi",
    response=SroiAnalysisOut,
    auth=PUBLIC,
    summary="A space's social value: inputs, outcomes, present value, ratio, steps and sensitivity",
)
def analysis_detail(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    found = access.get_analysis_for(request.user, space)
    if found is None:
        raise Http404(_("This space has no social value analysis yet."))
    return _analysis(selectors.report(found))


@router.put(
    "/spaces/{slug}/sroi",
    response=SroiAnalysisOut,
    summary="Start the analysis or change what was put in (facilitators); fields left out keep their value",
)
def analysis_save(request, slug: str, payload: SroiAnalysisIn):
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_edit(request.user, space))
    found = services.analysis_save(actor=request.user, space=space, **payload.dict(exclude_unset=True))
    return _analysis(selectors.report(found))


@router.post(
    "/spaces/{slug}/sroi/outcomes",
    response={201: SroiOutcomeOut},
    summary="Add an outcome (facilitators): a unit cost, or your own value with its source",
)
def outcome_create(request, slug: str, payload: SroiOutcomeIn):
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_edit(request.user, space))
    outcome = services.outcome_create(actor=request.user, space=space, **_fields(payload.dict()))
    return Status(201, _outcome(outcome, selectors.present_value(outcome)))


@router.patch(
    "/sroi/outcomes/{outcome_id}", response=SroiOutcomeOut, summary="Change an outcome (facilitators)"
)
def outcome_edit(request, outcome_id: int, payload: SroiOutcomePatch):
    outcome = access.get_outcome_for(request.user, outcome_id)
    access.require_role(access.can_edit(request.user, outcome.analysis.space))
    outcome = services.outcome_edit(
        actor=request.user, outcome=outcome, **_fields(payload.dict(exclude_unset=True))
    )
    return _outcome(outcome, selectors.present_value(outcome))


@router.delete(
    "/sroi/outcomes/{outcome_id}", response={204: None}, summary="Remove an outcome (facilitators)"
)
def outcome_delete(request, outcome_id: int):
    outcome = access.get_outcome_for(request.user, outcome_id)
    access.require_role(access.can_edit(request.user, outcome.analysis.space))
    services.outcome_delete(actor=request.user, outcome=outcome)
    return Status(204, None)


@router.get("/sroi/unit-costs", response=list[UnitCostOut], summary="The network's unit costs (signed in)")
def unit_cost_list(request):
    return list(selectors.unit_costs())


@router.post("/sroi/unit-costs", response={201: UnitCostOut}, summary="Add a unit cost (network admins)")
def unit_cost_create(request, payload: UnitCostIn):
    access.require_role(access.can_edit_unit_costs(request.user))
    return Status(201, services.unit_cost_save(actor=request.user, **payload.dict()))


@router.patch(
    "/sroi/unit-costs/{unit_cost_id}", response=UnitCostOut, summary="Change a unit cost (network admins)"
)
def unit_cost_edit(request, unit_cost_id: int, payload: UnitCostPatch):
    cost = access.get_unit_cost_for(request.user, unit_cost_id)
    access.require_role(access.can_edit_unit_costs(request.user))
    return services.unit_cost_save(actor=request.user, unit_cost=cost, **payload.dict(exclude_unset=True))
