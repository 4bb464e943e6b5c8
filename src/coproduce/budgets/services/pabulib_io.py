"""Pabulib `.pb` files in and out of the database (https://pabulib.org/format).

Import is all or nothing: the library's parser names the line of the first problem in the file, the checks
here (costs the database can hold, whole-number points, ids that fit) name theirs, and everything is written
in one transaction, so a bad file leaves nothing behind. An imported election arrives with its voting closed:
its ballots become anonymous ballots, each with a `Voter` row holding the file's voter_id as reference.

Export writes the projects on the ballot and every ballot, in a shuffled order with voter ids renumbered 1, 2,
3, ..., so that a file never reveals who voted, or in which order people voted.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib.pb import Ballots, Election, PabulibError, parse, write
from coproduce.lib.pb import Project as PbProject
from coproduce.lib.pb.election import format_number, parse_number
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from ..keys import reference_identity, voter_key
from ..models import (
    RULES_FOR_BALLOT,
    Ballot,
    BallotType,
    Budget,
    Phase,
    Project,
    ProjectStatus,
    Rule,
    Voter,
    VotingMethod,
)
from .budgets import co_commissioning_stage
from .results import VOTE_TYPES, results_schedule

MAX_MONEY = Decimal(10) ** 12
RULE_NAMES = {
    "greedy": Rule.GREEDY,
    "greedy-threshold": Rule.GREEDY,
    "greedy-no-skip": Rule.GREEDY_NO_SKIP,
    "mes-add1": Rule.MES_ADD1,
    "equalshares": Rule.MES_ADD1,
    "equalshares/add1": Rule.MES_ADD1,
    "mes": Rule.MES_ADD1,
    "phragmen": Rule.PHRAGMEN,
    "sequential-phragmen": Rule.PHRAGMEN,
}
LIMIT_KEYS = (
    "min_length",
    "max_length",
    "min_sum_cost",
    "max_sum_cost",
    "min_sum_points",
    "max_sum_points",
    "min_points",
    "max_points",
)


class _Problem(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def _error(line: int, problem: str) -> ValidationError:
    return ValidationError(
        {"file": _("Line %(line)s: %(problem)s. Nothing was imported.") % {"line": line, "problem": problem}},
        code="bad_file",
    )


def _row_lines(text: str) -> dict[str, dict[str, int]]:
    """The line of each row, by section and first field: the parser checks the file, this only says where."""
    found: dict[str, dict[str, int]] = {"meta": {}, "projects": {}, "votes": {}}
    section, header = None, False
    for number, line in enumerate(text.split("\n"), start=1):
        fields = [f.strip().strip('"') for f in line.rstrip("\r").split(";")]
        marker = fields[0].lower()
        if marker in found and not any(fields[1:]):
            section, header = marker, False
            found[section]["__section__"] = number
            continue
        if section is None or not any(fields):
            continue
        if not header:
            header = True
            continue
        found[section].setdefault(fields[0], number)
    return found


def _money(value: Fraction, line: int, what: str) -> Decimal:
    if value <= 0:
        raise _Problem(line, _("%(what)s must be more than 0") % {"what": what})
    if (value * 100).denominator != 1:
        raise _Problem(line, _("%(what)s has more than two decimal places") % {"what": what})
    amount = Decimal(int(value * 100)) / 100
    if amount >= MAX_MONEY:
        raise _Problem(line, _("%(what)s is too large") % {"what": what})
    return amount


# The largest value each META limit may have: what the budget's database column holds.
LIMIT_MAXIMUM = {
    "min_length": 32767,
    "max_length": 32767,
    "max_sum_points": 2**31 - 1,
    "max_points": 2**31 - 1,
}


def _whole(meta: dict[str, str], key: str, line: int) -> int | None:
    if not meta.get(key):
        return None
    value = parse_number(meta[key])
    if value is None or value.denominator != 1 or value < 0:
        raise _Problem(line, _("%(key)s must be a whole number") % {"key": key})
    if value > LIMIT_MAXIMUM[key]:
        raise _Problem(
            line, _("%(key)s is too large (at most %(most)s)") % {"key": key, "most": LIMIT_MAXIMUM[key]}
        )
    return int(value)


def _settings(election: Election, lines: dict[str, dict[str, int]]) -> dict:
    """Budget settings from META: amount, currency, ballot type and its limits, rule."""
    meta = election.meta
    meta_lines = lines["meta"]
    line = lambda key: meta_lines.get(key, meta_lines.get("__section__", 1))  # noqa: E731
    settings: dict = {"amount": _money(election.budget, line("budget"), _("The budget"))}
    currency = meta.get("currency", "").strip().upper()
    settings["currency"] = currency if len(currency) == 3 and currency.isalpha() else "GBP"
    settings["rule"] = RULE_NAMES.get(meta.get("rule", "").strip().lower(), Rule.MES_ADD1)
    limits = {
        key: _whole(meta, key, line(key))
        for key in ("min_length", "max_length", "max_sum_points", "max_points")
    }
    vote_type = election.vote_type
    if vote_type in ("approval", "choose-1") and meta.get("max_sum_cost"):
        settings["ballot_type"] = BallotType.KNAPSACK
        least = parse_number(meta.get("min_sum_cost", "")) or Fraction(0)
        settings["min_share_percent"] = max(0, min(100, math.floor(least * 100 / election.budget)))
    elif vote_type in ("approval", "choose-1"):
        settings["ballot_type"] = BallotType.APPROVAL
        settings["min_projects"] = max(1, limits["min_length"] or 1)
        settings["max_projects"] = 1 if vote_type == "choose-1" else limits["max_length"]
        if settings["max_projects"] is not None and settings["max_projects"] < settings["min_projects"]:
            raise _Problem(line("max_length"), _("max_length is less than min_length"))
    elif vote_type == "ordinal":
        settings["ballot_type"] = BallotType.RANKED
        settings["max_ranked"] = limits["max_length"] or max(1, len(election.projects))
    elif vote_type == "cumulative":
        settings["ballot_type"] = BallotType.CUMULATIVE
        sums = [sum(election.ballot(v).points or ()) for v in range(election.num_voters)]
        settings["points_total"] = limits["max_sum_points"] or max(1, int(max(sums, default=1)))
        if settings["points_total"] > LIMIT_MAXIMUM["max_sum_points"]:
            voter_id = election.ballots.voter_ids[sums.index(max(sums))]
            raise _Problem(
                lines["votes"].get(voter_id, lines["votes"].get("__section__", 1)),
                _("a ballot gives more than %(most)s points in all")
                % {"most": LIMIT_MAXIMUM["max_sum_points"]},
            )
        settings["max_points_per_project"] = limits["max_points"]
    else:
        settings["ballot_type"] = BallotType.SCORING
        points = election.ballots.points.tolist() if election.ballots.points is not None else []
        settings["max_points_per_project"] = limits["max_points"] or max(1, int(max(points, default=1)))
    if settings["rule"] not in RULES_FOR_BALLOT[settings["ballot_type"]]:
        # The file's rule would ignore its ranks or points (see models.RULES_FOR_BALLOT): count by score.
        settings["rule"] = Rule.GREEDY
    return settings


def _points(value: Fraction, line: int) -> int:
    if Fraction(value).denominator != 1:
        raise _Problem(
            line, _("points %(points)s is not a whole number") % {"points": format_number(Fraction(value))}
        )
    return int(value)


@transaction.atomic
def budget_import(*, actor: User | None, space: Space, text: str, title: str = "") -> Budget:
    """Create a budget, its projects and its ballots from the text of a `.pb` file; voting is closed."""
    if actor is not None and not space_access.has_role(actor, space, space_access.HOST):
        raise PermissionDenied(_("Only a host can import a budget."))
    text = text.removeprefix("\ufeff")
    try:
        election = parse(text)
    except PabulibError as error:
        raise _error(error.line, error.problem) from error
    lines = _row_lines(text)
    try:
        return _import(actor, space, election, lines, title)
    except _Problem as problem:
        raise _error(problem.line, problem.problem) from problem


def _import(
    actor: User | None, space: Space, election: Election, lines: dict[str, dict[str, int]], title: str
) -> Budget:
    meta = election.meta
    name = (title or meta.get("description") or meta.get("instance") or _("Imported budget")).strip()[:140]
    budget = Budget(
        space=space,
        stage=co_commissioning_stage(space),
        title=name,
        phase=Phase.RESULTS,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        pabulib_meta=dict(meta),
        **_settings(election, lines),
    )
    budget.full_clean()
    budget.save()

    project_lines = lines["projects"]
    started = timezone.now()
    projects = []
    for index, pb in enumerate(election.projects):
        line = project_lines.get(pb.project_id, project_lines.get("__section__", 1))
        if len(pb.project_id) > 64:
            raise _Problem(line, _("project_id %(id)s is longer than 64 characters") % {"id": pb.project_id})
        fields = pb.fields
        project = Project(
            budget=budget,
            external_id=pb.project_id,
            status=ProjectStatus.FEASIBLE,
            cost=_money(pb.cost, line, _("The cost of project %(id)s") % {"id": pb.project_id}),
            title=(fields.get("name") or _("Project %(id)s") % {"id": pb.project_id}).strip()[:140],
            description=fields.get("description", "")[:5000],
            category=fields.get("category", "")[:60],
            area=(fields.get("area") or fields.get("district") or fields.get("subunit") or "")[:120],
            pabulib_fields=dict(fields),
            # File order is submission order, so tie-breaking by submission follows the file.
            submitted_at=started + timedelta(microseconds=index),
        )
        project.full_clean(exclude=["budget"], validate_constraints=False)  # checked above; one query each
        projects.append(project)
    Project.objects.bulk_create(projects)
    pk_of = {p.external_id: p.pk for p in projects}

    vote_lines = lines["votes"]
    points_ballots = election.vote_type in ("cumulative", "scoring")
    voters, ballots = [], []
    now = timezone.now()
    for v in range(election.num_voters):
        ballot = election.ballot(v)
        line = vote_lines.get(ballot.voter_id, vote_lines.get("__section__", 1))
        if len(ballot.voter_id) > 64:
            raise _Problem(line, _("voter_id %(id)s is longer than 64 characters") % {"id": ballot.voter_id})
        if points_ballots:
            values = [_points(x, line) for x in ballot.points or ()]
        else:
            values = (
                list(range(1, len(ballot.projects) + 1))
                if election.vote_type == "ordinal"
                else [1] * len(ballot.projects)
            )
        choices = [[pk_of[pid], value] for pid, value in zip(ballot.projects, values, strict=True)]
        voters.append(
            Voter(budget=budget, reference=ballot.voter_id, method=VotingMethod.IMPORTED, voted_at=now)
        )
        ballots.append(
            Ballot(
                budget=budget,
                voter_key=voter_key(budget.pk, reference_identity(ballot.voter_id)),
                choices=choices,
                fields=ballot.fields,
            )
        )
    Voter.objects.bulk_create(voters, batch_size=2000)
    random.SystemRandom().shuffle(ballots)  # rows in file order would pair each ballot with its Voter row
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    audit.record(
        actor=actor,
        action="budget.imported",
        target=budget,
        space=space,
        summary=_(
            "Budget “%(title)s” imported from a Pabulib file: %(projects)s projects, %(ballots)s ballots"
        )
        % {"title": budget.title, "projects": len(projects), "ballots": len(ballots)},
        public=True,
    )
    results_schedule(budget)
    return budget


def budget_export(budget: Budget, *, selected: list[int] | None = None) -> str:
    """The budget as the text of a `.pb` file. `selected`: funded project ids, written in a `selected` column."""
    projects = list(budget.projects.filter(status=ProjectStatus.FEASIBLE).order_by("submitted_at", "id"))
    position = {p.pk: index for index, p in enumerate(projects)}
    vote_type = VOTE_TYPES[BallotType(budget.ballot_type)]
    points_ballots = vote_type in ("cumulative", "scoring")
    if (
        vote_type == "approval"
        and budget.pabulib_meta.get("vote_type") == "choose-1"
        and budget.max_projects == 1
    ):
        vote_type = "choose-1"

    rows = list(Ballot.objects.filter(budget=budget).values_list("choices", "fields"))
    random.SystemRandom().shuffle(rows)
    marks, points, field_rows = [], [], []
    votes = [0] * len(projects)
    for choices, fields in rows:
        kept = [(pid, value) for pid, value in choices if pid in position]
        if vote_type == "ordinal":
            kept.sort(key=lambda pair: pair[1])
        marks.append([position[pid] for pid, _value in kept])
        points.append([value for _pid, value in kept])
        field_rows.append(fields or {})
        for pid, _value in kept:
            votes[position[pid]] += 1
    names = list(dict.fromkeys(name for fields in field_rows for name in fields))
    voter_fields = {name: [str(fields.get(name, "")) for fields in field_rows] for name in names}
    ballots = Ballots.from_lists(
        marks, points if points_ballots else None, [str(n) for n in range(1, len(rows) + 1)], voter_fields
    )
    chosen = set(selected or ())
    pb_projects = []
    for index, project in enumerate(projects):
        fields = {k: v for k, v in project.pabulib_fields.items() if k not in ("project_id", "cost")}
        fields["name"] = project.title
        if project.category:
            fields["category"] = project.category
        fields["votes"] = str(votes[index])
        if selected is not None:
            fields["selected"] = "1" if project.pk in chosen else "0"
        pb_projects.append(PbProject(project.pabulib_id, Fraction(project.cost), fields))
    return write(Election(_meta(budget, vote_type, len(projects), len(rows)), pb_projects, ballots))


def _meta(budget: Budget, vote_type: str, num_projects: int, num_votes: int) -> dict[str, str]:
    meta = {k: v for k, v in budget.pabulib_meta.items() if k not in LIMIT_KEYS}
    meta.setdefault("description", budget.title)
    meta.update(
        {
            "num_projects": str(num_projects),
            "num_votes": str(num_votes),
            "budget": format_number(Fraction(budget.amount)),
            "vote_type": vote_type,
            "rule": budget.rule,
            "currency": budget.currency,
        }
    )
    kind = budget.ballot_type
    if kind == BallotType.APPROVAL and vote_type != "choose-1":
        if budget.min_projects > 1:
            meta["min_length"] = str(budget.min_projects)
        if budget.max_projects is not None:
            meta["max_length"] = str(budget.max_projects)
    elif kind == BallotType.KNAPSACK:
        meta["max_sum_cost"] = format_number(Fraction(budget.amount))
        if budget.min_share_percent:
            meta["min_sum_cost"] = format_number(Fraction(budget.min_spend))
    elif kind == BallotType.RANKED and budget.max_ranked:
        meta["max_length"] = str(budget.max_ranked)
    elif kind == BallotType.CUMULATIVE:
        meta["max_sum_points"] = str(budget.points_total)
        if budget.max_points_per_project:
            meta["max_points"] = str(budget.max_points_per_project)
    elif kind == BallotType.SCORING:
        meta["max_points"] = str(budget.max_points_per_project)
        if "min_points" in budget.pabulib_meta:
            meta["min_points"] = budget.pabulib_meta["min_points"]
    return meta
