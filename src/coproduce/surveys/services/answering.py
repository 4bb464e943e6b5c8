"""Answering a survey: drafts saved section by section, checked answers, one submission per person (a
database constraint for named surveys, a participation row for anonymous ones, a one-time token for links),
and paper answers a facilitator enters for a member, recorded as entered on their behalf."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.errors import Conflict
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from .. import access
from ..models import (
    CHOICE_KINDS,
    SCALE_KINDS,
    Answer,
    AnswerToken,
    Participation,
    Question,
    QuestionKind,
    Response,
    Survey,
    Template,
)
from .building import token_hash

AREA_CODE = "area"  # the Place Standard's question asking where the person lives (see place_standard.py)

NUMBER_LIMIT = Decimal("1e9")


def field_name(question: Question, row: int | None = None) -> str:
    """The form field (and API error key) of a question, or of one row of a grid."""
    return f"q{question.pk}" if row is None else f"q{question.pk}_r{row}"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_value(question: Question, value: Any, option_ids: set[int]) -> Any:
    """The answer as stored, from what a form or the API sent; ValidationError with a plain message."""
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        try:
            chosen = int(value)
        except (TypeError, ValueError):
            chosen = -1
        if chosen not in option_ids:
            raise ValidationError(_("Choose one of the answers given."))
        return chosen
    if kind == QuestionKind.MULTIPLE:
        items = value if isinstance(value, list | tuple) else [value]
        try:
            chosen_list = sorted({int(v) for v in items})
        except (TypeError, ValueError):
            chosen_list = [-1]
        if not set(chosen_list) <= option_ids:
            raise ValidationError(_("Choose from the answers given."))
        return chosen_list
    if kind in (QuestionKind.SCALE5, QuestionKind.SCALE7):
        top = SCALE_KINDS[QuestionKind(kind)]
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if isinstance(value, float | Decimal) and number != value:
            number = 0
        if not 1 <= number <= top:
            raise ValidationError(_("Choose a number from 1 to %(top)s.") % {"top": top})
        return number
    if kind == QuestionKind.TEXT:
        text = str(value).strip()
        if len(text) > 5000:
            raise ValidationError(_("Keep your answer under 5,000 characters."))
        return text
    if kind == QuestionKind.NUMBER:
        try:
            number_value = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_("Enter a number, like 12 or 3.5.")) from None
        if not number_value.is_finite() or abs(number_value) >= NUMBER_LIMIT:
            raise ValidationError(_("Enter a number, like 12 or 3.5."))
        return number_value.quantize(Decimal("0.0001"))
    if kind == QuestionKind.DATE:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(_("Enter a real date, like 2026-03-27.")) from None
    if kind == QuestionKind.MATRIX:
        if not isinstance(value, dict):
            raise ValidationError(_("Answer each row on the scale."))
        rows: dict[int, int] = {}
        for row, score in value.items():
            if _empty(score):
                continue
            try:
                row_id, number = int(row), int(score)
            except (TypeError, ValueError):
                raise ValidationError(_("Choose a number from 1 to 5 for each row.")) from None
            if row_id not in option_ids or not 1 <= number <= 5:
                raise ValidationError(_("Choose a number from 1 to 5 for each row."))
            rows[row_id] = number
        return rows
    raise ValueError(f"unknown question kind {kind}")


def chosen_options(answers: dict[int, Any], questions: dict[int, Question]) -> set[int]:
    chosen: set[int] = set()
    for question_id, value in answers.items():
        kind = questions[question_id].kind if question_id in questions else None
        if kind == QuestionKind.SINGLE:
            chosen.add(value)
        elif kind == QuestionKind.MULTIPLE:
            chosen.update(value)
    return chosen


def is_shown(question: Question, chosen: set[int]) -> bool:
    return question.show_if_option_id is None or question.show_if_option_id in chosen


def check_answers(
    questions: list[Question],
    sent: dict[int, Any],
    *,
    chosen_elsewhere: set[int] | None = None,
    complete: bool,
) -> dict[int, Any]:
    """Check what was sent for `questions`; with `complete`, every required question that is shown must be
    answered. `chosen_elsewhere`: options chosen in other sections, which may show a question here. Returns
    {question id: value} of the answers given (hidden questions dropped); raises one ValidationError naming
    every field at fault."""
    by_id = {q.pk: q for q in questions}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Any] = {}
    for question in questions:
        value = sent.get(question.pk)
        if _empty(value):
            continue
        try:
            cleaned[question.pk] = clean_value(question, value, {o.pk for o in question.options.all()})
        except ValidationError as error:
            errors[field_name(question)] = error.messages
    chosen = set(chosen_elsewhere or ()) | chosen_options(cleaned, by_id)
    for question in questions:
        if not is_shown(question, chosen):
            cleaned.pop(question.pk, None)
            errors.pop(field_name(question), None)
            continue
        if complete and question.required and field_name(question) not in errors:
            value = cleaned.get(question.pk)
            if question.kind == QuestionKind.MATRIX:
                missing = [o for o in question.options.all() if not (value or {}).get(o.pk)]
                if missing:
                    errors[field_name(question)] = [
                        _("Answer every row of “%(text)s”.") % {"text": question.text}
                    ]
            elif _empty(value):
                message = (
                    _("Choose an answer to “%(text)s”.")
                    if question.kind != QuestionKind.TEXT
                    else _("Write an answer to “%(text)s”.")
                )
                errors[field_name(question)] = [message % {"text": question.text}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _rows(response: Response, question: Question, value: Any) -> list[Answer]:
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return [Answer(response=response, question=question, option_id=value)]
    if kind == QuestionKind.MULTIPLE:
        return [Answer(response=response, question=question, option_id=v) for v in value]
    if kind == QuestionKind.MATRIX:
        return [
            Answer(response=response, question=question, option_id=row, number=score)
            for row, score in value.items()
        ]
    if kind in (QuestionKind.SCALE5, QuestionKind.SCALE7, QuestionKind.NUMBER):
        return [Answer(response=response, question=question, number=value)]
    if kind == QuestionKind.DATE:
        return [Answer(response=response, question=question, date=value)]
    return [Answer(response=response, question=question, text=value)]


def answers_of(response: Response) -> dict[int, Any]:
    """The response's answers as {question id: value}, the shape `check_answers` returns."""
    found: dict[int, Any] = {}
    for row in response.answers.select_related("question"):
        kind = row.question.kind
        if kind == QuestionKind.MULTIPLE:
            found.setdefault(row.question_id, []).append(row.option_id)
        elif kind == QuestionKind.MATRIX:
            found.setdefault(row.question_id, {})[row.option_id] = int(row.number or 0)
        elif kind == QuestionKind.SINGLE:
            found[row.question_id] = row.option_id
        elif kind in (QuestionKind.SCALE5, QuestionKind.SCALE7):
            found[row.question_id] = int(row.number or 0)
        elif kind == QuestionKind.NUMBER:
            found[row.question_id] = row.number
        elif kind == QuestionKind.DATE:
            found[row.question_id] = row.date
        else:
            found[row.question_id] = row.text
    return found


