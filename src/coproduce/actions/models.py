"""Accountable actions: what was decided becomes something a named member does, in public, with updates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """ "What we said, what we did": one action, where it came from, who owns it and how far it got."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("what will be done"), max_length=200, validators=[single_line])
    description = models.TextField(_("details"), max_length=3000, blank=True)
    # Where it came from (a `Source` from the registry, see access.SOURCE_FIELDS): a meeting's decision, an
    # adopted idea, or a funded budget project (a plain id: only the budgets module knows its projects).
    decision = models.ForeignKey(
        "meetings.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    idea = models.ForeignKey(
        "ideas.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    budget_project_id = models.BigIntegerField(null=True, blank=True)
    # Any member can own an action, not only professionals; the owner's perspective when they took it on
    # is what the quality check counts.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions"
    )
    owner_perspective = models.CharField(max_length=20, choices=Perspective.choices)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The day the owner was last reminded that it is overdue: never twice on the same day.
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["space", "-created_at", "-id"], name="action_space_newest"),
            models.Index(fields=["space", "status", "due_on"], name="action_space_status_due"),
            models.Index(fields=["status", "due_on"], name="action_status_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="action_progress_0_100"
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DROPPED) | ~Q(status_reason=""),
                name="dropped_action_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(progress=100), name="done_action_is_complete"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.space.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


class ActionUpdate(models.Model):
    """A dated note on how an action is going, with the progress and status it left it at."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("what happened"), max_length=3000)
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="action_update_has_text"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="action_update_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Update on {self.action}"
