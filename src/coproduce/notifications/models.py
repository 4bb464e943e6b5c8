"""Notifications (one row per person and event) and each person's choice of delivery per kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .kinds import Delivery


class Notification(models.Model):
    """Something that happened that a person should know about.

    The sentence is not stored: `kind` and `params` are, and the sentence is written when it is read, in the
    reader's language. `text` holds words a person wrote (a decline reason, the start of a comment), shown
    as written and never translated. `key` names the event: a retried task or a second call with the same
    key makes no second row for the same person.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)  # a path on this site, never an absolute URL
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an email (immediate or digest) claims the row; see tasks.py.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_one_per_event"),
            models.CheckConstraint(condition=~Q(key=""), name="notification_key_not_empty"),
        ]
        indexes = [
            # The inbox (newest first) and the header's unread count.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            # The digests look for rows not emailed yet.
            models.Index(fields=["emailed_at", "created_at"], name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.key})"


class Preference(models.Model):
    """How a person wants to hear about one kind of notification. No row: the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_one_per_kind"),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notification_preference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.delivery}"
