"""Reads for results: the last count of a budget's ballots (counted by the task queue once voting has closed,
see services.results), and the results in plain words.

Reading never counts: until the count is stored, the page and the API say the ballots are being counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coproduce.core import shared
from coproduce.core.prepared import Prepared
from coproduce.lib.pb import RULES

if TYPE_CHECKING:  # django-stubs' helpers are for the type checker only
    from django_stubs_ext import StrOrPromise

from ..models import (
    RULES_FOR_BALLOT,
    BallotType,
    Budget,
    BudgetResult,
    Phase,
    Project,
    ProjectStatus,
    Rule,
)
from ..money import format_money, format_number, to_decimal


def counted_rules(budget: Budget) -> list[str]:
    """The rules counted for a budget: those that use what its ballots say, and always its own rule."""
    usable = RULES_FOR_BALLOT[budget.ballot_type]
    return [rule for rule in RULES if rule in usable or rule == budget.rule]


@dataclass(frozen=True)
class LastCount:
    """Every counted rule's outcome (plain JSON-ready data, see services.results.count), and when it was made.
    The outcomes are read when first asked for: a page whose rendering of them is kept needs only the time."""

    rows: list[BudgetResult]
    counted_at: dt.datetime
    ballots: int

    @cached_property
    def data(self) -> dict[str, dict[str, Any]]:
        pks = [row.pk for row in self.rows]
        return dict(BudgetResult.objects.filter(pk__in=pks).values_list("rule", "data"))


# Asked on every view of the results: its SQL built once.
_COUNTS = Prepared(
    lambda budget_id: BudgetResult.objects.filter(budget_id=budget_id).defer("data"), values=(int,)
)


def counts_read(budget_id: int) -> tuple[Prepared, tuple]:
    """The read of a budget's counts, to be asked with the budget in one round trip (`access.get_budget_and`,
    `access.get_budget_with_rows`); `last_count(budget, rows)` makes what it found the last count."""
    return _COUNTS, (int(budget_id),)


def last_count(budget: Budget, rows: list[BudgetResult] | None = None) -> LastCount | None:
    """The last complete count of the budget's ballots, or None while they are being counted (or before voting
    closed). Who may be shown it is `access.can_see_results`. `rows`: its counts, when read already
    (`counts_read`)."""
    if budget.phase not in (Phase.CLOSED, Phase.RESULTS):
        return None
    # No count of the ballots here (a scan of every ballot, milliseconds on each view of a large vote): they
    # change only while voting is open (`services.ballots`), reopening voting deletes the count, and an
    # import makes a new budget. Rows of different sizes mean a count is being replaced.
    if rows is None:
        rows = _COUNTS.all(budget.pk)
    if not rows or {row.rule for row in rows} != set(counted_rules(budget)):
        return None
    ballots = rows[0].ballots
    if any(row.ballots != ballots for row in rows):
        return None
    return LastCount(rows=rows, counted_at=min(row.computed_at for row in rows), ballots=ballots)


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


SHORT_RULE_NAMES: dict[str, StrOrPromise] = {
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
    funded: list[ProjectResult] = []
    not_funded: list[ProjectResult] = []
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
    comparison = [
        RuleSummary(
            rule=rule,
            label=str(Rule(rule).label),
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


# --- Kept rendered -------------------------------------------------------------------------------------
# A count never changes once stored (a recount stores a new one, with a new time), and neither do the
# budget's projects once voting has opened (`access.can_edit_project`). So what a count shows is rendered
# once per language and kept in the cache, keyed by the count's time and the budget's last change, and in each
# process in front of it (`shared.versioned`): on a busy evening each view of the results then costs neither
# the rendering of every project and rule nor a cache read.
RENDERED_FOR = 7 * 24 * 3600  # seconds; a new count or a change to the budget makes a new key anyway


def results_key(budget: Budget, counted: LastCount, what: str) -> str:
    return ":".join(
        [
            "budgets:results",
            what,
            str(budget.pk),
            f"{budget.updated_at.timestamp():.6f}",
            f"{counted.counted_at.timestamp():.6f}",
            get_language() or "",
        ]
    )


def results_html(budget: Budget, counted: LastCount) -> str:
    """The results page's account of the count (`_results_counted.html`), rendered once and kept."""

    def render() -> str:
        from .budgets import rule_ignores_note, rule_note, scoring_note  # they read the last count

        return render_to_string(
            "budgets/_results_counted.html",
            {
                "space": budget.space,
                "budget": budget,
                "results": results_view(budget, counted.data),
                "rule_ignores_note": rule_ignores_note(budget),
                "scoring_note": scoring_note(budget),
                "rule_note": rule_note(budget.rule),
            },
        )

    key = results_key(budget, counted, "html")
    return mark_safe(shared.versioned(key, lambda: cache.get_or_set(key, render, RENDERED_FOR)))  # noqa: S308


def results_data(budget: Budget, counted: LastCount) -> dict[str, Any]:
    """The results as the API gives them, built once and kept."""

    def build() -> dict[str, Any]:
        view = results_view(budget, counted.data)
        return {
            "voters": view.voters,
            "cost": view.cost,
            "projects": [
                {
                    "project": r.project.pk,
                    "title": r.project.title,
                    "funded": r.funded,
                    "reason": r.reason,
                    "why": str(r.why),
                    "position": r.position,
                    "score": r.score,
                    "supporters": r.supporters,
                    "cost": r.project.cost,
                }
                for r in [*view.funded, *view.not_funded]
            ],
            "comparison": [
                {
                    "rule": s.rule,
                    "selected": [p.pk for p in s.funded],
                    "cost": s.cost,
                    "voters_with_a_funded_project": s.satisfied,
                }
                for s in view.comparison
            ],
        }

    key = results_key(budget, counted, "data")
    return cast("dict[str, Any]", shared.versioned(key, lambda: cache.get_or_set(key, build, RENDERED_FOR)))
