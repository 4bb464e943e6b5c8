"""Ideas: what members propose, who supports them, the conversation around them, and what became of them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective

# A comment can be corrected for a short while after it is posted; after that what people replied to stays.
EDIT_WINDOW = dt.timedelta(minutes=15)


class IdeaStatus(models.TextChoices):
    UNDER_DISCUSSION = "under_discussion", _("Under discussion")
    ADOPTED = "adopted", _("Adopted")
    MERGED = "merged", _("Merged into another idea")
    NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")


class Idea(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas")
    # The author's perspective when they posted: the quality check counts who proposed what, at the time.
    author_perspective = models.CharField(max_length=20, choices=Perspective.choices)
    title = models.CharField(_("title"), max_length=140, validators=[single_line])
    body = models.TextField(_("the idea"), max_length=5000)
    # The facilitator who wrote it down for the author (assisted participation), shown as "written with help from a
    # facilitator"; None when the author wrote it themself. The person can dispute it from their own page.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.UNDER_DISCUSSION
    )
    status_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Kept by the support services in the same transaction as the Support rows (F() increments), so that
    # "most supported first" reads an index instead of counting every idea's supports.
    support_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["space", "-created_at", "-id"], name="idea_space_newest"),
            models.Index(fields=["space", "-support_count", "-id"], name="idea_space_most_supported"),
            models.Index(fields=["space", "status", "-created_at"], name="idea_space_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="idea_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=IdeaStatus.values), name="idea_status_valid"),
            # Every decision about an idea says why.
            models.CheckConstraint(
                condition=Q(status=IdeaStatus.UNDER_DISCUSSION) | ~Q(status_reason=""),
                name="idea_status_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(status=IdeaStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=IdeaStatus.MERGED) & Q(merged_into__isnull=True)),
                name="idea_merged_names_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="idea_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.space.slug, self.pk])


class IdeaCoAuthor(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="co_authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="co_authored_ideas"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_co_author_once")]

    def __str__(self) -> str:
        return f"{self.user} co-wrote {self.idea}"


class Support(models.Model):
    """One person's support for an idea. One per person per idea, enforced by the database."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")]

    def __str__(self) -> str:
        return f"{self.user} supports {self.idea}"


class Comment(models.Model):
    """A comment on an idea, or a reply to one (one level only, so conversations stay readable)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments"
    )
    author_perspective = models.CharField(max_length=20, choices=Perspective.choices)
    body = models.TextField(_("comment"), max_length=3000)
    # The facilitator who wrote it down for the author (assisted participation), shown as "written with help from a
    # facilitator"; None when the author wrote it themself. The person can dispute it from their own page.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Moderation never deletes: the comment is hidden and everyone sees who hid it and why.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"], name="comment_idea_time")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="hidden_comment_has_reason"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_its_own_parent"),
        ]

    # Set by `selectors.conversation` for the person reading (not a column): may they still change it?
    editable: bool

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.idea}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentReport(models.Model):
    """Someone thinks a comment breaks the space's rules. Facilitators look at open reports."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("what is wrong with it"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person_per_comment"),
            models.CheckConstraint(condition=~Q(reason=""), name="comment_report_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Report on comment {self.comment_id}"
