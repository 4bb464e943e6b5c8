"""Conversations: a question, short statements, and agree / disagree / pass votes (Polis-style), with the opinion
groups worked out from the votes (`coproduce.lib.opinion`), stored per conversation.

People take part as `Participant`s: a member with an account, or someone imported from a Polis export (an
external id, no account). Votes of both kinds share one table, so the analysis reads one matrix.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective

STATEMENT_MAX = 280

# The reasons a moderator can give until the host writes their own list (in the reader's language).
DEFAULT_REJECTION_REASONS = [
    _("Not about the question"),
    _("Says the same as another statement"),
    _("More than one idea: please split it"),
    _("Personal or offensive"),
]


class Moderation(models.TextChoices):
    BEFORE = "before", _("Before publication: new statements wait for a moderator")
    AFTER = "after", _("After publication: new statements are shown at once and can be removed")


class Conversation(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="conversations")
    question = models.CharField(_("question"), max_length=300, validators=[single_line])
    description = models.TextField(_("what it is for"), max_length=3000, blank=True)
    moderation = models.CharField(
        _("when statements are moderated"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.BEFORE,
    )
    is_open = models.BooleanField(_("open for votes and statements"), default=True)
    rejection_reasons = models.JSONField(default=list, blank=True)
    # None: imported from the command line.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when votes changed since the last analysis and a task is queued; cleared by the task when it starts
    # (a conditional UPDATE, so that a burst of votes queues one task: see services.voting.request_analysis).
    analysis_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["space", "-created_at"], name="conversation_space_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="conversation_question_not_empty"),
            models.CheckConstraint(
                condition=Q(moderation__in=Moderation.values), name="conversation_moderation_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.space.slug, self.pk])

    @property
    def reasons(self) -> list[str]:
        return list(self.rejection_reasons or [str(reason) for reason in DEFAULT_REJECTION_REASONS])


class Participant(models.Model):
    """Someone taking part in one conversation: a member (`user`) or an imported person (`external_id`)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(max_length=64, blank=True)
    # Their perspective in the space when they first took part (imported people have none).
    perspective = models.CharField(max_length=20, choices=Perspective.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=~Q(external_id=""),
                name="participant_one_per_external_id",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(external_id=""), name="participant_is_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"Participant {self.pk}"


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Statement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX, validators=[single_line])
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    is_seed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING)
    rejection_reason = models.CharField(max_length=200, blank=True, validators=[single_line])
    external_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "status"], name="statement_conversation_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=StatementStatus.values), name="statement_status_valid"
            ),
            # Every rejection says why.
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.REJECTED) | ~Q(rejection_reason=""),
                name="statement_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One participant's latest vote on one statement (a new vote replaces the old one)."""

    AGREE, DISAGREE, PASS = 1, -1, 0
    VALUES = ((AGREE, _("Agree")), (DISAGREE, _("Disagree")), (PASS, _("Pass / unsure")))

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VALUES)
    # The facilitator who entered it from a paper or in-person session; None when the person voted themself.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "participant"], name="vote_conversation_participant")]
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_one_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"Vote {self.value} on statement {self.statement_id}"


class ModerationEntry(models.Model):
    """The public moderation log: what a moderator did to a statement and why."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="moderation_log")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=StatementStatus.choices)
    reason = models.CharField(max_length=200, blank=True, validators=[single_line])
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Statement {self.statement_id} {self.status}"


class AnalysisResult(models.Model):
    """The last analysis of a conversation (`Analysis.to_json()`), with the order to show statements in."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="analysis")
    data = models.JSONField()
    priorities = models.JSONField(default=dict)
    # Each participant's perspective, kept with the result so the report needs no query per person.
    perspectives = models.JSONField(default=dict)
    votes = models.PositiveIntegerField()
    participants = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Analysis of conversation {self.conversation_id}"
