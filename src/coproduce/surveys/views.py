"""Survey pages: the list, the builder (no JavaScript: up and down buttons), settings, one-time links,
answering a section a page with "check your answers", paper answers, the printable version and results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.errors import Conflict
from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from . import access, selectors, services
from .forms import AnswerForm, HideForm, QuestionForm, SectionForm, SurveyForm, TokensForm, initial_answers
from .models import Answer, Audience, Question, QuestionKind, Response, Survey


def _survey(request: HttpRequest, slug: str, pk: int) -> tuple[Space, Survey]:
    space = space_access.get_space_for(request.user, slug)
    return space, access.get_survey_for(request.user, pk, space=space)


def _builder(request: HttpRequest, slug: str, pk: int) -> tuple[Space, Survey]:
    space, survey = _survey(request, slug, pk)
    access.require_role(access.can_build(request.user, space))
    return space, survey


def _build_url(survey: Survey) -> str:
    return reverse("surveys:build", args=[survey.space.slug, survey.pk])


def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    surveys = list(selectors.surveys_of(request.user, space))
    return render(
        request,
        "surveys/list.html",
        {"space": space, "surveys": surveys, "can_build": access.can_build(request.user, space)},
    )


@login_required
def survey_create(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_build(request.user, space))
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Survey drafted. Now add its questions."))
            return redirect(_build_url(survey))
    return render(
        request,
        "surveys/settings.html",
        {"space": space, "form": form, "title": _("New survey")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def place_standard(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_build(request.user, space))
    survey = services.place_standard_create(actor=request.user, space=space)
    messages.success(request, _("The Place Standard survey is drafted. Check its settings, then open it."))
    return redirect(_build_url(survey))


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


# --- Building ------------------------------------------------------------------------------------------


@login_required
def build(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _builder(request, slug, pk)
    sections = list(
        survey.sections.prefetch_related("questions__options", "questions__show_if_option__question")
    )
    answered = set(
        Answer.objects.filter(question__survey=survey).values_list("question_id", flat=True).distinct()
    )
    return render(
        request,
        "surveys/build.html",
        {
            "space": space,
            "survey": survey,
            "sections": sections,
            "answered": answered,
            "section_form": SectionForm(),
            "responses": survey.responses.filter(submitted_at__isnull=False).count(),
        },
    )


@login_required
@require_POST
def section_add(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    _space, survey = _builder(request, slug, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(actor=request.user, survey=survey, title=form.cleaned_data["title"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Section added."))
    else:
        messages.error(request, _("Give the section a heading."))
    return redirect(_build_url(survey))


def _question_page(request, space, survey, form, *, title, question=None, refused="") -> HttpResponse:
    return render(
        request,
        "surveys/question_form.html",
        {
            "space": space,
            "survey": survey,
            "form": form,
            "title": title,
            "question": question,
            "refused": refused,
        },
        status=400 if form.errors or refused else 200,
    )


@login_required
def question_add(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _builder(request, slug, pk)
    initial = {"section": request.GET.get("section"), "required": True}
    form = QuestionForm(request.POST or None, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect(_build_url(survey))
    return _question_page(request, space, survey, form, title=_("Add a question"))


def _question(survey: Survey, question_id: int) -> Question:
    question = (
        Question.objects.filter(survey=survey, pk=question_id)
        .select_related("survey__space", "section")
        .first()
    )
    if question is None:
        raise Http404
    return question


@login_required
def question_edit(request: SignedInRequest, slug: str, pk: int, question_id: int) -> HttpResponse:
    space, survey = _builder(request, slug, pk)
    question = _question(survey, question_id)
    initial = {
        "text": question.text,
        "hint": question.hint,
        "required": question.required,
        "options": "\n".join(o.label for o in question.options.all()),
        "show_if_option": question.show_if_option_id or "",
    }
    form = QuestionForm(request.POST or None, survey=survey, question=question, initial=initial)
    refused = str(services.CHANGED_AFTER_ANSWERS) if question.answers.exists() else ""
    if request.method == "POST" and form.is_valid():
        try:
            services.question_edit(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "answered":
                refused = " ".join(error.messages)
            else:
                apply_errors(form, error)
        else:
            messages.success(request, _("Question changed."))
            return redirect(_build_url(survey))
    return _question_page(
        request, space, survey, form, title=_("Change a question"), question=question, refused=refused
    )


@login_required
@require_POST
def question_move(request: SignedInRequest, slug: str, pk: int, question_id: int) -> HttpResponse:
    _space, survey = _builder(request, slug, pk)
    question = _question(survey, question_id)
    try:
        services.question_move(
            actor=request.user, question=question, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{_build_url(survey)}#question-{question.pk}")


@login_required
@require_POST
def question_delete(request: SignedInRequest, slug: str, pk: int, question_id: int) -> HttpResponse:
    _space, survey = _builder(request, slug, pk)
    question = _question(survey, question_id)
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Question removed."))
    return redirect(_build_url(survey))


@login_required
def settings(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _builder(request, slug, pk)
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect(_build_url(survey))
    return render(
        request,
        "surveys/settings.html",
        {"space": space, "survey": survey, "form": form, "title": _("Survey settings")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def set_status(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    _space, survey = _builder(request, slug, pk)
    try:
        survey = services.survey_set_status(
            actor=request.user, survey=survey, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The survey is now %(status)s.") % {"status": survey.get_status_display().lower()}
        )
    return redirect(_build_url(survey))


@login_required
@require_POST
def new_version(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    _space, survey = _builder(request, slug, pk)
    copy = services.survey_new_version(actor=request.user, survey=survey)
    messages.success(
        request,
        _("Version %(n)s is a draft: change it, then close version %(old)s and open this one.")
        % {"n": copy.version, "old": survey.version},
    )
    return redirect(_build_url(copy))


@login_required
def links(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, survey = _builder(request, slug, pk)
    form = TokensForm(request.POST or None)
    made: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            raws = services.tokens_issue(actor=request.user, survey=survey, count=form.cleaned_data["count"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            made = [
                request.build_absolute_uri(reverse("surveys:with_link", args=[slug, pk, raw])) for raw in raws
            ]
    return render(
        request,
        "surveys/links.html",
        {"space": space, "survey": survey, "form": form, "made": made, "issued": survey.tokens.count()},
        status=400 if form.errors else 200,
    )


# --- Answering -----------------------------------------------------------------------------------------


def with_link(request: HttpRequest, slug: str, pk: int, token: str) -> HttpResponse:
    """A one-time link: kept in the session (never in a later address), then the first page."""
    space = space_access.get_space_for(request.user, slug)
    if services.token_survey_id(token) != pk:
        raise Http404
    survey = access.get_survey_for(request.user, pk, space=space)
    request.session[f"survey-token-{pk}"] = token
    return redirect("surveys:answer", slug=slug, pk=survey.pk, page=1)


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


# --- Results -------------------------------------------------------------------------------------------


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
