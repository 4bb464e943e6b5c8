"""Reads for budgets: lists, a project's history, turnout, a voter's own ballot, and results in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from coproduce.lib.pb import RULES

from .models import Ballot, BallotType, Budget, Phase, Project, ProjectStatus, Rule, Voter
from .money import format_money, format_number, to_decimal
from .services.ballots import ballot_of, user_identity


def budgets_of(space) -> QuerySet:
    return (
        Budget.objects.filter(space=space)
        .select_related("space")
        .annotate(
            project_count=Count("projects", filter=Q(projects__status=ProjectStatus.FEASIBLE), distinct=True),
            voter_count=Count("voters", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def projects_of(budget: Budget, *, status: str = "", category: str = "", q: str = "") -> QuerySet:
    projects = budget.projects.select_related("submitted_by")
    if status:
        projects = projects.filter(status=status)
    if category:
        projects = projects.filter(category__iexact=category)
    if q:
        projects = projects.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(area__icontains=q))
    return projects.order_by("submitted_at", "id")


def categories(budget: Budget) -> list[str]:
    return sorted(set(budget.projects.exclude(category="").values_list("category", flat=True)), key=str.lower)


def counts(budget: Budget) -> dict[str, int]:
    by_status = dict(budget.projects.values_list("status").annotate(n=Count("pk")))
    return {
        "projects": sum(by_status.values()),
        "on_ballot": by_status.get(ProjectStatus.FEASIBLE, 0),
        "waiting": by_status.get(ProjectStatus.SUBMITTED, 0),
        "voters": Voter.objects.filter(budget=budget).count(),
    }


def has_voted(user, budget: Budget) -> bool:
    return user.is_authenticated and Voter.objects.filter(budget=budget, user=user).exists()


def my_voter(user, budget: Budget) -> Voter | None:
    if not user.is_authenticated:
        return None
    return Voter.objects.filter(budget=budget, user=user).first()


def my_choices(user, budget: Budget) -> list[list[int]]:
    """The person's own ballot, found through its keyed hash (only the server can compute it)."""
    if not user.is_authenticated:
        return []
    ballot = ballot_of(budget, user_identity(user))
    return list(ballot.choices) if ballot else []


def members_who_may_get_paper_ballots(budget: Budget, actor) -> QuerySet:
    """The people `actor` may record a ballot for (the same list as every "Who is this for?": members
    without an account, or who asked for help), less those who have voted online themself."""
    from coproduce.people.models import User
    from coproduce.spaces.access import people_to_act_for

    people = [m.user_id for m in people_to_act_for(actor, budget.space)]
    voted_online = Voter.objects.filter(budget=budget, user__isnull=False, method="online").values("user_id")
    return User.objects.filter(pk__in=people).exclude(pk__in=voted_online).order_by("display_name", "id")


def scoring_note(budget: Budget) -> str:
    """How this ballot type is counted, in plain words (see coproduce.lib.pb.rules.support)."""
    kind = budget.ballot_type
    if kind == BallotType.RANKED:
        return _(
            "Ranked ballots are scored like a Borda count: on a ballot that ranks k projects, the first choice "
            "gets k points, the second k − 1, and the last 1. Projects are funded from the highest score down."
        )
    if kind == BallotType.CUMULATIVE:
        return _(
            "A project's score is the sum of the points voters gave it. Projects are funded from the highest "
            "score down."
        )
    if kind == BallotType.SCORING:
        return _(
            "A project's score is the sum of the scores voters gave it. Projects are funded from the highest "
            "score down."
        )
    return _("Each project you choose gets one vote from you.")


def rule_ignores_note(budget: Budget) -> str:
    """For a budget set up before rules had to use the ballot's ranks or points: what its count left out."""
    if not budget.rule_ignores_ballot:
        return ""
    if budget.ballot_type == BallotType.RANKED:
        return _(
            "This budget's rule was chosen before voting and cannot change now, but it does not use ranks: it "
            "counted every project a voter ranked as one vote, whatever its rank. The greedy counts below use "
            "the ranks."
        )
    return _(
        "This budget's rule was chosen before voting and cannot change now, but it does not use points: it "
        "counted every project a voter gave points to as one vote, however many points. The greedy counts "
        "below use the points."
    )


