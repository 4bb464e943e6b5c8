"""What the survey pages share: finding the survey as the viewer may see it, their draft, the pages of a survey."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.errors import Conflict
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from .. import access, services
from ..models import Audience, Question, Response, Survey


def _survey(request: HttpRequest, slug: str, pk: int) -> tuple[Space, Survey]:
    space = space_access.get_space_for(request.user, slug)
    return space, access.get_survey_for(request.user, pk, space=space)


def _builder(request: HttpRequest, slug: str, pk: int) -> tuple[Space, Survey]:
    space, survey = _survey(request, slug, pk)
    access.require_role(access.can_build(request.user, space))
    return space, survey


def _build_url(survey: Survey) -> str:
    return reverse("surveys:build", args=[survey.space.slug, survey.pk])


def _response_for(request: HttpRequest, survey: Survey, *, start: bool) -> Response | None:
    """The viewer's draft, made when `start`; None when there is none yet."""
    token = request.session.get(f"survey-token-{survey.pk}", "")
    if not token and not request.user.is_authenticated and survey.audience == Audience.PUBLIC and start:
        token = services.public_token(survey=survey)
        request.session[f"survey-token-{survey.pk}"] = token
    if token:
        found = Response.objects.filter(survey=survey, token__token_hash=services.token_hash(token)).first()
        if found is not None or not start:
            return found
    elif not request.user.is_authenticated:
        return None
    elif not start:
        return Response.objects.filter(survey=survey, respondent=request.user).first()
    return services.draft_for(actor=request.user, survey=survey, token=token)


def _pages(survey: Survey) -> list[tuple[Any, list[Question]]]:
    questions = services.survey_questions(survey)
    pages: dict[int, tuple[Any, list[Question]]] = {}
    for question in questions:
        pages.setdefault(question.section_id, (question.section, []))[1].append(question)
    return list(pages.values())


def _start(request: HttpRequest, survey: Survey) -> Response | HttpResponse:
    if request.session.get(f"survey-answered-{survey.pk}"):
        # A browser that sent answers with a one-time token does not get another (public surveys).
        messages.info(request, _("You have already answered this survey. Thank you."))
        return redirect(survey)
    try:
        response = _response_for(request, survey, start=True)
    except Conflict as error:
        messages.info(request, " ".join(error.messages))
        return redirect(survey)
    except ValidationError as error:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        messages.error(request, " ".join(error.messages))
        return redirect(survey)
    if response is None:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if not response.is_draft:
        messages.info(request, _("You have already answered this survey. Thank you."))
        return redirect(survey)
    return response
