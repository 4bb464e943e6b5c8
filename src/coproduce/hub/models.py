"""The network hub: categories set by network admins, members' posts, comments (one level of replies), "this
helped", reports, and the weekly digest a person chooses.

Moderation never deletes: a post or comment is hidden, with a reason its author is told. A new member's first
posts wait for a moderator (`status=held`; see access.py for the rule)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line

TITLE_LIMIT = 200
BODY_LIMIT = 10_000
COMMENT_LIMIT = 3_000
REASON_LIMIT = 1_000


class Category(models.Model):
    """Where a post belongs ("General Chat", "Housing"); network admins add and rename them."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[single_line])
    slug = models.SlugField(_("short name for the address"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True, validators=[single_line])
    position = models.PositiveIntegerField(_("position"), default=100)
    # Its public posts, kept by the services in the same transaction (F() increments) so that the hub's home
    # shows the counts and pages through 100,000 posts without counting them (see selectors.recount).
    post_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="hub_category_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hub:category", args=[self.slug])


class PostKind(models.TextChoices):
    NEWS = "news", _("News")
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question")
    JOB = "job", _("Job")
    EVENT_REPORT = "event_report", _("Event report")


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Post(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hub_posts")
    kind = models.CharField(_("kind of post"), max_length=20, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_LIMIT, validators=[single_line])
    body = models.TextField(_("your post"), max_length=BODY_LIMIT)
    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    # Why a post waits for a moderator, in plain words ("New members' first posts are checked").
    held_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it became public (None while held): the lists, feeds and digest order and pick by this.
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), max_length=REASON_LIMIT, blank=True)
    # Kept by the services in the same transaction as the rows they count (F() increments), so that lists
    # of 100,000 posts read a column instead of counting.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    helped_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="hub_post_latest"),
            models.Index(fields=["category", "status", "-published_at", "-id"], name="hub_post_category"),
            models.Index(fields=["author", "status"], name="hub_post_author"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="hub_post_title_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="hub_post_body_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=PostKind.values), name="hub_post_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=PostStatus.values), name="hub_post_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.HIDDEN) | (Q(hidden_at__isnull=False) & ~Q(hidden_reason="")),
                name="hub_hidden_post_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="hub_published_post_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hub:post", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == PostStatus.PUBLISHED


class Comment(models.Model):
    """A comment on a post, or a reply to one (one level only, so conversations stay readable)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hub_comments"
    )
    body = models.TextField(_("your comment"), max_length=COMMENT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), max_length=REASON_LIMIT, blank=True)
    helped_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="hub_comment_post_time")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="hub_comment_body_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="hub_hidden_comment_has_reason",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="hub_comment_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.post}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Helped(models.Model):
    """One person's "this helped" on a post or a comment: once per person per thing, held by the database."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="helped")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="helped"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="hub_helped_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(post__isnull=False), name="hub_helped_once_per_post"
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="hub_helped_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} found it helped"


class Report(models.Model):
    """Someone thinks a post or comment breaks the hub's rules; network admins look at open reports."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.TextField(_("what is wrong with it"), max_length=REASON_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["resolved_at"], name="hub_report_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="hub_report_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="hub_report_has_reason"),
            models.UniqueConstraint(
                fields=["reporter", "post"], condition=Q(post__isnull=False), name="hub_report_once_per_post"
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="hub_report_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"Report by {self.reporter_id}"


class DigestChoice(models.Model):
    """A person's "send me a weekly digest", and the week (its Monday) last sent, so that a week is never sent
    twice (claimed with a conditional UPDATE in digest.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_digest")
    weekly = models.BooleanField(_("Send me a weekly digest"), default=False)
    last_sent_week = models.DateField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Digest choice of {self.user_id}"