RULE_NOTES = {
    Rule.GREEDY: _(
        "Projects are funded from the most votes down; a project that no longer fits is skipped, "
        "and cheaper projects further down can still be funded."
    ),
    Rule.GREEDY_NO_SKIP: _(
        "Projects are funded from the most votes down, and the count stops at the first "
        "project that no longer fits."
    ),
    Rule.MES_ADD1: _(
        "Every voter gets an equal share of the budget. A project is funded when its supporters can "
        "pay for it together from their shares, cheapest per supporter first. Shares are raised step "
        "by step until the budget is used as fully as possible; anything left is then spent by votes."
    ),
    Rule.PHRAGMEN: _(
        "Voters earn money at the same speed; a project is funded as soon as its supporters together "
        "have earned its cost, spreading the cost as evenly as possible. The count stops at the first "
        "project that no longer fits."
    ),
}


# --- Results in plain words --------------------------------------------------------------------------


@dataclass
class ProjectResult:
    project: Project
    funded: bool
    position: int | None
    score: Decimal
    supporters: int
    why: str
    reason: str
    score_text: str = ""


SHORT_RULE_NAMES = {
    Rule.GREEDY: _lazy("Greedy"),
    Rule.GREEDY_NO_SKIP: _lazy("Greedy, no skipping"),
    Rule.MES_ADD1: _lazy("Equal Shares"),
    Rule.PHRAGMEN: _lazy("Phragmén"),
}


@dataclass
class RuleSummary:
    rule: str
    label: str
    short_label: str
    funded: list[Project]
    cost: Decimal
    satisfied: int
    voters: int
    chosen: bool

    @property
    def satisfied_percent(self) -> int:
        return round(self.satisfied * 100 / self.voters) if self.voters else 0


@dataclass
class Results:
    budget: Budget
    rule: str
    funded: list[ProjectResult]
    not_funded: list[ProjectResult]
    cost: Decimal
    voters: int
    satisfied: int
    comparison: list[RuleSummary]
    score_word: str = ""
    max_score: Decimal = Decimal(0)
    chart: list[dict] = field(default_factory=list)

    @property
    def left(self) -> Decimal:
        return self.budget.amount - self.cost

    @property
    def spent_percent(self) -> int:
        return min(100, int(self.cost * 100 / self.budget.amount)) if self.budget.amount else 0


def _why(budget: Budget, explanation: dict, votes_word: str) -> str:
    money = lambda value: format_money(to_decimal(value), budget.currency)  # noqa: E731
    reason = explanation["reason"]
    if reason not in ("funded", "no-ballots") and explanation["supporters"] == 0:
        # Whatever step of the count it fell at, the reason people can act on is that nobody voted for it.
        return _("Nobody voted for it.")
    if reason == "funded":
        if explanation["phase"] == "completion":
            return _("Funded from the money Equal Shares left over, by number of votes.")
        if explanation["phase"] == "equal-shares":
            return ngettext(
                "Funded: its %(n)s supporter could pay for it from their equal share.",
                "Funded: its %(n)s supporters could pay for it together from their equal shares.",
                explanation["supporters"],
            ) % {"n": explanation["supporters"]}
        if explanation["supporters"] == 0:
            return _("Funded: nobody voted for it, but it fitted the money that was left.")
        return _("Funded in turn, by %(votes)s.") % {"votes": votes_word}
    if reason == "did-not-fit":
        return _("It costs %(cost)s, but only %(left)s was left when its turn came.") % {
            "cost": money(explanation["cost"]),
            "left": money(explanation["left"] or 0),
        }
    if reason == "shares-ran-out":
        if explanation["supporters_money"] is not None:
            return ngettext(
                "Its %(n)s supporter had %(money)s of their share left, not enough for its cost of %(cost)s.",
                "Its %(n)s supporters had %(money)s of their shares left together, not enough for its cost of "
                "%(cost)s.",
                explanation["supporters"],
            ) % {
                "n": explanation["supporters"],
                "money": money(explanation["supporters_money"]),
                "cost": money(explanation["cost"]),
            }
        return _("Its supporters' shares ran out before they could pay for it.")
    if reason == "below-threshold":
        return _("It had %(score)s %(word)s; a project needs at least %(threshold)s to be funded.") % {
            "score": format_number(to_decimal(explanation["score"])),
            "word": votes_word,
            "threshold": explanation["threshold"],
        }
    if reason == "no-ballots":
        return _("No ballots were cast, so nothing was funded.")
    if reason == "not-reached":
        return _("Not reached: the count stopped before its turn, when a project did not fit what was left.")
    return reason


