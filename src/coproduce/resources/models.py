"""Resources of the network hub: a link or an uploaded file (PDF, Word, OpenDocument, an image), with a
short summary in plain words, tags, and easy-read versions linked to their originals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.fields import BoundedTextField
from coproduce.core.validators import single_line

SUMMARY_MAX = 300


class ResourceKind(models.TextChoices):
    LINK = "link", _("A link")
    FILE = "file", _("A file")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Resource(models.Model):
    title = models.CharField(_("title"), max_length=160, validators=[single_line])
    summary = BoundedTextField(_("summary in plain words"), max_length=SUMMARY_MAX)
    kind = models.CharField(max_length=8, choices=ResourceKind.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # Stored under a random prefix and a slugified name (see services.store_upload); served only through
    # the download view, as an attachment with the type found from its content.
    file = models.FileField(max_length=200, blank=True)
    file_name = models.CharField(
        max_length=80, blank=True, validators=[single_line]
    )  # the safe name people download it as
    content_type = models.CharField(
        max_length=100, blank=True, validators=[single_line]
    )  # found from the content, never the name
    size = models.PositiveIntegerField(default=0)
    tags = models.CharField(
        _("tags"),
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text=_("Words people may look for, with commas between."),
    )
    easy_read_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="easy_read_versions",
        verbose_name=_("the easy-read version of"),
    )
    status = models.CharField(max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="hub_resources"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="resource_status_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="resource_title_not_empty"),
            models.CheckConstraint(condition=~Q(summary=""), name="resource_summary_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=ResourceStatus.values), name="resource_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=ResourceKind.LINK) & ~Q(url="") & Q(file=""))
                | (Q(kind=ResourceKind.FILE) & ~Q(file="") & ~Q(content_type="")),
                name="resource_link_or_file",
            ),
            models.CheckConstraint(
                condition=~Q(status=ResourceStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_resource_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(easy_read_of=models.F("id")), name="resource_not_easy_read_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (part.strip() for part in self.tags.split(",")) if t]

    @property
    def download_url(self) -> str:
        return reverse("resources:download", args=[self.pk]) if self.kind == ResourceKind.FILE else ""