def survey_questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(survey=survey)
        .select_related("section", "show_if_option__question")
        .prefetch_related("options")
        .order_by("section__position", "section_id", "position", "id")
    )


def _write(response: Response, questions: list[Question], answers: dict[int, Any]) -> None:
    """Replace the answers to `questions` with `answers` (a draft changes as the person goes back)."""
    Answer.objects.filter(response=response, question__in=[q.pk for q in questions]).delete()
    by_id = {q.pk: q for q in questions}
    rows = []
    for qid, value in answers.items():
        found = _rows(response, by_id[qid], value)
        for later in found[1:]:
            later.first_row = False
        rows += found
    Answer.objects.bulk_create(rows)


def _already_answered(survey: Survey, person: User) -> bool:
    if survey.anonymous:
        return Participation.objects.filter(survey=survey, user=person).exists()
    return Response.objects.filter(survey=survey, respondent=person, submitted_at__isnull=False).exists()


def _token(survey: Survey, raw: str) -> AnswerToken:
    found = AnswerToken.objects.filter(survey=survey, token_hash=token_hash(raw)).first()
    if found is None:
        raise ValidationError(_("This link is not valid for this survey."))
    if found.used_at is not None:
        raise Conflict(_("This link has already been used to answer."))
    return found


@transaction.atomic
def draft_for(*, actor: User | Any, survey: Survey, token: str = "") -> Response:
    """The person's draft (made the first time), to come back to; Conflict when they already answered."""
    access.require(access.can_answer(actor, survey, token=bool(token)))
    if token:
        found = _token(survey, token)
        response, _made = Response.objects.get_or_create(survey=survey, token=found)
        return response
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Sign in, or use the link you were given, to answer."))
    if _already_answered(survey, actor):
        raise Conflict(_("You have already answered this survey. Thank you."))
    try:
        with transaction.atomic():
            response, _made = Response.objects.get_or_create(survey=survey, respondent=actor)
    except IntegrityError:  # two first visits at once: the other one made it
        response = Response.objects.get(survey=survey, respondent=actor)
    return response


