"""What a ballot may say: a voter's choices checked against the budget's limits, in plain words.

Pure checking on a budget and its projects as given (no database): the voting page's running total, the
confirmation step and the services that store a ballot all ask `validate_choices`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import BallotType, Budget, Project
from .money import format_money

Choices = list[list[int]]  # [[project id, value], ...] in the voter's order


def as_pairs(choices: Iterable[Sequence[int]] | Mapping[int, int]) -> list[tuple[int, int]]:
    """(project id, value) pairs as integers; TypeError or ValueError when they are not."""
    items = choices.items() if isinstance(choices, Mapping) else choices
    found = []
    for item in items:
        project_id, value = item
        found.append((int(project_id), int(value)))
    return found


def validate_choices(budget: Budget, projects: Mapping[int, Project], choices) -> Choices:
    """The ballot in its stored form, or a ValidationError listing every problem in plain words.

    `choices` are (project id, value) pairs: value is ignored for approval and knapsack ballots, is the rank
    for ranked ballots and the points for cumulative and scoring ballots (0 means "not chosen").
    """
    try:
        pairs = as_pairs(choices)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("The ballot could not be read."), code="unreadable") from error
    kind = budget.ballot_type
    if kind in (BallotType.CUMULATIVE, BallotType.SCORING, BallotType.RANKED):
        if any(value < 0 for _pid, value in pairs):
            raise ValidationError(_("Points and ranks cannot be below zero."), code="negative")
        pairs = [(pid, value) for pid, value in pairs if value > 0]
    errors: list[ValidationError] = []
    ids = [pid for pid, _value in pairs]
    if len(set(ids)) != len(ids):
        errors.append(ValidationError(_("The ballot names a project twice."), code="duplicate"))
    if any(pid not in projects for pid in ids):
        errors.append(
            ValidationError(_("The ballot names a project that is not on the ballot paper."), code="unknown")
        )
    if errors:
        raise ValidationError(errors)
    if not pairs:
        raise ValidationError(_("Choose at least one project."), code="empty")

    count = len(pairs)
    if kind == BallotType.APPROVAL:
        if count < budget.min_projects:
            errors.append(
                ValidationError(
                    ngettext(
                        "Choose at least %(n)s project.",
                        "Choose at least %(n)s projects.",
                        budget.min_projects,
                    )
                    % {"n": budget.min_projects},
                    code="too_few",
                )
            )
        if budget.max_projects is not None and count > budget.max_projects:
            errors.append(
                ValidationError(
                    ngettext(
                        "Choose at most %(n)s project.", "Choose at most %(n)s projects.", budget.max_projects
                    )
                    % {"n": budget.max_projects},
                    code="too_many",
                )
            )
        stored = [[pid, 1] for pid in ids]
    elif kind == BallotType.KNAPSACK:
        total = sum((projects[pid].cost for pid in ids), Decimal(0))
        if total > budget.amount:
            errors.append(
                ValidationError(
                    _("Your projects cost %(total)s, more than the budget of %(amount)s. Remove a project.")
                    % {
                        "total": format_money(total, budget.currency),
                        "amount": format_money(budget.amount, budget.currency),
                    },
                    code="over_budget",
                )
            )
        elif total < budget.min_spend:
            errors.append(
                ValidationError(
                    _(
                        "Your projects cost %(total)s. Choose projects worth at least %(least)s (%(share)s%% of the budget)."
                    )
                    % {
                        "total": format_money(total, budget.currency),
                        "least": format_money(budget.min_spend, budget.currency),
                        "share": budget.min_share_percent,
                    },
                    code="under_minimum",
                )
            )
        stored = [[pid, 1] for pid in ids]
    elif kind == BallotType.CUMULATIVE:
        used = sum(value for _pid, value in pairs)
        if budget.points_total is not None and used > budget.points_total:
            errors.append(
                ValidationError(
                    _("You gave %(used)s points, but you have %(total)s to share.")
                    % {"used": used, "total": budget.points_total},
                    code="too_many_points",
                )
            )
        cap = budget.max_points_per_project
        if cap is not None and any(value > cap for _pid, value in pairs):
            errors.append(
                ValidationError(
                    _("Give each project at most %(n)s points.") % {"n": cap}, code="too_many_for_one"
                )
            )
        stored = [[pid, value] for pid, value in pairs]
    elif kind == BallotType.SCORING:
        cap = budget.max_points_per_project or 0
        if any(value > cap for _pid, value in pairs):
            errors.append(
                ValidationError(_("Scores go from 0 to %(n)s.") % {"n": cap}, code="score_too_high")
            )
        stored = [[pid, value] for pid, value in pairs]
    else:  # ranked: the order of the ranks is what counts; gaps (1, 2, 4) close up
        ranks = [value for _pid, value in pairs]
        if len(set(ranks)) != len(ranks):
            errors.append(ValidationError(_("Give each project a different rank."), code="same_rank"))
        if budget.max_ranked is not None and count > budget.max_ranked:
            errors.append(
                ValidationError(
                    ngettext("Rank at most %(n)s project.", "Rank at most %(n)s projects.", budget.max_ranked)
                    % {"n": budget.max_ranked},
                    code="too_many",
                )
            )
        ordered = sorted(pairs, key=lambda pair: pair[1])
        stored = [[pid, position] for position, (pid, _rank) in enumerate(ordered, start=1)]
    if errors:
        raise ValidationError(errors)
    return stored
