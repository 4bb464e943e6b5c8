"""Social value pages: the analysis worked out in plain words, the forms that change it, and the network's
table of unit costs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .forms import AnalysisForm, OutcomeForm, UnitCostForm
from .models import Analysis, SroiOutcome, UnitCost


def analysis(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    found = access.get_analysis_for(request.user, space)
    return render(
        request,
        "sroi/analysis.html",
        {
            "space": space,
            "report": selectors.report(found) if found else None,
            "can_edit": access.can_edit(request.user, space),
        },
    )


def _form_page(request: HttpRequest, template: str, status_ok: int = 200, **context: Any) -> HttpResponse:
    form = context["form"]
    return render(request, template, context, status=400 if form.errors else status_ok)


@login_required
def inputs(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_edit(request.user, space))
    found = access.get_analysis_for(request.user, space) or Analysis(space=space)
    initial = {name: getattr(found, name) for name in services.ANALYSIS_FIELDS}
    form = AnalysisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_save(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: the social value is worked out again below."))
            return redirect("sroi:analysis", space.slug)
    return _form_page(request, "sroi/inputs_form.html", space=space, form=form)


@login_required
def outcome_create(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_edit(request.user, space))
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The outcome is added and the social value worked out again."))
            return redirect("sroi:analysis", space.slug)
    return _form_page(request, "sroi/outcome_form.html", space=space, form=form, outcome=None)


@login_required
def outcome_edit(request: SignedInRequest, slug: str, outcome_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    outcome = access.get_outcome_for(request.user, outcome_id, space=space)
    access.require_role(access.can_edit(request.user, space))
    initial = {name: getattr(outcome, name) for name in services.OUTCOME_FIELDS}
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_edit(actor=request.user, outcome=outcome, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: the social value is worked out again below."))
            return redirect("sroi:analysis", space.slug)
    return _form_page(request, "sroi/outcome_form.html", space=space, form=form, outcome=outcome)


@login_required
@require_POST
def outcome_delete(request: SignedInRequest, slug: str, outcome_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    outcome: SroiOutcome = access.get_outcome_for(request.user, outcome_id, space=space)
    access.require_role(access.can_edit(request.user, space))
    services.outcome_delete(actor=request.user, outcome=outcome)
    messages.success(request, _("The outcome is removed."))
    return redirect("sroi:analysis", space.slug)


@login_required
def unit_costs(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "sroi/unit_costs.html",
        {"costs": selectors.unit_costs(), "can_edit": access.can_edit_unit_costs(request.user)},
    )


@login_required
def unit_cost_form(request: SignedInRequest, unit_cost_id: int | None = None) -> HttpResponse:
    cost: UnitCost | None = None
    if unit_cost_id is not None:
        cost = access.get_unit_cost_for(request.user, unit_cost_id)
    access.require_role(access.can_edit_unit_costs(request.user))
    initial = {name: getattr(cost, name) for name in services.UNIT_COST_FIELDS} if cost else {}
    form = UnitCostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_cost_save(actor=request.user, unit_cost=cost, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The unit costs are saved."))
            return redirect(reverse("sroi_costs:list"))
    return _form_page(request, "sroi/unit_cost_form.html", form=form, cost=cost)