@transaction.atomic
def draft_save(
    *,
    actor: Any,
    response: Response,
    questions: list[Question],
    sent: dict[int, Any],
    reached: int,
    complete: bool = True,
) -> dict[int, Any]:
    """Save the answers to one section of a draft: checked, and with `complete` (continuing to the next
    page) every required question of the section answered; "save and come back later" keeps what is there."""
    # Lock: the same draft saved from two tabs must not leave answers from both.
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if not response.is_draft:
        raise Conflict(_("These answers have already been sent."))
    access.require(access.can_answer(actor, response.survey, token=response.token_id is not None))
    elsewhere = set(
        Answer.objects.filter(response=response, question__kind__in=CHOICE_KINDS)
        .exclude(question__in=[q.pk for q in questions])
        .values_list("option_id", flat=True)
    )
    cleaned = check_answers(questions, sent, chosen_elsewhere=elsewhere, complete=complete)
    _write(response, questions, cleaned)
    response.section_reached = max(response.section_reached, reached)
    response.save(update_fields=["section_reached"])
    return cleaned


def _perspective(survey: Survey, person: User | None) -> str:
    if person is None:
        return ""
    membership = space_access.membership_of(person, survey.space)
    return membership.perspective if membership else ""


def _finish(
    *, actor: User | Any, response: Response, person: User | None, entered_by: User | None
) -> Response:
    survey = response.survey
    now = timezone.now()
    if response.token_id:
        # One use only: of two submissions with the same link, only the one whose UPDATE changes the row counts.
        used = AnswerToken.objects.filter(pk=response.token_id, used_at__isnull=True).update(used_at=now)
        if not used:
            raise Conflict(_("This link has already been used to answer."))
    response.perspective = _perspective(survey, person)
    response.entered_by = entered_by
    if survey.anonymous:
        if person is not None:
            try:
                with transaction.atomic():
                    Participation.objects.create(survey=survey, user=person, entered_by=entered_by)
            except IntegrityError:
                raise Conflict(_("This person has already answered this survey.")) from None
        # Who answered is kept apart from what they answered; the day alone is kept, not the moment.
        response.respondent = None
        now = now.replace(hour=0, minute=0, second=0, microsecond=0)
    response.submitted_at = now
    response.save(update_fields=["perspective", "entered_by", "respondent", "submitted_at"])
    area = ""
    if survey.template == Template.PLACE_STANDARD:
        area = (
            Answer.objects.filter(response=response, question__code=AREA_CODE, option__isnull=False)
            .values_list("option__label", flat=True)
            .first()
        ) or ""
    response.answers.update(counted=True, perspective=response.perspective, area=area)
    Survey.objects.filter(pk=survey.pk).update(results_version=F("results_version") + 1)
    on_behalf = person if entered_by is not None else None
    audit.record(
        actor=actor,
        on_behalf_of=on_behalf,
        action="survey.answered_on_paper" if entered_by else "survey.answered",
        # An anonymous answer is recorded against the survey, never the response: it would name who said it.
        target=survey if survey.anonymous else response,
        space=survey.space,
        summary=(
            _("Paper answers to “%(title)s” entered on someone's behalf")
            if entered_by
            else _("Answers to “%(title)s” sent")
        )
        % {"title": survey.title},
    )
    return response


