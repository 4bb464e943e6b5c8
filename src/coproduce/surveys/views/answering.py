"""Answering: a section a page, "check your answers", a saved draft; paper answers; the printable version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, services
from ..forms import AnswerForm, initial_answers
from ..models import Question, QuestionKind
from ._common import _builder, _pages, _response_for, _start, _survey


def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _survey(request, slug, pk)
    answer = access.can_answer(request.user, survey, token=bool(request.session.get(f"survey-token-{pk}")))
    response = _response_for(request, survey, start=False) if answer else None
    return render(
        request,
        "surveys/detail.html",
        {
            "space": space,
            "survey": survey,
            "can_answer": answer,
            "response": response,
            "can_build": access.can_build(request.user, space),
            "can_see_results": access.can_see_results(request.user, survey),
            "questions": survey.questions.count(),
        },
    )


def with_link(request: HttpRequest, slug: str, pk: int, token: str) -> HttpResponse:
    """A one-time link: kept in the session (never in a later address), then the first page."""
    space = space_access.get_space_for(request.user, slug)
    if services.token_survey_id(token) != pk:
        raise Http404
    survey = access.get_survey_for(request.user, pk, space=space)
    request.session[f"survey-token-{pk}"] = token
    return redirect("surveys:answer", slug=slug, pk=survey.pk, page=1)


def answer(request: HttpRequest, slug: str, pk: int, page: int) -> HttpResponse:
    space, survey = _survey(request, slug, pk)
    access.require_role(
        access.can_answer(request.user, survey, token=bool(request.session.get(f"survey-token-{pk}")))
    )
    started = _start(request, survey)
    if isinstance(started, HttpResponse):
        return started
    response = started
    pages = _pages(survey)
    if not 1 <= page <= len(pages):
        raise Http404
    section, questions = pages[page - 1]
    saved = services.answers_of(response)
    chosen = {v for qid, v in saved.items() if isinstance(v, int)} | {
        x for v in saved.values() if isinstance(v, list) for x in v
    }
    in_section = {q.pk for q in questions}
    shown = [
        q
        for q in questions
        if q.show_if_option is None
        or q.show_if_option.question_id in in_section
        or q.show_if_option.pk in chosen
    ]
    # Bound on every POST, even an empty one: a page sent with nothing chosen must say what is missing.
    posted = request.POST if request.method == "POST" else None
    form = AnswerForm(posted, questions=shown, initial=initial_answers(shown, saved))
    if request.method == "POST" and form.is_valid():
        later = "later" in request.POST
        try:
            services.draft_save(
                actor=request.user,
                response=response,
                questions=shown,
                sent=form.answers(),
                reached=page,
                complete=not later,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if later:
                messages.success(request, _("Your answers are saved. Come back to this survey to finish."))
                return redirect(survey)
            if page < len(pages):
                return redirect("surveys:answer", slug=slug, pk=pk, page=page + 1)
            return redirect("surveys:check", slug=slug, pk=pk)
    return render(
        request,
        "surveys/answer.html",
        {
            "space": space,
            "survey": survey,
            "section": section,
            "form": form,
            "page": page,
            "pages": len(pages),
            "summary": form.summary() if form.errors else [],
        },
        status=400 if form.errors else 200,
    )


def _answer_text(question: Question, value: Any) -> str:
    labels = {o.pk: o.label for o in question.options.all()}
    if question.kind == QuestionKind.SINGLE:
        return labels.get(value, "")
    if question.kind == QuestionKind.MULTIPLE:
        return ", ".join(labels.get(v, "") for v in value)
    if question.kind == QuestionKind.MATRIX:
        return "; ".join(f"{labels.get(row, '')}: {score}" for row, score in value.items())
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f")
    return str(value)


def check(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GOV.UK's "check your answers": each answer with a link to change it, then send."""
    space, survey = _survey(request, slug, pk)
    access.require_role(
        access.can_answer(request.user, survey, token=bool(request.session.get(f"survey-token-{pk}")))
    )
    started = _start(request, survey)
    if isinstance(started, HttpResponse):
        return started
    response = started
    error_items: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            services.response_submit(actor=request.user, response=response)
        except ValidationError as error:
            error_items = [("", m) for m in error.messages]
        else:
            if request.session.pop(f"survey-token-{pk}", None):
                request.session[f"survey-answered-{pk}"] = True
            return redirect("surveys:done", slug=slug, pk=pk)
    saved = services.answers_of(response)
    rows = []
    for number, (section, questions) in enumerate(_pages(survey), start=1):
        for question in questions:
            value = saved.get(question.pk)
            rows.append(
                (
                    section,
                    question,
                    _answer_text(question, value) if value not in (None, "", [], {}) else "",
                    number,
                )
            )
    return render(
        request,
        "surveys/check.html",
        {"space": space, "survey": survey, "rows": rows, "summary": error_items},
        status=400 if error_items else 200,
    )


def done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _survey(request, slug, pk)
    return render(
        request,
        "surveys/done.html",
        {"space": space, "survey": survey, "can_see_results": access.can_see_results(request.user, survey)},
    )


@login_required
def paper(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    """A facilitator types in a member's paper answers, all on one page, recorded as entered for them."""
    space, survey = _builder(request, slug, pk)
    people = space_access.people_to_act_for(request.user, space)
    questions = services.survey_questions(survey)
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    person_error = ""
    if request.method == "POST":
        chosen = request.POST.get("on_behalf_of", "")
        person = next((m.user for m in people if str(m.user_id) == chosen), None)
        if person is None:
            person_error = _("Choose the member whose paper answers these are.")
        if form.is_valid() and person is not None:
            try:
                services.response_create(
                    actor=request.user, survey=survey, sent=form.answers(), on_behalf_of=person
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "on_behalf_of" in error.error_dict:
                    person_error = " ".join(error.message_dict["on_behalf_of"])
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("%(name)s's paper answers are saved.") % {"name": person.display_name}
                )
                return redirect("surveys:paper", slug=slug, pk=pk)
    summary = form.summary() if form.errors else []
    if person_error:
        summary.insert(0, ("#on_behalf_of", person_error))
    return render(
        request,
        "surveys/paper.html",
        {
            "space": space,
            "survey": survey,
            "form": form,
            "people": people,
            "person_error": person_error,
            "summary": summary,
            "chosen": request.POST.get("on_behalf_of", ""),
        },
        status=400 if summary else 200,
    )


def printable(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _survey(request, slug, pk)
    return render(request, "surveys/print.html", {"space": space, "survey": survey, "pages": _pages(survey)})
