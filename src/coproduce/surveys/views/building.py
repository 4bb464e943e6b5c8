"""Building a survey (hosts and facilitators, no JavaScript: up and down buttons), its settings and links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import PlaceStandardForm, QuestionForm, SectionForm, SurveyForm, TokensForm
from ..models import Answer, Audience, Question, Survey
from ._common import _build_url, _builder


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
    # "Help shape this event": a survey made for a network event (?event=<id>), from the link on its page.
    event = selectors.event_to_shape(request.user, space, request.GET.get("event", ""))
    initial = {}
    if event is not None:
        initial = {
            "title": _("Help shape: %(title)s") % {"title": event.title},
            "intro": _("Tell the organisers what would make this event useful to you."),
            "audience": Audience.PUBLIC,
        }
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                actor=request.user,
                space=space,
                source_event_id=event.pk if event is not None else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Survey drafted. Now add its questions."))
            return redirect(_build_url(survey))
    return render(
        request,
        "surveys/settings.html",
        {
            "space": space,
            "form": form,
            "title": _("New survey")
            if event is None
            else _("A survey to help shape “%(title)s”") % {"title": event.title},
        },
        status=400 if form.errors else 200,
    )


@login_required
def place_standard(request: SignedInRequest, slug: str) -> HttpResponse:
    """The ready Place Standard survey, with the areas its results are shown by (if any)."""
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_build(request.user, space))
    form = PlaceStandardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.place_standard_create(
                actor=request.user,
                space=space,
                title=form.cleaned_data["title"],
                areas=form.cleaned_data["areas"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The Place Standard survey is drafted. Check its settings, then open it.")
            )
            return redirect(_build_url(survey))
    return render(
        request,
        "surveys/settings.html",
        {"space": space, "form": form, "title": _("New Place Standard survey"), "place_standard": True},
        status=400 if form.errors else 200,
    )


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
        # Opening a question that already has answers explains why it cannot change: that is a page, not an
        # error; a change sent and refused is.
        status=400 if form.errors or (refused and request.method == "POST") else 200,
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
