"""Results with their charts and tables, the CSV export, and hiding a free-text answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.people.http import SignedInRequest

from .. import access, selectors, services
from ..forms import HideForm
from ..models import Answer
from ._common import _builder, _survey


def results(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _survey(request, slug, pk)
    access.require_role(access.can_see_results(request.user, survey))
    manage = access.can_manage(request.user, space)
    context: dict[str, Any] = {
        "space": space,
        "survey": survey,
        "can_manage": manage,
        "show_texts": access.can_read_free_text(request.user, survey),
        "hide_form": HideForm(),
        **selectors.results(survey, show_hidden=manage),
    }
    if selectors.is_place_standard(survey):
        scores = selectors.place_scores(survey)
        context["place"] = {
            "scores": scores,
            "chart": selectors.radar(scores),
            "by_perspective": selectors.place_by_perspective(survey),
            "by_area": selectors.place_by_area(survey),
            "asks_area": bool(selectors.place_areas(survey)),
        }
        rounds = [
            s
            for s in selectors.surveys_of(request.user, space)
            .filter(template=survey.template)
            .exclude(pk=survey.pk)
            if access.can_see_results(request.user, s)
        ]
        context["rounds"] = rounds
        other = next((s for s in rounds if str(s.pk) == request.GET.get("compare")), None)
        if other is not None:
            other_scores = selectors.place_scores(other)
            context["compare"] = {
                "survey": other,
                "scores": other_scores,
                "chart": selectors.radar(other_scores),
            }
            context["place"]["rows"] = [
                (label, value, other_value)
                for (_c, label, value), (_c2, _l2, other_value) in zip(scores, other_scores, strict=True)
            ]
    return render(request, "surveys/results.html", context)


def results_csv(request: HttpRequest, slug: str, pk: int) -> StreamingHttpResponse:
    _space, survey = _survey(request, slug, pk)
    access.require_role(access.can_export(request.user, survey))
    excel = request.GET.get("excel") == "1"
    rows = selectors.export_rows(survey, names=not survey.anonymous)
    response = StreamingHttpResponse(
        selectors.csv_lines(rows, excel=excel), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers.csv"'
    return response


@login_required
@require_POST
def hide_answer(request: SignedInRequest, slug: str, pk: int, answer_id: int) -> HttpResponse:
    _space, survey = _builder(request, slug, pk)
    found = (
        Answer.objects.filter(pk=answer_id, question__survey=survey)
        .select_related("question__survey__space")
        .first()
    )
    if found is None:
        raise Http404
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is hidden: the reason is kept with it."))
    else:
        try:
            services.answer_hide(actor=request.user, answer=found, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("The answer is hidden from the results."))
    return redirect("surveys:results", slug=slug, pk=pk)
