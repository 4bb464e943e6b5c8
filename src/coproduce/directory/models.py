"""The directory of people to learn from, requests for help, and messages between two people.

Personal data, possibly of a special category (a perspective such as lived experience, what someone has
lived through): a person gives it by choosing to be listed, sees what they gave, and leaving deletes the
listing row at once. Nothing here holds or shows an email address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.fields import BoundedTextField
from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective, StageKind


class Offer(models.TextChoices):
    """What a listed person offers, and the kinds of help a person may ask for."""

    MENTORING = "mentoring", _("Mentoring")
    PEER_SUPPORT = "peer_support", _("Peer support")
    CRITICAL_FRIEND = "critical_friend", _("Being a critical friend")
    LIVED_EXPERIENCE = "lived_experience", _("Sharing lived experience")


def codes(values) -> str:
    """Several codes in one column, kept as " a b " so that `contains=" a "` finds exactly one code on
    SQLite and PostgreSQL alike."""
    found = sorted(set(values))
    return f" {' '.join(found)} " if found else ""


def code_list(text: str) -> list[str]:
    return text.split()


def _check_codes(value: str, choices: type[models.TextChoices]) -> None:
    if set(value.split()) - set(choices.values):
        raise ValidationError(_("Choose from the list."), code="invalid_choice")


def _stage_codes(value: str) -> None:
    _check_codes(value, StageKind)


def _offer_codes(value: str) -> None:
    _check_codes(value, Offer)


def _perspective_codes(value: str) -> None:
    _check_codes(value, Perspective)


class Listing(models.Model):
    """A person's entry in the directory, there only while they choose it (one per person)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_listing"
    )
    intro = models.CharField(_("a short introduction"), max_length=300, validators=[single_line])
    skills = models.CharField(_("skills"), max_length=300, blank=True, validators=[single_line])
    experience = BoundedTextField(_("experience"), max_length=1000, blank=True)
    interests = models.CharField(_("interests"), max_length=300, blank=True, validators=[single_line])
    stages = models.CharField(_("stages I know"), max_length=100, blank=True, validators=[_stage_codes])
    perspectives = models.CharField(
        _("my perspective"), max_length=120, blank=True, validators=[_perspective_codes]
    )
    place = models.CharField(_("town or area"), max_length=80, blank=True, validators=[single_line])
    offers = models.CharField(_("what I offer"), max_length=100, blank=True, validators=[_offer_codes])
    lived_experience_of = models.CharField(
        _("lived experience I can share"), max_length=200, blank=True, validators=[single_line]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person__display_name", "person_id"]
        constraints = [
            models.CheckConstraint(condition=~Q(intro=""), name="directory_listing_intro_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.person_id])

    @property
    def stage_list(self) -> list[str]:
        return code_list(self.stages)

    @property
    def offer_list(self) -> list[str]:
        return code_list(self.offers)

    @property
    def perspective_list(self) -> list[str]:
        return code_list(self.perspectives)

    def stage_labels(self) -> list[str]:
        return [str(StageKind(code).label) for code in self.stage_list]

    def offer_labels(self) -> list[str]:
        return [str(Offer(code).label) for code in self.offer_list]

    def perspective_labels(self) -> list[str]:
        return [str(Perspective(code).label) for code in self.perspective_list]


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no new messages, no listing, no suggestion, either way."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="directory_block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="directory_block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"


class HelpRequest(models.Model):
    """A person asks for help; the page suggests listed people. Seen by the asker only."""

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_help_requests"
    )
    kind = models.CharField(_("what kind of help"), max_length=20, choices=Offer.choices)
    lived_experience_of = models.CharField(
        _("lived experience of"), max_length=200, blank=True, validators=[single_line]
    )
    description = BoundedTextField(_("what you would like help with"), max_length=1000)
    stage = models.CharField(_("stage"), max_length=20, choices=StageKind.choices, blank=True)
    place = models.CharField(_("town or area"), max_length=80, blank=True, validators=[single_line])
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="directory_request_has_description"),
            models.CheckConstraint(condition=Q(kind__in=Offer.values), name="directory_request_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("directory:request", args=[self.pk])


class Thread(models.Model):
    """A conversation between two people, one per pair: `first` has the lower id, so a pair has one row."""

    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    help_request = models.ForeignKey(HelpRequest, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="directory_thread_one_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="directory_thread_ordered_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.first} – {self.second}"

    def get_absolute_url(self) -> str:
        return reverse("directory:thread", args=[self.pk])

    def other(self, user):
        return self.second if user.pk == self.first_id else self.first


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The other person of the thread, kept on the row so that unread counts are one indexed query.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = BoundedTextField(_("your message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A network admin removed it after a report: the text is emptied, the row says so.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="directory_message_unread")]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="directory_message_not_to_self"),
            models.CheckConstraint(
                condition=~Q(body="") | Q(removed_at__isnull=False), name="directory_message_has_body"
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class Report(models.Model):
    """Someone tells the network admins a message or a listing breaks the rules, with a reason.
    A listing's report names the person, not the listing: if they leave, nothing of the listing stays."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    listed_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = BoundedTextField(_("what is wrong"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="directory_report_has_reason"),
            # Exactly one of a message or a listed person.
            models.CheckConstraint(
                condition=(Q(message__isnull=False) & Q(listed_person__isnull=True))
                | (Q(message__isnull=True) & Q(listed_person__isnull=False)),
                name="directory_report_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"
