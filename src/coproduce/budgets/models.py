"""Participatory budgeting: a budget, the projects people propose, who has voted, and the (secret) ballots.

Ballot secrecy is a property of the tables, not only of the pages: a `Voter` row says that a person (or a paper
ballot's reference number) has voted; a `Ballot` row says what was voted. Nothing joins the two: a ballot holds
only a keyed hash of its voter (HMAC with the server's secret key, see `keys.voter_key`), so the voter
can change their ballot, but a copy of the database alone cannot tell who voted for what. Ballots have random ids
and no timestamps, so their order cannot be matched against the order people voted in.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line
from coproduce.spaces.models import Perspective

from .validators import validate_project_image

# Money: up to a trillion, to the penny (`max_digits=14, decimal_places=2` on every money field).


class Phase(models.TextChoices):
    """A budget moves forward through these when a host says so. The one way back: from CLOSED (voting has
    closed, the ballots are counted, the results are not yet published) a host may reopen voting, with a reason."""

    COLLECT = "collect", _("Collecting projects")
    REVIEW = "review", _("Reviewing projects")
    VOTE = "vote", _("Voting")
    CLOSED = "closed", _("Voting closed: results to be published")
    RESULTS = "results", _("Results")


PHASE_ORDER = [phase.value for phase in Phase]


class Eligibility(models.TextChoices):
    MEMBERS = "members", _("Members of this space")
    RESIDENTS = "residents", _("Anyone registered who confirms they live or work in the area")


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose between a minimum and a maximum number of projects")
    KNAPSACK = "knapsack", _("Knapsack: choose projects whose total cost fits the budget")
    CUMULATIVE = "cumulative", _("Cumulative: share a number of points between projects")
    RANKED = "ranked", _("Ranked: put up to a number of projects in order of preference")
    SCORING = "scoring", _("Scoring: give each project a score")


class Rule(models.TextChoices):
    """The rules of coproduce.lib.pb, by the names its CLI uses."""

    GREEDY = "greedy", _("Greedy by votes: most votes first, skipping projects that no longer fit")
    GREEDY_NO_SKIP = "greedy-no-skip", _("Greedy by votes, stopping at the first project that does not fit")
    MES_ADD1 = "mes-add1", _("Method of Equal Shares (with Add1, completed by votes)")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")


# The rules that use everything a ballot type says. Equal Shares and Phragmén are defined on approvals: they would
# count every ranked project, or every project given a point, as simply "supported", so a voter's ranks or points
# would change nothing. The greedy rules fund by score: the sum of the points, or a Borda score for ranks.
GREEDY_RULES = ("greedy", "greedy-no-skip")
RULES_FOR_BALLOT = {
    "approval": ("greedy", "greedy-no-skip", "mes-add1", "phragmen"),
    "knapsack": ("greedy", "greedy-no-skip", "mes-add1", "phragmen"),
    "ranked": GREEDY_RULES,
    "cumulative": GREEDY_RULES,
    "scoring": GREEDY_RULES,
}


def rule_pairing_problem(ballot_type: str, rule: str) -> str | None:
    """Why this rule would ignore what this ballot type asks voters for, in words for the host; else None."""
    if rule in RULES_FOR_BALLOT.get(ballot_type, ()):
        return None
    if ballot_type == "ranked":
        return gettext(
            "This rule counts every project a voter ranks as one vote, whatever its rank, so voters would "
            "rank for nothing. With ranked ballots, choose a greedy rule (it counts ranks as a Borda score), "
            "or use approval ballots."
        )
    return gettext(
        "This rule counts every project a voter gives points to as one vote, however many points, so the "
        "points would count for nothing. With cumulative or scoring ballots, choose a greedy rule (it funds "
        "projects by their total points), or use approval ballots."
    )


class TieBreak(models.TextChoices):
    """Which of two projects with exactly the same standing goes first, in every rule."""

    COST_THEN_SUBMISSION = "cost_then_submission", _("The cheaper project, then the one submitted first")
    SUBMISSION = "submission", _("The project submitted first")


class Budget(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="budgets")
    # Always the space's co-commissioning stage (checked in the service): where the space page shows it.
    stage = models.ForeignKey("spaces.Stage", on_delete=models.CASCADE, related_name="budgets")
    title = models.CharField(_("title"), max_length=140, validators=[single_line])
    description = models.TextField(_("what the money is for"), max_length=5000, blank=True)
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="GBP",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter currency code, for example GBP."))],
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.COLLECT)
    # The planned dates each phase starts; the phase itself moves when a host moves it.
    collect_from = models.DateField(_("collecting projects from"), null=True, blank=True)
    review_from = models.DateField(_("reviewing projects from"), null=True, blank=True)
    vote_from = models.DateField(_("voting from"), null=True, blank=True)
    results_from = models.DateField(_("results from"), null=True, blank=True)

    eligibility = models.CharField(
        _("who may vote"), max_length=10, choices=Eligibility.choices, default=Eligibility.MEMBERS
    )
    area = models.CharField(_("area"), max_length=120, blank=True, validators=[single_line])
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age to vote"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    ballot_type = models.CharField(
        _("ballot type"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    min_projects = models.PositiveSmallIntegerField(_("fewest projects to choose"), default=1)
    max_projects = models.PositiveSmallIntegerField(_("most projects to choose"), null=True, blank=True)
    min_share_percent = models.PositiveSmallIntegerField(
        _("least share of the budget to spend (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    points_total = models.PositiveIntegerField(_("points each voter shares out"), null=True, blank=True)
    max_points_per_project = models.PositiveIntegerField(
        _("most points for one project"), null=True, blank=True
    )
    max_ranked = models.PositiveSmallIntegerField(_("most projects to rank"), null=True, blank=True)

    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices, default=Rule.MES_ADD1)
    tie_break = models.CharField(
        _("tie-breaking"), max_length=24, choices=TieBreak.choices, default=TieBreak.COST_THEN_SUBMISSION
    )
    threshold = models.PositiveIntegerField(_("fewest votes a project needs (greedy rules)"), default=0)

    # META of an imported Pabulib file, written back on export (description, country, unit, ...).
    pabulib_meta = models.JSONField(default=dict, blank=True)
    # Set when the "voting closes in 24 hours" reminder is claimed (services.reminders); cleared when the
    # planned end (`results_from`) changes, so that the new date is reminded.
    closing_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["space", "-created_at"], name="budget_space_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="budget_title_not_empty"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_amount_positive"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="budget_phase_valid"),
            models.CheckConstraint(
                condition=Q(eligibility__in=Eligibility.values), name="budget_eligibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(ballot_type__in=BallotType.values), name="budget_ballot_type_valid"
            ),
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="budget_rule_valid"),
            models.CheckConstraint(condition=Q(tie_break__in=TieBreak.values), name="budget_tie_break_valid"),
            models.CheckConstraint(
                condition=Q(max_projects__isnull=True) | Q(max_projects__gte=F("min_projects")),
                name="budget_max_projects_at_least_min",
            ),
            models.CheckConstraint(condition=Q(min_projects__gte=1), name="budget_min_projects_at_least_one"),
            models.CheckConstraint(
                condition=Q(min_share_percent__lte=100), name="budget_min_share_a_percentage"
            ),
            models.CheckConstraint(
                condition=~Q(ballot_type=BallotType.CUMULATIVE)
                | (Q(points_total__isnull=False) & Q(points_total__gte=1)),
                name="budget_cumulative_has_points",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_type=BallotType.SCORING)
                | (Q(max_points_per_project__isnull=False) & Q(max_points_per_project__gte=1)),
                name="budget_scoring_has_maximum",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_type=BallotType.RANKED)
                | (Q(max_ranked__isnull=False) & Q(max_ranked__gte=1)),
                name="budget_ranked_has_limit",
            ),
            models.CheckConstraint(
                condition=Q(vote_from__isnull=True)
                | Q(review_from__isnull=True)
                | Q(vote_from__gte=F("review_from")),
                name="budget_vote_after_review",
            ),
            models.CheckConstraint(
                condition=Q(results_from__isnull=True)
                | Q(vote_from__isnull=True)
                | Q(results_from__gte=F("vote_from")),
                name="budget_results_after_vote",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:detail", args=[self.space.slug, self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.min_projects is not None and self.min_projects < 1:
            errors["min_projects"] = gettext("Voters choose at least one project.")
        elif (
            self.max_projects is not None
            and self.min_projects is not None
            and self.max_projects < self.min_projects
        ):
            errors["max_projects"] = gettext("The most projects must be at least the fewest.")
        if self.ballot_type == BallotType.CUMULATIVE and not self.points_total:
            errors["points_total"] = gettext("Say how many points each voter shares out.")
        if self.ballot_type == BallotType.SCORING and not self.max_points_per_project:
            errors["max_points_per_project"] = gettext("Say the highest score a voter can give a project.")
        if self.ballot_type == BallotType.RANKED and not self.max_ranked:
            errors["max_ranked"] = gettext("Say how many projects a voter can rank.")
        # Budgets that opened voting before this check keep the rule voters were told (the results page says
        # what it ignored); every budget set up from now on pairs its ballot with a rule that uses it.
        pairing = rule_pairing_problem(self.ballot_type, self.rule)
        if pairing and not self.phase_reached(Phase.VOTE):
            errors["rule"] = pairing
        if self.eligibility == Eligibility.RESIDENTS and not self.area.strip():
            errors["area"] = gettext("Say which area voters live or work in.")
        dates = [
            (name, getattr(self, name))
            for name in ("collect_from", "review_from", "vote_from", "results_from")
        ]
        given = [(name, value) for name, value in dates if value is not None]
        for (_before, earlier), (name, later) in zip(given, given[1:], strict=False):
            if later < earlier:
                errors.setdefault(name, gettext("Each phase starts on or after the one before it."))
        if errors:
            raise ValidationError(errors)

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)

    def phase_reached(self, phase: str) -> bool:
        return self.phase_index >= PHASE_ORDER.index(phase)

    @property
    def next_phase(self) -> str | None:
        index = self.phase_index + 1
        return PHASE_ORDER[index] if index < len(PHASE_ORDER) else None

    @property
    def rule_ignores_ballot(self) -> bool:
        """The budget's rule does not use the ranks or points of its ballots (only budgets from before the
        check in `clean`)."""
        return rule_pairing_problem(self.ballot_type, self.rule) is not None

    @property
    def is_voting(self) -> bool:
        return self.phase == Phase.VOTE

    @property
    def results_published(self) -> bool:
        return self.phase == Phase.RESULTS

    @property
    def min_spend(self) -> Decimal:
        """Knapsack ballots must spend at least this much (0 when there is no minimum share)."""
        return (self.amount * self.min_share_percent / 100).quantize(Decimal("0.01"))


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    FEASIBLE = "feasible", _("Feasible: on the ballot")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


def project_image_path(instance: Project, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"budgets/{instance.budget_id}/{uuid.uuid4().hex}.{extension}"


class Project(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=140, validators=[single_line])
    description = models.TextField(_("description"), max_length=5000, blank=True)
    cost = models.DecimalField(
        _("cost"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    category = models.CharField(_("category"), max_length=60, blank=True, validators=[single_line])
    area = models.CharField(_("area"), max_length=120, blank=True, validators=[single_line])
    image = models.FileField(
        _("image"),
        upload_to=project_image_path,
        blank=True,
        validators=[validate_project_image],
        max_length=200,
    )
    image_description = models.CharField(
        _("what the image shows"), max_length=200, blank=True, validators=[single_line]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )
    # The submitter's perspective at the time: the quality check counts who proposed what.
    submitter_perspective = models.CharField(max_length=20, choices=Perspective.choices, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=14, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED
    )
    review_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The adopted idea it was made from ("ideas.idea" through the module registry: budgets does not import
    # ideas, so the idea's id, not a foreign key). A budget takes an idea once.
    source_idea_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The project_id of an imported Pabulib file, kept so that an export names projects the same way.
    external_id = models.CharField(max_length=64, blank=True)
    pabulib_fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["budget", "status"], name="project_budget_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="project_title_not_empty"),
            models.CheckConstraint(condition=Q(cost__gt=0), name="project_cost_positive"),
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            # A project found not feasible is told why, in public.
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.NOT_FEASIBLE) | ~Q(review_reason=""),
                name="project_not_feasible_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_description=""), name="project_image_described"
            ),
            models.UniqueConstraint(
                fields=["budget", "external_id"],
                condition=~Q(external_id=""),
                name="project_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["budget", "source_idea_id"],
                condition=Q(source_idea_id__isnull=False),
                name="project_from_an_idea_once_per_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:project", args=[self.budget.space.slug, self.budget_id, self.pk])

    @property
    def space(self):
        """The budget's space: actions made from a funded project belong to it."""
        return self.budget.space

    @property
    def on_ballot(self) -> bool:
        return self.status == ProjectStatus.FEASIBLE

    @property
    def pabulib_id(self) -> str:
        return self.external_id or str(self.pk)


