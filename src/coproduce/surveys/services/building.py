"""Building a survey: settings, sections, questions and their options, opening and closing, new versions,
one-time links, and the Place Standard in one step. Every change is checked, atomic and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coproduce.core import audit, registry
from coproduce.people.models import User
from coproduce.spaces.models import Space

from .. import access
from ..models import (
    OPTION_KINDS,
    Answer,
    AnswerToken,
    Audience,
    Option,
    Question,
    QuestionKind,
    ResultsTo,
    Section,
    Survey,
    SurveyStatus,
    Template,
)

SETTINGS_FIELDS = ["title", "intro", "anonymous", "opens_at", "closes_at", "audience", "results_to"]
EVENT_KIND = "meetings.event"  # a network event, as the registry names it
TOKEN_SALT = "coproduce.surveys.token"  # noqa: S105 - a signing salt, not a secret

CHANGED_AFTER_ANSWERS = _l(
    "People have already answered this question, and what they said is never rewritten. "
    "Make a new version of the survey to change it."
)


def _audit(actor: User, survey: Survey, action: str, summary: str, **extra: Any) -> None:
    # Every change a builder makes may change what the results show (a question's text, its place).
    Survey.objects.filter(pk=survey.pk).update(results_version=F("results_version") + 1)
    audit.record(actor=actor, action=action, target=survey, space=survey.space, summary=summary, **extra)


def _require_builder(actor: User, survey: Survey) -> None:
    access.require(access.can_build(actor, survey.space))


def _has_answers(survey: Survey) -> bool:
    return Answer.objects.filter(question__survey=survey).exists()


@transaction.atomic
def survey_create(
    *,
    actor: User,
    space: Space,
    title: str,
    intro: str = "",
    anonymous: bool = True,
    audience: str = Audience.MEMBERS,
    results_to: str = ResultsTo.NOBODY,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    template: str = Template.NONE,
    source_event_id: int | None = None,
) -> Survey:
    """A draft survey with a first section, ready for questions. `source_event_id`: the network event it
    helps shape, read through the registry ("meetings.event"): one of this space's, still to come."""
    access.require(access.can_build(actor, space))
    if source_event_id is not None:
        event = registry.source(EVENT_KIND, actor, source_event_id)
        if event.space_id != space.pk or not event.ready:
            raise ValidationError(_("This event is over or belongs elsewhere, so no survey can shape it."))
    survey = Survey(
        source_event_id=source_event_id,
        space=space,
        title=(title or "").strip(),
        intro=(intro or "").strip(),
        anonymous=anonymous,
        audience=audience,
        results_to=results_to,
        opens_at=opens_at,
        closes_at=closes_at,
        template=template,
        created_by=actor,
    )
    survey.full_clean()
    survey.save()
    Section.objects.create(survey=survey, title=survey.title[:200], position=1)
    _audit(
        actor,
        survey,
        "survey.created",
        _("Survey “%(title)s” drafted") % {"title": survey.title},
        changes={"title": [None, survey.title]},
    )
    return survey