def _score_text(budget: Budget, score: Decimal) -> str:
    n = format_number(score)
    if budget.ballot_type in (BallotType.CUMULATIVE, BallotType.SCORING):
        return ngettext("%(n)s point", "%(n)s points", int(score)) % {"n": n}
    if budget.ballot_type == BallotType.RANKED:
        return _("score %(n)s") % {"n": n}
    return ngettext("%(n)s vote", "%(n)s votes", int(score)) % {"n": n}


def bar_percent(value: Decimal, largest: Decimal) -> str:
    """A bar's length as a share of the chart's width, in percent with a decimal point in every language:
    proportional to the value, the largest value drawn across the whole width, 0 drawn as no bar."""
    if largest <= 0 or value <= 0:
        return "0"
    return f"{Decimal(value) * 100 / Decimal(largest):.2f}"


def results_view(budget: Budget, data: dict[str, dict]) -> Results:
    """The budget's own rule in full, and a summary of every rule for the comparison panel."""
    projects = {p.pk: p for p in budget.projects.filter(status=ProjectStatus.FEASIBLE)}
    main = data[budget.rule]
    votes_word = (
        _("points")
        if budget.ballot_type in (BallotType.CUMULATIVE, BallotType.SCORING)
        else (_("score") if budget.ballot_type == BallotType.RANKED else _("votes"))
    )
    funded, not_funded = [], []
    for pid_text, explanation in main["explanations"].items():
        project = projects.get(int(pid_text))
        if project is None:
            continue
        row = ProjectResult(
            project=project,
            funded=explanation["reason"] == "funded",
            position=explanation["position"],
            score=to_decimal(explanation["score"]),
            supporters=explanation["supporters"],
            why=_why(budget, explanation, votes_word),
            reason=explanation["reason"],
            score_text=_score_text(budget, to_decimal(explanation["score"])),
        )
        (funded if row.funded else not_funded).append(row)
    funded.sort(key=lambda r: r.position or 0)
    not_funded.sort(key=lambda r: (-r.score, r.project.title))
    labels = dict(Rule.choices)
    comparison = [
        RuleSummary(
            rule=rule,
            label=str(labels[rule]),
            short_label=str(SHORT_RULE_NAMES[rule]),
            funded=[projects[pid] for pid in data[rule]["selected"] if pid in projects],
            cost=to_decimal(data[rule]["cost"]),
            satisfied=data[rule]["satisfied"],
            voters=data[rule]["voters"],
            chosen=rule == budget.rule,
        )
        for rule in RULES
        if rule in data
    ]
    everything = sorted(funded + not_funded, key=lambda r: (-r.score, r.project.title))
    max_score = max((r.score for r in everything), default=Decimal(0))
    max_cost = max((r.project.cost for r in everything), default=Decimal(0))
    chart = [
        {
            "row": r,
            "score_percent": bar_percent(r.score, max_score),
            "cost_percent": bar_percent(r.project.cost, max_cost),
        }
        for r in everything
    ]
    return Results(
        budget=budget,
        rule=budget.rule,
        funded=funded,
        not_funded=not_funded,
        cost=to_decimal(main["cost"]),
        voters=main["voters"],
        satisfied=main["satisfied"],
        comparison=comparison,
        max_score=max_score,
        chart=chart,
        score_word=votes_word,
    )


def ballots_count(budget: Budget) -> int:
    return Ballot.objects.filter(budget=budget).count()


def phase_steps(budget: Budget) -> list[dict]:
    dates = {
        Phase.COLLECT: budget.collect_from,
        Phase.REVIEW: budget.review_from,
        Phase.VOTE: budget.vote_from,
        Phase.CLOSED: None,
        Phase.RESULTS: budget.results_from,
    }
    return [
        {
            "phase": phase,
            "label": label,
            "date": dates[phase],
            "current": budget.phase == phase,
            "done": budget.phase_index > index,
        }
        for index, (phase, label) in enumerate(Phase.choices)
    ]
