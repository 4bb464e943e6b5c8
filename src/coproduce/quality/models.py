"""The quality check's own records: the community mix a host states, the last computed check, and the
National Standards self-assessments members agree together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.lib.quality.standards import RATING_MAX, RATING_MIN, STANDARDS
from coproduce.spaces.models import Perspective

STANDARD_CHOICES = [(s.id, s.name) for s in STANDARDS]


class TargetShare(models.Model):
    """One perspective's share (in percent) of the community a space says it serves, stated by a host."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="quality_target_mix")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["space", "perspective"]
        constraints = [
            models.UniqueConstraint(fields=["space", "perspective"], name="one_target_share_per_perspective"),
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100), name="target_share_a_percent"
            ),
            models.CheckConstraint(
                condition=Q(perspective__in=Perspective.values), name="target_share_perspective_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space_id}: {self.perspective} {self.percent}%"


class QualityCheck(models.Model):
    """The last check of a space, worked out in the task queue (`tasks.compute_quality`): pages and the API read
    it and never compute. `requested_at` later than `computed_at` (or no `computed_at`) means a new check is
    being worked out."""

    space = models.OneToOneField("spaces.Space", on_delete=models.CASCADE, related_name="quality_check")
    evidence = models.JSONField(default=dict)
    judgement = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Quality check of {self.space_id} ({self.judgement.get('level', 'not yet')})"

    @property
    def pending(self) -> bool:
        return self.computed_at is None or (
            self.requested_at is not None and self.requested_at > self.computed_at
        )


class SelfAssessment(models.Model):
    """One round of the National Standards self-assessment, agreed by members together and recorded by a host
    or facilitator, with who took part."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="self_assessments")
    agreed_on = models.DateField(_("the day you agreed it"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("who took part")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-agreed_on", "-id"]

    def __str__(self) -> str:
        return f"Self-assessment of {self.space_id} on {self.agreed_on}"


class StandardRating(models.Model):
    """A rating of one standard, 1 (not at all) to 6 (fully), with the evidence members noted."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    standard = models.CharField(max_length=20, choices=STANDARD_CHOICES)
    rating = models.PositiveSmallIntegerField()
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="one_rating_per_standard"),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX), name="standard_rating_1_to_6"
            ),
            models.CheckConstraint(
                condition=Q(standard__in=[s.id for s in STANDARDS]), name="standard_rating_standard_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.rating}"
