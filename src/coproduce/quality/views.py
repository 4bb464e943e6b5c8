"""The quality check pages: the check (last stored result), the records behind a number, the community mix,
and the National Standards self-assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.lib.quality.evidence import MEASURE_MEANING, PERSPECTIVES, STAGES, Measure
from coproduce.lib.quality.standards import STANDARDS
from coproduce.people.http import SignedInRequest
from coproduce.spaces.models import Space

from . import access, presenters, selectors, services
from .forms import SelfAssessmentForm, TargetMixForm


def _page(request: HttpRequest, space: Space, template: str, **context: Any) -> HttpResponse:
    context.update(
        space=space,
        can_manage=bool(access.can_manage(request.user, space)),
        can_state_mix=bool(access.can_state_mix(request.user, space)),
    )
    return render(request, template, context)


def check(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    found = selectors.last_check(space)
    context: dict[str, Any] = {"check": found}
    if found is not None and found.judgement:
        judgement = found.judgement
        context.update(
            level=presenters.Step(judgement["level"]).label,
            band=presenters.band_label(judgement["arnstein"]),
            ladder=presenters.ladder(space, judgement),
            bovaird=presenters.bovaird(judgement),
            suggestions=judgement["suggestions"],
        )
    return _page(request, space, "quality/check.html", **context)


@login_required
@require_POST
def recompute(request: SignedInRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    access.require_role(access.can_manage(request.user, space))
    services.check_request(actor=request.user, space=space)
    messages.success(request, _("The check is being worked out again. Come back in a minute."))
    return redirect("quality:check", slug=space.slug)


def _split(value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    found = tuple(v for v in value.split(",") if v) if value else allowed
    if not found or any(v not in allowed for v in found):
        raise Http404
    return found


def records(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    try:
        measure = Measure(request.GET.get("measure", ""))
    except ValueError:
        raise Http404 from None
    stages = _split(request.GET.get("stages", ""), STAGES)
    perspectives = _split(request.GET.get("perspectives", ""), PERSPECTIVES)
    names = access.shows_names(request.user, space)
    listed = selectors.records_for(space, measure, stages, perspectives, names=names)
    rows = [
        {
            "record": r,
            "stage": presenters.STAGE_LABELS.get(r.stage, ""),
            "perspective": presenters.PERSPECTIVE_LABELS.get(r.perspective, r.perspective),
        }
        for r in listed.records
    ]
    return _page(
        request,
        space,
        "quality/records.html",
        meaning=MEASURE_MEANING[measure],
        rows=rows,
        more=listed.more,
        names=names,
        scope=presenters._scope(list(stages), list(perspectives)),
        limit=selectors.RECORDS_LIMIT,
    )


@login_required
def mix(request: SignedInRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    access.require_role(access.can_state_mix(request.user, space))
    form = TargetMixForm(request.POST or None, initial=selectors.target_mix(space))
    if request.method == "POST" and form.is_valid():
        try:
            services.target_mix_set(actor=request.user, space=space, shares=form.shares())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The community mix is saved. The check is being worked out again."))
            return redirect("quality:check", slug=space.slug)
    return _page(request, space, "quality/mix.html", form=form)


def standards(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    rounds = selectors.assessments(space)
    names = access.shows_names(request.user, space)
    table: list[dict[str, Any]] = []
    for r in rounds:
        ratings = {x.standard: x for x in r.ratings.all()}
        table.append(
            {
                "assessment": r,
                "ratings": [ratings.get(s.id) for s in STANDARDS],
                "values": {s: x.rating for s, x in ratings.items()},
                "people": len(r.participants.all()),
                "names": ", ".join(p.display_name for p in r.participants.all()) if names else "",
            }
        )
    disagreements = []
    found = selectors.last_check(space)
    if table and found is not None and found.evidence:
        disagreements = selectors.disagreements(found, table[0]["values"])
    return _page(
        request,
        space,
        "quality/standards.html",
        standards=STANDARDS,
        rounds=table,
        radar=presenters.radar([t["values"] for t in table[:3]]),
        disagreements=disagreements,
        check=found,
    )


@login_required
def assessment_new(request: SignedInRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    access.require_role(access.can_manage(request.user, space))
    form = SelfAssessmentForm(request.POST or None, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_create(
                actor=request.user,
                space=space,
                agreed_on=form.cleaned_data["agreed_on"],
                participants=form.cleaned_data["participants"],
                ratings=form.ratings(),
                notes=form.notes(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        (f"rating_{k}" if f"rating_{k}" in form.fields else k): v
                        for k, v in error.error_dict.items()
                    }
                )
            apply_errors(form, error)
        else:
            messages.success(request, _("The self-assessment is recorded."))
            return redirect(reverse("quality:standards", args=[space.slug]))
    return _page(request, space, "quality/assessment_form.html", form=form, standards=STANDARDS)
