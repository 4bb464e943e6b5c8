"""Personal outcomes: what matters to a person, talked through over time, rated 1–5 in their own words.

The outcomes are those of Talking Points, the personal outcomes approach of Scotland's Joint Improvement
Team (Cook & Miller, "Talking Points: Personal Outcomes Approach. A practical guide for organisations",
2012), with its carers' set. This is health and social care information about a person (special-category
data): nothing is recorded without their consent, only they and the people they allow see it, withdrawing
consent deletes what was recorded in that space, and every row goes when the person is erased (the foreign
keys to the person cascade)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line


class OutcomeSet(models.TextChoices):
    QUALITY_OF_LIFE = "quality_of_life", _("Quality of life")
    PROCESS = "process", _("How you are treated")
    CHANGE = "change", _("Change")
    CARERS = "carers", _("For carers")


class PersonalOutcome(models.TextChoices):
    # Quality of life
    FEELING_SAFE = "feeling_safe", _("Feeling safe")
    THINGS_TO_DO = "things_to_do", _("Having things to do")
    SEEING_PEOPLE = "seeing_people", _("Seeing people")
    STAYING_WELL = "staying_well", _("Staying as well as you can")
    LIVING_AS_YOU_WANT = "living_as_you_want", _("Living where and as you want")
    DEALING_WITH_STIGMA = "dealing_with_stigma", _("Dealing with stigma or discrimination")
    # Process: how support is given
    LISTENED_TO = "listened_to", _("Being listened to")
    HAVING_A_SAY = "having_a_say", _("Having a say")
    TREATED_WITH_RESPECT = "treated_with_respect", _("Being treated with respect")
    RESPONDED_TO = "responded_to", _("Being responded to")
    RELIABILITY = "reliability", _("Reliability")
    # Change
    CONFIDENCE = "confidence", _("Confidence")
    SKILLS = "skills", _("Skills")
    MOBILITY = "mobility", _("Mobility")
    REDUCED_SYMPTOMS = "reduced_symptoms", _("Fewer or milder symptoms")
    # Carers (Talking Points carers' outcomes)
    CARER_HEALTH = "carer_health", _("Keeping your own health and wellbeing")
    CARER_LIFE_OF_OWN = "carer_life_of_own", _("Having a life of your own alongside caring")
    CARER_RELATIONSHIP = "carer_relationship", _("A good relationship with the person you care for")
    CARER_FINANCES = "carer_finances", _("Freedom from financial hardship")
    CARER_CHOICES = "carer_choices", _("Choices in caring, including its limits")
    CARER_INFORMED = "carer_informed", _("Feeling informed, skilled and equipped to care")
    CARER_PARTNERSHIP = "carer_partnership", _("Being a partner with services, your expertise recognised")


# Which set each outcome belongs to, in the order they are asked.
OUTCOME_SETS: dict[str, tuple[str, ...]] = {
    OutcomeSet.QUALITY_OF_LIFE: (
        PersonalOutcome.FEELING_SAFE,
        PersonalOutcome.THINGS_TO_DO,
        PersonalOutcome.SEEING_PEOPLE,
        PersonalOutcome.STAYING_WELL,
        PersonalOutcome.LIVING_AS_YOU_WANT,
        PersonalOutcome.DEALING_WITH_STIGMA,
    ),
    OutcomeSet.PROCESS: (
        PersonalOutcome.LISTENED_TO,
        PersonalOutcome.HAVING_A_SAY,
        PersonalOutcome.TREATED_WITH_RESPECT,
        PersonalOutcome.RESPONDED_TO,
        PersonalOutcome.RELIABILITY,
    ),
    OutcomeSet.CHANGE: (
        PersonalOutcome.CONFIDENCE,
        PersonalOutcome.SKILLS,
        PersonalOutcome.MOBILITY,
        PersonalOutcome.REDUCED_SYMPTOMS,
    ),
    OutcomeSet.CARERS: (
        PersonalOutcome.CARER_HEALTH,
        PersonalOutcome.CARER_LIFE_OF_OWN,
        PersonalOutcome.CARER_RELATIONSHIP,
        PersonalOutcome.CARER_FINANCES,
        PersonalOutcome.CARER_CHOICES,
        PersonalOutcome.CARER_INFORMED,
        PersonalOutcome.CARER_PARTNERSHIP,
    ),
}
SET_OF = {outcome: name for name, outcomes in OUTCOME_SETS.items() for outcome in outcomes}


class Score(models.IntegerChoices):
    VERY_POOR = 1, _("1 – very poor")
    POOR = 2, _("2 – poor")
    OK = 3, _("3 – all right")
    GOOD = 4, _("4 – good")
    VERY_GOOD = 5, _("5 – very good")


class Consent(models.Model):
    """A person's agreement that their outcomes are recorded in a space. Withdrawn, it stays as a fact (when,
    by whom) and everything recorded under it is deleted; a new consent starts afresh."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_consents"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="outcome_consents")
    given_at = models.DateTimeField(auto_now_add=True)
    # Who recorded it: the person, or a facilitator for someone who takes part with help.
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "space"],
                condition=Q(withdrawn_at__isnull=True),
                name="outcomes_one_live_consent",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="outcomes_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent of {self.person_id} in {self.space_id}"


class Helper(models.Model):
    """Someone the person allows to see their outcomes and to work on their plan with them (a facilitator
    or a practitioner of the space). Nobody else sees them."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_helpers"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_helping"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "space", "helper"], name="outcomes_one_helper_row"),
            models.CheckConstraint(condition=~Q(person=F("helper")), name="outcomes_helper_not_self"),
        ]

    def __str__(self) -> str:
        return f"Helper {self.helper_id} of {self.person_id} in {self.space_id}"


class Conversation(models.Model):
    """One outcomes conversation: what the person said about each outcome that came up, on a day."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_conversations"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="outcome_conversations")
    held_on = models.DateField(_("when we talked"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        indexes = [models.Index(fields=["space", "person", "held_on"], name="outcomes_conv_space_person")]

    def __str__(self) -> str:
        return f"Conversation of {self.person_id} on {self.held_on}"


class Rating(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="ratings")
    outcome = models.CharField(max_length=30, choices=PersonalOutcome.choices)
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    own_words = models.TextField(_("in your own words"), max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "outcome"], name="outcomes_one_rating_per_outcome"
            ),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="outcomes_score_1_to_5"),
            models.CheckConstraint(
                condition=Q(outcome__in=PersonalOutcome.values), name="outcomes_rating_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.score}"


class Plan(models.Model):
    """A person's plan in a space, made with the people they allow: the outcomes they chose, what they will
    do, what others will do, and when to look at it again. Every change is kept in `PlanChange`."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_plans"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    outcomes = models.JSONField(_("the outcomes I chose"), default=list, blank=True)
    my_part = models.TextField(_("what I will do"), max_length=3000, blank=True)
    others_part = models.TextField(_("what others will do"), max_length=3000, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "space"], name="outcomes_one_plan_per_space")
        ]

    def __str__(self) -> str:
        return f"Plan of {self.person_id} in {self.space_id}"


class PlanChange(models.Model):
    """Who changed the plan, when, and which parts (the plan's own history, seen by the same people)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=150, validators=[single_line])
    fields = models.JSONField(default=list)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_by_name} at {self.at}"