@transaction.atomic
def survey_update(*, actor: User, survey: Survey, **fields: Any) -> Survey:
    """Change the settings. Whether it is anonymous cannot change once people answered: they answered on
    the promise it made."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a survey setting: {', '.join(sorted(unknown))}")
    _require_builder(actor, survey)
    survey = Survey.objects.select_for_update(of=("self",)).select_related("space").get(pk=survey.pk)
    before = audit.snapshot(survey, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(survey, name, value.strip() if isinstance(value, str) else value)
    if survey.anonymous != before["anonymous"] and survey.responses.exists():
        raise ValidationError(
            {"anonymous": _("People have answered on the promise this survey made; it cannot change now.")}
        )
    survey.full_clean()
    changes = audit.diff(survey, before, SETTINGS_FIELDS)
    if changes:
        survey.save(update_fields=[*changes, "updated_at"])
        _audit(
            actor,
            survey,
            "survey.changed",
            _("Survey “%(title)s” changed: %(fields)s")
            % {"title": survey.title, "fields": audit.field_names(survey, changes)},
            changes=changes,
        )
    return survey


@transaction.atomic
def survey_set_status(*, actor: User, survey: Survey, status: str) -> Survey:
    """Open a draft (it needs a question), close an open survey, or open a closed one again."""
    _require_builder(actor, survey)
    # Lock: an answer submitted while the survey closes must see one state or the other.
    survey = Survey.objects.select_for_update(of=("self",)).select_related("space").get(pk=survey.pk)
    allowed = {
        SurveyStatus.DRAFT: {SurveyStatus.OPEN},
        SurveyStatus.OPEN: {SurveyStatus.CLOSED},
        SurveyStatus.CLOSED: {SurveyStatus.OPEN},
    }[SurveyStatus(survey.status)]
    if status not in allowed:
        raise ValidationError(
            _("A %(status)s survey cannot be made %(new)s.") % {"status": survey.status, "new": status}
        )
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    before = survey.status
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        survey,
        f"survey.{status}",
        _("Survey “%(title)s” is now %(status)s")
        % {"title": survey.title, "status": survey.get_status_display().lower()},
        changes={"status": [before, status]},
        public=True,
    )
    return survey


@transaction.atomic
def section_add(*, actor: User, survey: Survey, title: str) -> Section:
    _require_builder(actor, survey)
    last = survey.sections.aggregate(m=Max("position"))["m"] or 0
    section = Section(survey=survey, title=(title or "").strip(), position=last + 1)
    section.full_clean()
    section.save()
    _audit(actor, survey, "survey.section_added", _("Section “%(title)s” added") % {"title": section.title})
    return section


def _clean_options(kind: str, options: list[str]) -> list[str]:
    labels = [label.strip() for label in options if label and label.strip()]
    if kind in OPTION_KINDS:
        if len(labels) < 2:
            message = (
                _("Give at least two rows, one a line.")
                if kind == QuestionKind.MATRIX
                else _("Give at least two choices, one a line.")
            )
            raise ValidationError({"options": message})
        if len(set(labels)) != len(labels):
            raise ValidationError({"options": _("Each choice must be different.")})
        if any(len(label) > 200 for label in labels):
            raise ValidationError({"options": _("Keep each choice under 200 characters.")})
        return labels
    return []


def _check_condition(survey: Survey, section: Section, position: int, option: Option | None) -> None:
    if option is None:
        return
    source = option.question
    if source.survey_id != survey.pk or source.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        raise ValidationError({"show_if_option": _("Choose an answer to a choice question of this survey.")})
    before = (source.section.position, source.position) < (section.position, position)
    if not before:
        raise ValidationError({"show_if_option": _("The question it depends on must come before it.")})


@transaction.atomic
def question_add(
    *,
    actor: User,
    survey: Survey,
    section: Section,
    kind: str,
    text: str,
    hint: str = "",
    required: bool = True,
    options: list[str] | None = None,
    show_if_option: Option | None = None,
    code: str = "",
) -> Question:
    _require_builder(actor, survey)
    if section.survey_id != survey.pk:
        raise ValidationError({"section": _("Choose a section of this survey.")})
    labels = _clean_options(kind, options or [])
    last = section.questions.aggregate(m=Max("position"))["m"] or 0
    question = Question(
        survey=survey,
        section=section,
        kind=kind,
        text=(text or "").strip(),
        hint=(hint or "").strip(),
        required=required,
        position=last + 1,
        code=code,
        show_if_option=show_if_option,
    )
    question.full_clean()
    _check_condition(survey, section, question.position, show_if_option)
    question.save()
    Option.objects.bulk_create(
        [Option(question=question, label=label, position=i) for i, label in enumerate(labels, start=1)]
    )
    _audit(
        actor,
        survey,
        "survey.question_added",
        _("Question “%(text)s” added") % {"text": question.text},
        changes={"text": [None, question.text], "kind": [None, kind]},
    )
    return question


@transaction.atomic
def question_edit(
    *,
    actor: User,
    question: Question,
    text: str,
    hint: str = "",
    required: bool = True,
    options: list[str] | None = None,
    show_if_option: Option | None = None,
) -> Question:
    """Change a question that nobody has answered yet; one with answers needs a new version."""
    survey = question.survey
    _require_builder(actor, survey)
    # Lock: an answer arriving while the question changes would be an answer to another question.
    question = Question.objects.select_for_update().select_related("section").get(pk=question.pk)
    if question.answers.exists():
        raise ValidationError(CHANGED_AFTER_ANSWERS, code="answered")
    labels = _clean_options(question.kind, options or [])
    before = audit.snapshot(question, ["text", "hint", "required", "show_if_option"])
    question.text, question.hint, question.required = (text or "").strip(), (hint or "").strip(), required
    question.show_if_option = show_if_option
    question.full_clean()
    _check_condition(survey, question.section, question.position, show_if_option)
    question.save()
    if question.kind in OPTION_KINDS:
        old = [o.label for o in question.options.all()]
        if old != labels:
            # Conditions on options that go away go with them (nobody answered, so nothing is lost).
            question.options.all().delete()
            Option.objects.bulk_create(
                [
                    Option(question=question, label=label, position=i)
                    for i, label in enumerate(labels, start=1)
                ]
            )
    changes = audit.diff(question, before, ["text", "hint", "required", "show_if_option"])
    _audit(
        actor,
        survey,
        "survey.question_changed",
        _("Question “%(text)s” changed") % {"text": question.text},
        changes=changes,
    )
    return question


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    survey = question.survey
    _require_builder(actor, survey)
    if question.answers.exists():
        raise ValidationError(CHANGED_AFTER_ANSWERS, code="answered")
    text = question.text
    Question.objects.filter(show_if_option__question=question).update(show_if_option=None)
    question.delete()
    _audit(actor, survey, "survey.question_removed", _("Question “%(text)s” removed") % {"text": text})


@transaction.atomic
def question_move(*, actor: User, question: Question, direction: str) -> Question:
    """Up or down one place within its section (the order changes nothing anyone said)."""
    survey = question.survey
    _require_builder(actor, survey)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
    # Lock the section's questions: two moves at once must not give two questions the same place.
    siblings = list(
        Question.objects.select_for_update().filter(section_id=question.section_id).order_by("position", "id")
    )
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return question
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    Question.objects.bulk_update(siblings, ["position"])
    moved = siblings[other]
    places = {sibling.pk: sibling.position for sibling in siblings}
    sources = dict(
        Option.objects.filter(
            pk__in=[s.show_if_option_id for s in siblings if s.show_if_option_id]
        ).values_list("pk", "question_id")
    )
    for sibling in siblings:
        source = sources.get(sibling.show_if_option_id or 0)
        if source in places and places[source] >= sibling.position:
            raise ValidationError(_("A question cannot come before the question it depends on."))
    _audit(
        actor,
        survey,
        "survey.question_moved",
        _("Question “%(text)s” moved %(direction)s") % {"text": moved.text, "direction": direction},
    )
    return moved


@transaction.atomic
def survey_new_version(*, actor: User, survey: Survey) -> Survey:
    """A draft copy of the survey, to change questions people have answered: their answers stay with the
    version they answered."""
    _require_builder(actor, survey)
    copy = Survey.objects.create(
        space=survey.space,
        title=survey.title,
        intro=survey.intro,
        anonymous=survey.anonymous,
        audience=survey.audience,
        results_to=survey.results_to,
        template=survey.template,
        version=survey.version + 1,
        replaces=survey,
        created_by=actor,
    )
    options: dict[int, Option] = {}
    conditions: list[tuple[Question, int]] = []
    for section in survey.sections.prefetch_related("questions__options"):
        new_section = Section.objects.create(survey=copy, title=section.title, position=section.position)
        for question in section.questions.all():
            new_question = Question.objects.create(
                survey=copy,
                section=new_section,
                kind=question.kind,
                text=question.text,
                hint=question.hint,
                required=question.required,
                position=question.position,
                code=question.code,
            )
            if question.show_if_option_id:
                conditions.append((new_question, question.show_if_option_id))
            for option in question.options.all():
                options[option.pk] = Option.objects.create(
                    question=new_question, label=option.label, position=option.position
                )
    for new_question, old_option in conditions:
        new_question.show_if_option = options.get(old_option)
        new_question.save(update_fields=["show_if_option"])
    _audit(
        actor,
        copy,
        "survey.new_version",
        _("Version %(version)s of “%(title)s” drafted") % {"version": copy.version, "title": copy.title},
        changes={"replaces": [None, survey.pk]},
    )
    return copy


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_survey_id(raw: str) -> int | None:
    """The survey a signed one-time link is for, or None when the link is not one of ours."""
    try:
        value = signing.loads(raw, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return int(value["s"]) if isinstance(value, dict) and "s" in value else None


@transaction.atomic
def tokens_issue(*, actor: User, survey: Survey, count: int) -> list[str]:
    """`count` one-time links' tokens, shown once: only their hashes are kept."""
    _require_builder(actor, survey)
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("Make from 1 to 500 links at a time.")})
    raws = [
        signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=TOKEN_SALT) for _ in range(count)
    ]
    AnswerToken.objects.bulk_create([AnswerToken(survey=survey, token_hash=token_hash(raw)) for raw in raws])
    _audit(actor, survey, "survey.links_made", _("%(n)s one-time links made") % {"n": count})
    return raws


def public_token(*, survey: Survey) -> str:
    """A one-time token for a visitor without an account answering a public survey (kept in their session,
    so that one browser answers once)."""
    raw = signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=TOKEN_SALT)
    AnswerToken.objects.create(survey=survey, token_hash=token_hash(raw))
    return raw
