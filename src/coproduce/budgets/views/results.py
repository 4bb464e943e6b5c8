"""Results: the last count in plain words (or "being counted"), a recount, and the ballots as a .pb file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core import ahead, kept_pages
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ._common import budget_for, roles


@ahead.reads("budgets:results")
def _results_reads(person, slug: str, budget_id: int):
    """What the results page reads first (core/ahead.py): the budget with the space, and its counts."""
    return access.budget_read(person, slug, budget_id, many=selectors.counts_read(budget_id))


def results(request, slug: str, budget_id: int):
    # The budget's counts are read with it (one round trip), used only for those who may see them.
    budget, rows = access.get_budget_and(request.user, slug, budget_id, many=selectors.counts_read(budget_id))
    counted = selectors.last_count(budget, rows) if access.can_see_results(request.user, budget) else None
    html = kept_pages.page(
        request,
        "budgets.results",
        audience=access.results_page_audience(request.user, budget),
        parts=(counted.counted_at.timestamp() if counted else None,),
        template="budgets/results.html",
        build=lambda: {
            "space": budget.space,
            "budget": budget,
            **roles(request.user, budget),
            "results": counted is not None,
            "results_html": selectors.results_html(budget, counted) if counted else "",
            "counted_at": counted.counted_at if counted else None,
        },
    )
    return HttpResponse(html)


@login_required
@require_POST
def results_recount(request, slug: str, budget_id: int):
    budget = budget_for(request, slug, budget_id, need=space_access.HOST)
    try:
        services.results_recount(actor=request.user, budget=budget)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ballots are being counted again."))
    return redirect(reverse("budgets:results", args=[slug, budget_id]))


def export(request, slug: str, budget_id: int):
    budget = budget_for(request, slug, budget_id)
    if not access.can_export(request.user, budget):
        raise PermissionDenied(_("The ballots can be downloaded once voting has closed."))
    counted = selectors.last_count(budget)
    text = services.budget_export(budget, selected=counted.data[budget.rule]["selected"] if counted else None)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}.pb"'
    return response
