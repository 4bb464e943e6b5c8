"""Surveys: questionnaires a space builds and its members (or anyone with a link, or the public) answer.

What people said is never rewritten: a question that has answers cannot be changed; the survey gets a new
version instead (`Survey.replaces`). Answers are kept one row per chosen option, so that multiple choice is
counted per option in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members of the space")
    LINK = "link", _("Anyone with a one-time link")
    PUBLIC = "public", _("Anyone who can see the space")


class ResultsTo(models.TextChoices):
    NOBODY = "nobody", _("Only hosts and facilitators")
    MEMBERS = "members", _("Members of the space")
    PUBLIC = "public", _("Anyone who can see the space")


class Template(models.TextChoices):
    NONE = "", _("None")
    PLACE_STANDARD = "place_standard", _("The Place Standard")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One answer from a list")
    MULTIPLE = "multiple", _("Any answers from a list")
    SCALE5 = "scale5", _("A scale from 1 to 5")
    SCALE7 = "scale7", _("A scale from 1 to 7")
    TEXT = "text", _("Free text")
    NUMBER = "number", _("A number")
    DATE = "date", _("A date")
    MATRIX = "matrix", _("A grid: several rows on one scale from 1 to 5")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALE_KINDS = {QuestionKind.SCALE5: 5, QuestionKind.SCALE7: 7, QuestionKind.MATRIX: 5}
# Kinds whose options are part of the question (choices, or the rows of a grid).
OPTION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX)


class Survey(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    intro = models.TextField(_("introduction"), max_length=3000, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous: nobody can see who gave which answer. Named: hosts and facilitators can."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    audience = models.CharField(
        _("who may answer"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default="draft")
    results_to = models.CharField(
        _("results shown to"), max_length=10, choices=ResultsTo.choices, default=ResultsTo.NOBODY
    )
    template = models.CharField(max_length=20, choices=Template.choices, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    # Changed by everything that changes what the results show; the counted results are cached under it.
    results_version = models.PositiveIntegerField(default=0)
    # The survey this one is a new version of (its questions had answers, which are never rewritten).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    # The network event it helps shape ("meetings.event" through the module registry: surveys does not import
    # meetings, so the event's id, not a foreign key).
    source_event_id = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="survey_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=SurveyStatus.values), name="survey_status_valid"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="survey_audience_valid"),
            models.CheckConstraint(condition=Q(results_to__in=ResultsTo.values), name="survey_results_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="survey_version_positive"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.space.slug, self.pk])

    @property
    def is_answerable_now(self) -> bool:
        now = timezone.now()
        return (
            self.status == SurveyStatus.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("heading"), max_length=200, validators=[single_line])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="section_title_not_empty")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300, validators=[single_line])
    hint = models.CharField(_("hint"), max_length=300, blank=True, validators=[single_line])
    required = models.BooleanField(_("an answer is needed"), default=True)
    position = models.PositiveIntegerField(default=0)
    # A stable name within a template (the Place Standard's themes), for charts that know the template.
    code = models.SlugField(max_length=40, blank=True)
    # Shown only when an earlier question was answered with this option.
    show_if_option = models.ForeignKey(
        "Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="reveals"
    )

    class Meta:
        ordering = ["section__position", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="question_text_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_max(self) -> int:
        return SCALE_KINDS.get(self.kind, 0)  # type: ignore[call-overload]

    @property
    def scale_range(self) -> range:
        return range(1, self.scale_max + 1)


class Option(models.Model):
    """A choice of a single or multiple choice question, or a row of a grid."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200, validators=[single_line])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=~Q(label=""), name="option_label_not_empty")]

    def __str__(self) -> str:
        return self.label


class AnswerToken(models.Model):
    """A one-time link to answer a survey without an account. Only a hash of the signed token is kept, so
    a copy of the database cannot answer; `used_at` is set once, by a conditional UPDATE."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True, validators=[single_line])
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} of {self.survey_id}"


class Response(models.Model):
    """One person's answers: a draft until `submitted_at`. In an anonymous survey the respondent is cleared
    on submission (who answered is kept apart, in `Participation`); a token answer has no respondent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    token = models.OneToOneField(
        AnswerToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    # A facilitator who typed in a paper answer for the respondent.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    perspective = models.CharField(max_length=20, blank=True, choices=Perspective.choices)
    section_reached = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_submitted")]
        constraints = [
            # One response (draft, then submitted) per person per survey: never two counted answers.
            models.UniqueConstraint(fields=["survey", "respondent"], name="one_response_per_respondent"),
        ]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.survey_id}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class Participation(models.Model):
    """That a person answered an anonymous survey, kept apart from what they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_participation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.survey_id}"


class Answer(models.Model):
    """One answer; multiple choice has one row per chosen option, a grid one row per row (the option)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    text = models.TextField(max_length=5000, blank=True)
    date = models.DateField(null=True, blank=True)
    # Copied from the response when it is sent, so that results are counted from this table alone.
    counted = models.BooleanField(default=False)
    perspective = models.CharField(max_length=20, blank=True, choices=Perspective.choices)
    # A Place Standard round's answers carry the area the respondent chose (copied when the response is sent,
    # like the perspective), so that the round is counted by area with one GROUP BY.
    area = models.CharField(max_length=200, blank=True, validators=[single_line])
    # The first row of a response's answer to a question (multiple choice and grids have several): counting
    # these counts the people who answered, with no COUNT(DISTINCT …).
    first_row = models.BooleanField(default=True)
    # A host may hide a free-text answer from the results (it named someone, say); the reason is kept.
    hidden_reason = models.CharField(max_length=300, blank=True, validators=[single_line])
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                # In the order results group by, so that the database groups as it reads, with no sort.
                fields=["question", "option", "number", "perspective", "counted", "first_row"],
                name="answer_counting",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="one_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "option"],
                condition=Q(option__isnull=False),
                name="one_answer_per_option",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"
