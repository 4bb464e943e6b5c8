"""Case studies of the network hub: what a space (or any project) did, what changed and what it cost, in
structured fields that can be filtered, with a licence for reuse."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.fields import BoundedTextField
from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective, StageKind


class Licence(models.TextChoices):
    CC_BY = "cc_by", _("Creative Commons Attribution 4.0 (CC BY)")
    CC_BY_SA = "cc_by_sa", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA)")
    CC_BY_NC = "cc_by_nc", _("Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC)")
    ALL_RIGHTS = "all_rights", _("All rights reserved: ask before reusing it")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
}


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def _codes(value: str) -> list[str]:
    return [code for code in value.strip(",").split(",") if code]


class CaseStudy(models.Model):
    title = models.CharField(_("title"), max_length=160, validators=[single_line])
    place = models.CharField(_("place"), max_length=120, blank=True, validators=[single_line])
    organisations_text = models.CharField(
        _("other organisations"), max_length=300, blank=True, validators=[single_line]
    )
    organisations = models.ManyToManyField(
        "people.Organisation", blank=True, related_name="case_studies", verbose_name=_("organisations")
    )
    # Stage kinds and perspectives as ",co_design,co_delivery,": filtered with one LIKE on SQLite and
    # PostgreSQL alike (JSON containment is not portable); services write them, in the star's order.
    stages = models.CharField(
        _("stages of the Co-production Star"), max_length=100, blank=True, validators=[single_line]
    )
    perspectives = models.CharField(
        _("perspectives involved"), max_length=150, blank=True, validators=[single_line]
    )
    topics = models.CharField(_("topics"), max_length=200, blank=True, validators=[single_line])
    what_happened = BoundedTextField(_("what happened"), max_length=8000, blank=True)
    what_changed = BoundedTextField(_("what changed"), max_length=6000, blank=True)
    evidence = BoundedTextField(_("evidence of what changed"), max_length=4000, blank=True)
    what_was_hard = BoundedTextField(_("what was hard"), max_length=4000, blank=True)
    what_it_cost = BoundedTextField(_("what it cost"), max_length=2000, blank=True)
    licence = models.CharField(
        _("licence for reuse"), max_length=12, choices=Licence.choices, default=Licence.CC_BY
    )
    status = models.CharField(max_length=10, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT)
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
        verbose_name=_("the space it came from"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    generated = models.BooleanField(default=False)  # drafted from the space's records
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name_plural = "case studies"
        indexes = [models.Index(fields=["status", "-published_at"], name="casestudy_status_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="casestudy_title_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=CaseStudyStatus.values), name="casestudy_status_valid"
            ),
            models.CheckConstraint(condition=Q(licence__in=Licence.values), name="casestudy_licence_valid"),
            models.CheckConstraint(
                condition=~Q(status=CaseStudyStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_casestudy_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casestudies:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == CaseStudyStatus.PUBLISHED

    @property
    def stage_list(self) -> list[str]:
        return _codes(self.stages)

    @property
    def perspective_list(self) -> list[str]:
        return _codes(self.perspectives)

    @property
    def stage_labels(self) -> list[str]:
        names = dict(StageKind.choices)
        return [str(names[c]) for c in self.stage_list if c in names]

    @property
    def perspective_labels(self) -> list[str]:
        names = dict(Perspective.choices)
        return [str(names[c]) for c in self.perspective_list if c in names]

    @property
    def topic_list(self) -> list[str]:
        return [t for t in (part.strip() for part in self.topics.split(",")) if t]

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(Licence(self.licence), "")
