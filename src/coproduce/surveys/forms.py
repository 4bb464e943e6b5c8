"""The survey forms: settings, sections and questions for builders; the answer form built from a
section's questions (a fieldset and legend per question, GOV.UK's question pages)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, Option, Question, QuestionKind, ResultsTo, Section, Survey
from .services import field_name


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the survey is for and what will happen with the answers."),
    )
    anonymous = forms.TypedChoiceField(
        label=_("Can hosts and facilitators see who said what?"),
        choices=[("1", _("No: anonymous")), ("0", _("Yes: named"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    audience = forms.ChoiceField(
        label=_("Who may answer"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        initial=Audience.MEMBERS,
    )
    results_to = forms.ChoiceField(
        label=_("Who may see the results"),
        choices=ResultsTo.choices,
        widget=forms.RadioSelect,
        initial="nobody",
    )
    opens_at = forms.DateTimeField(label=_("Opens"), required=False, widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes"), required=False, widget=DateTimeInput())

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "intro": survey.intro,
            "anonymous": "1" if survey.anonymous else "0",
            "audience": survey.audience,
            "results_to": survey.results_to,
            "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
        }


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Heading of the new section"), max_length=200)


def condition_choices(survey: Survey, exclude: Question | None = None) -> list[tuple[str, str]]:
    options = (
        Option.objects.filter(
            question__survey=survey, question__kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE]
        )
        .select_related("question")
        .order_by("question__section__position", "question__position", "position")
    )
    if exclude is not None:
        options = options.exclude(question=exclude)
    return [("", str(_("Always show it")))] + [
        (str(o.pk), str(_("When “%(q)s” is answered “%(a)s”")) % {"q": o.question.text, "a": o.label})
        for o in options
    ]


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind of answer"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Question"), max_length=300)
    hint = forms.CharField(label=_("Hint"), required=False, max_length=300)
    required = forms.BooleanField(label=_("An answer is needed"), required=False, initial=True)
    options = forms.CharField(
        label=_("Choices, or the rows of a grid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line. Needed for choice questions and grids."),
    )
    show_if_option = forms.ChoiceField(label=_("When to show it"), required=False)

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        sections = list(survey.sections.all())
        cast(forms.ChoiceField, self.fields["section"]).choices = [(s.pk, s.title) for s in sections]
        self.sections = {s.pk: s for s in sections}
        cast(forms.ChoiceField, self.fields["show_if_option"]).choices = condition_choices(survey, question)
        if question is not None:
            del self.fields["kind"]
            del self.fields["section"]

    def clean_section(self) -> Section:
        return self.sections[self.cleaned_data["section"]]

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean_show_if_option(self) -> Option | None:
        value = self.cleaned_data.get("show_if_option")
        return Option.objects.select_related("question").get(pk=int(value)) if value else None


class PlaceStandardForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for “The Place Standard: how good is our place?”."),
    )
    areas = forms.CharField(
        label=_("Areas people can choose from (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "To see the results by area: the neighbourhoods or postcode districts, one a line (at least two). "
            "An area where fewer than 5 people answer is never shown."
        ),
    )

    def clean_areas(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["areas"].splitlines() if line.strip()]


class TokensForm(forms.Form):
    count = forms.IntegerField(label=_("How many one-time links"), min_value=1, max_value=500, initial=10)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why hide it"), max_length=300)


class _AnswerField:
    """Shows whether an answer is needed (the label says "optional" otherwise), but leaves asking for it
    to the service: a question may be hidden by an earlier answer, and "save and come back later" keeps
    a page half answered."""

    def validate(self, value):
        if value in self.empty_values:  # type: ignore[attr-defined]
            return
        super().validate(value)  # type: ignore[misc]


class ChoiceAnswer(_AnswerField, forms.ChoiceField):
    pass


class ChoicesAnswer(_AnswerField, forms.MultipleChoiceField):
    pass


class TextAnswer(_AnswerField, forms.CharField):
    pass


class AnswerForm(forms.Form):
    """The questions of one section (or all of them, for paper answers), a field per question (a grid: a
    field per row). `answers()` gives them in the shape the services check."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self._add(question)

    def _add(self, question: Question) -> None:
        name, kind = field_name(question), question.kind
        common: dict[str, Any] = {
            "label": question.text,
            "required": question.required,
            "help_text": question.hint,
        }
        options = [(str(o.pk), o.label) for o in question.options.all()]
        if kind == QuestionKind.SINGLE:
            self.fields[name] = ChoiceAnswer(choices=options, widget=forms.RadioSelect, **common)
        elif kind == QuestionKind.MULTIPLE:
            self.fields[name] = ChoicesAnswer(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        elif kind in (QuestionKind.SCALE5, QuestionKind.SCALE7):
            top = question.scale_max
            scale = [(str(n), str(n)) for n in range(1, top + 1)]
            self.fields[name] = ChoiceAnswer(
                choices=scale, widget=forms.RadioSelect(attrs={"class": "scale"}), **common
            )
        elif kind == QuestionKind.TEXT:
            self.fields[name] = TextAnswer(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common
            )
        elif kind == QuestionKind.NUMBER:
            self.fields[name] = TextAnswer(
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}), **common
            )
        elif kind == QuestionKind.DATE:
            self.fields[name] = TextAnswer(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == QuestionKind.MATRIX:
            scale = [(str(n), str(n)) for n in range(1, 6)]
            for option in question.options.all():
                self.fields[field_name(question, option.pk)] = ChoiceAnswer(
                    label=option.label,
                    choices=scale,
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    required=question.required,
                )
            # The grid's own field carries its errors (the rows are its parts).
            self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput, label=question.text)

    def answers(self) -> dict[int, Any]:
        data = self.cleaned_data
        sent: dict[int, Any] = {}
        for question in self.questions:
            if question.kind == QuestionKind.MATRIX:
                sent[question.pk] = {
                    o.pk: data.get(field_name(question, o.pk))
                    for o in question.options.all()
                    if data.get(field_name(question, o.pk))
                }
            else:
                sent[question.pk] = data.get(field_name(question))
        return sent

    def blocks(self):
        """(question, bound field, grid rows) in order, for the template."""
        for question in self.questions:
            rows = (
                [self[field_name(question, o.pk)] for o in question.options.all()]
                if question.kind == QuestionKind.MATRIX
                else []
            )
            yield question, self[field_name(question)], rows

    def summary(self) -> list[tuple[str, str]]:
        """(link, message) for the error summary: a group links to its first input."""
        items = []
        for name, errors in self.errors.items():
            bound = self[name] if name in self.fields else None
            target = f"#{bound.auto_id}" if bound is not None else ""
            if bound is not None and isinstance(
                bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                target += "_0"
            if bound is not None and isinstance(bound.field.widget, forms.HiddenInput):
                target = f"#question-{name[1:]}"
            items += [(target, str(message)) for message in errors]
        return items


def initial_answers(questions: list[Question], answers: dict[int, Any]) -> dict[str, Any]:
    """A saved draft's answers as the answer form's initial data, to come back to."""
    initial: dict[str, Any] = {}
    for question in questions:
        value = answers.get(question.pk)
        if value is None:
            continue
        if question.kind == QuestionKind.MATRIX:
            for row, score in value.items():
                initial[field_name(question, row)] = str(score)
        elif question.kind == QuestionKind.MULTIPLE:
            initial[field_name(question)] = [str(v) for v in value]
        else:
            initial[field_name(question)] = (
                str(value) if not hasattr(value, "isoformat") else value.isoformat()
            )
    return initial