@transaction.atomic
def response_submit(*, actor: Any, response: Response) -> Response:
    """Send a draft ("check your answers", then send): every required question that is shown answered."""
    response = Response.objects.select_for_update().select_related("survey__space").get(pk=response.pk)
    if not response.is_draft:
        raise Conflict(_("These answers have already been sent."))
    survey = Survey.objects.select_for_update(of=("self",)).select_related("space").get(pk=response.survey_id)
    response.survey = survey
    access.require(access.can_answer(actor, survey, token=response.token_id is not None))
    questions = survey_questions(survey)
    cleaned = check_answers(questions, answers_of(response), complete=True)
    _write(response, questions, cleaned)  # answers to questions a later change of mind hid are dropped
    person = response.respondent
    if person is not None and _already_answered(survey, person):
        raise Conflict(_("You have already answered this survey. Thank you."))
    return _finish(actor=actor, response=response, person=person, entered_by=None)


@transaction.atomic
def response_create(
    *, actor: Any, survey: Survey, sent: dict[int, Any], on_behalf_of: User | None = None, token: str = ""
) -> Response:
    """Answers sent in one go (the API, and a facilitator typing in a paper form for `on_behalf_of`)."""
    # Lock the survey: it must not close half way through, and one person's two sends are taken in turn.
    survey = Survey.objects.select_for_update(of=("self",)).select_related("space").get(pk=survey.pk)
    entered_by = None
    person: User | None = None
    if on_behalf_of is not None and on_behalf_of.pk != getattr(actor, "pk", None):
        access.can_enter_for(actor, on_behalf_of, survey).enforce("on_behalf_of")
        if not survey.is_answerable_now:
            raise ValidationError(_("This survey is not open for answers."))
        person, entered_by = on_behalf_of, actor
    else:
        access.require(access.can_answer(actor, survey, token=bool(token)))
        person = actor if getattr(actor, "is_authenticated", False) and not token else None
        if person is None and not token:
            raise ValidationError(_("Sign in, or use the link you were given, to answer."))
    questions = survey_questions(survey)
    cleaned = check_answers(questions, sent, complete=True)
    if token:
        response = Response(survey=survey, token=_token(survey, token))
    else:
        assert person is not None
        if _already_answered(survey, person):
            raise Conflict(
                _("You have already answered this survey. Thank you.")
                if entered_by is None
                else _("%(name)s has already answered this survey.") % {"name": person}
            )
        # A draft the person had started gives way to the answers sent now.
        Response.objects.filter(survey=survey, respondent=person, submitted_at__isnull=True).delete()
        response = Response(survey=survey, respondent=person)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise Conflict(_("These answers have already been sent.")) from None
    _write(response, questions, cleaned)
    return _finish(actor=actor, response=response, person=person, entered_by=entered_by)


@transaction.atomic
def answer_hide(*, actor: User, answer: Answer, reason: str) -> Answer:
    """Hide a free-text answer from the results (it names someone, say), saying why; it is kept."""
    survey = answer.question.survey
    access.require(access.can_build(actor, survey.space))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is hidden: the reason is kept with it.")})
    if answer.question.kind != QuestionKind.TEXT:
        raise ValidationError(_("Only free-text answers can be hidden."))
    before = answer.hidden_reason
    answer.hidden_reason, answer.hidden_by = reason[:300], actor
    answer.full_clean()
    answer.save(update_fields=["hidden_reason", "hidden_by"])
    Survey.objects.filter(pk=survey.pk).update(results_version=F("results_version") + 1)
    audit.record(
        actor=actor,
        action="survey.answer_hidden",
        target=answer,
        space=survey.space,
        summary=_("A free-text answer to “%(text)s” hidden from the results")
        % {"text": answer.question.text},
        changes={"hidden_reason": [before, answer.hidden_reason]},
    )
    return answer