class ProjectCostChange(models.Model):
    """A cost changed at review: shown on the project page, with its reason, as well as in the audit log."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_changes")
    old_cost = models.DecimalField(max_digits=14, decimal_places=2)
    new_cost = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(new_cost__gt=0), name="cost_change_new_cost_positive"),
            models.CheckConstraint(condition=~Q(new_cost=F("old_cost")), name="cost_change_changes_cost"),
            models.CheckConstraint(condition=~Q(reason=""), name="cost_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.old_cost} → {self.new_cost}"


class VotingMethod(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper or assisted, recorded by a facilitator")
    IMPORTED = "imported", _("Imported from a Pabulib file")


class Voter(models.Model):
    """That someone has voted: a person, or a paper ballot's reference number. Never what they voted."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_votes",
    )
    # A paper ballot of a resident without an account, or a voter_id of an imported file.
    reference = models.CharField(_("reference number"), max_length=64, blank=True, validators=[single_line])
    method = models.CharField(max_length=10, choices=VotingMethod.choices, default=VotingMethod.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The number printed on the paper ballot sheet a facilitator typed in (see the printable ballot), so a
    # recorded ballot can be traced to its paper. Like the counterfoil of a polling-station ballot it links a
    # voter to a sheet, never to a `Ballot` row: the database alone still cannot tell who voted for what.
    sheet = models.CharField(_("ballot sheet number"), max_length=40, blank=True, validators=[single_line])
    # "Lives or works in the area (and is old enough)": only that it was confirmed is kept, never an age.
    confirmed_eligibility = models.BooleanField(default=False)
    voted_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # By the column: "budget" would join the budget to order by the budget's own ordering.
        ordering = ["budget_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "user"],
                condition=Q(user__isnull=False),
                name="one_voter_per_person_per_budget",
            ),
            models.UniqueConstraint(
                fields=["budget", "reference"],
                condition=~Q(reference=""),
                name="one_voter_per_reference_per_budget",
            ),
            models.UniqueConstraint(
                fields=["budget", "sheet"], condition=~Q(sheet=""), name="one_voter_per_sheet_per_budget"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(reference=""), name="voter_is_a_person_or_a_reference"
            ),
            models.CheckConstraint(condition=Q(method__in=VotingMethod.values), name="voter_method_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.reference} voted in {self.budget_id}"


class Ballot(models.Model):
    """What one voter chose. `voter_key` is the only link to a voter, and only the server can compute it.

    `choices` is a list of ``[project id, value]`` pairs in the voter's order: value is 1 for approval and
    knapsack ballots, the rank (1, 2, ...) for ranked ballots, the points for cumulative and scoring ballots.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=64)
    choices = models.JSONField(default=list)
    # Optional voter fields of an imported Pabulib file (age, sex, voting_method, ...), as they came.
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            # One ballot per voter per budget: changing a ballot replaces its choices, never adds a ballot.
            models.UniqueConstraint(fields=["budget", "voter_key"], name="one_ballot_per_voter_per_budget"),
            models.CheckConstraint(condition=~Q(voter_key=""), name="ballot_has_voter_key"),
        ]

    def __str__(self) -> str:
        return f"Ballot in budget {self.budget_id}"


class BudgetResult(models.Model):
    """One rule's outcome, cached once voting has closed (see services.results)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(max_length=16, choices=Rule.choices)
    ballots = models.PositiveIntegerField()
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget", "rule"], name="one_result_per_rule_per_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id}: {self.rule}"
