"""/api/v1/spaces/{slug}/surveys and /api/v1/surveys/...: the same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import Survey
from .schemas import SurveyAnswersIn, SurveyDetailOut, SurveyOut, SurveyResponseOut, SurveyResultsOut

router = Router(tags=["surveys"])


def _survey(s: Survey) -> dict[str, Any]:
    return {
        "id": s.pk,
        "space": s.space.slug,
        "title": s.title,
        "intro": s.intro,
        "anonymous": s.anonymous,
        "status": s.status,
        "audience": s.audience,
        "results_to": s.results_to,
        "opens_at": s.opens_at,
        "closes_at": s.closes_at,
        "version": s.version,
        "template": s.template,
        "url": s.get_absolute_url(),
    }


@router.get("/spaces/{slug}/surveys", response=list[SurveyOut], auth=PUBLIC, summary="The space's surveys")
def survey_list(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    return [_survey(s) for s in selectors.surveys_of(request.user, space)[:200]]


@router.get(
    "/surveys/{survey_id}", response=SurveyDetailOut, auth=PUBLIC, summary="A survey and its questions"
)
def survey_detail(request, survey_id: int):
    survey = access.get_survey_for(request.user, survey_id)
    return {
        **_survey(survey),
        "questions": [
            {
                "id": q.pk,
                "section": q.section.title,
                "kind": q.kind,
                "text": q.text,
                "hint": q.hint,
                "required": q.required,
                "options": [{"id": o.pk, "label": o.label} for o in q.options.all()],
                "scale_max": q.scale_max,
                "show_if_option": q.show_if_option_id,
            }
            for q in services.survey_questions(survey)
        ],
    }


@router.post(
    "/surveys/{survey_id}/responses",
    response={201: SurveyResponseOut},
    summary="Answer a survey in one go (or, as a facilitator, enter a member's paper answers)",
)
def response_create(request, survey_id: int, payload: SurveyAnswersIn):
    survey = access.get_survey_for(request.user, survey_id)
    person = None
    if payload.on_behalf_of is not None:
        person = User.objects.filter(pk=payload.on_behalf_of).first()
        if person is None:
            raise ValidationError({"on_behalf_of": [_("No such person.")]})
    else:
        access.require_role(access.can_answer(request.user, survey))
    response = services.response_create(
        actor=request.user, survey=survey, sent=payload.answers, on_behalf_of=person
    )
    return Status(
        201,
        {
            "id": response.pk,
            "submitted_at": response.submitted_at,
            "entered_on_behalf": response.entered_by_id is not None,
        },
    )


@router.get("/surveys/{survey_id}/results", response=SurveyResultsOut, auth=PUBLIC, summary="Counted results")
def survey_results(request, survey_id: int):
    survey = access.get_survey_for(request.user, survey_id)
    access.require_role(access.can_see_results(request.user, survey))
    found = selectors.results(survey, show_hidden=False)
    texts = access.can_read_free_text(request.user, survey)

    def bars(items) -> list[dict[str, Any]]:
        return [{"label": b.label, "count": b.count, "percent": b.percent} for b in items]

    return {
        "respondents": found["respondents"],
        "small_groups_hidden": found["suppressed"],
        "questions": [
            {
                "id": r.question.pk,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "counts": bars(r.bars),
                "average": r.average,
                "rows": {label: bars(row) for label, _mean, row in r.rows},
                "texts": [a.text for a in r.texts] if texts else [],
                "by_perspective": [
                    {"perspective": g.perspective, "respondents": g.respondents, "cells": g.cells}
                    for g in r.groups
                ],
            }
            for r in found["questions"]
        ],
        "place_standard": _place(survey) if selectors.is_place_standard(survey) else None,
    }


def _place(survey: Survey) -> dict[str, Any]:
    def themes(scores) -> list[dict[str, Any]]:
        return [{"code": code, "theme": label, "average": value} for code, label, value in scores]

    return {
        "themes": themes(selectors.place_scores(survey)),
        "by_area": [
            {"area": a["area"], "respondents": a["people"], "themes": themes(a["scores"])}
            for a in selectors.place_by_area(survey)
        ],
    }


@router.get(
    "/surveys/{survey_id}/results.csv",
    auth=PUBLIC,
    summary="Every answer, one row per response, as CSV (hosts and facilitators)",
    response={200: str},
)
def survey_csv(request, survey_id: int, excel: bool = False):
    survey = access.get_survey_for(request.user, survey_id)
    access.require_role(access.can_export(request.user, survey))
    rows = selectors.export_rows(survey, names=not survey.anonymous)
    response = StreamingHttpResponse(
        selectors.csv_lines(rows, excel=excel), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers.csv"'
    return response
