"""Ballots: casting and changing a ballot, and paper ballots recorded by a facilitator. Writes only: what a
ballot may say is `choices.validate_choices`, the checks before storing it are `selectors.ballot_check`, and
the keyed hash between a voter and their ballot is `keys` (see there, and models.py, for ballot secrecy).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from .. import access
from ..choices import Choices
from ..keys import reference_identity, user_identity, voter_keys
from ..models import Ballot, Budget, Eligibility, Phase, Voter, VotingMethod
from ..selectors.voting import ballot_check, checked_choices

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")


# --- Casting a ballot ---------------------------------------------------------------------------------


def _lock_for_voting(budget: Budget, *, exclusive: bool = False) -> Budget:
    """Lock the budget row while a ballot is written: a host closing the vote waits for ballots in flight,
    and a ballot arriving after the close sees the new phase — no ballot lands after the count.

    A ballot cast online takes a shared lock (PostgreSQL's FOR SHARE): ballots of different people are written
    side by side, each person's own rows are locked below (`_voter_row`, `_store_ballot`), and every change of
    phase (`services.budgets`, FOR UPDATE) still waits for all of them, while ballots asking after it wait for
    it and then see the new phase. With an exclusive lock each ballot waited for every other: on a voting
    evening casting queued (bench/load.py). A paper ballot takes the exclusive lock: its sheet number is
    checked and saved with no other paper ballot in between (`_check_sheet`). SQLite writes one transaction
    at a time anyway."""
    if exclusive or connection.vendor != "postgresql":
        locked = Budget.objects.select_related("space").select_for_update().get(pk=budget.pk)
    else:
        # The row as committed, read as it is locked (Django has no FOR SHARE); nobody can change it while
        # we hold it. Its space is the one the caller was given (a ballot changes nothing in it).
        table = connection.ops.quote_name(Budget._meta.db_table)
        locked = Budget.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [budget.pk])[0]  # noqa: S608
        locked.space = budget.space
    if locked.phase != Phase.VOTE:
        raise ValidationError(_("Voting is not open."), code="closed")
    return locked


def _voter_row(budget: Budget, **identity: Any) -> tuple[Voter, bool]:
    """The voter's row, created if this is their first ballot. Two first ballots sent at once both try to
    insert it; the unique constraint lets one in and the other (in its savepoint) then finds that row."""
    # `of=("self",)`: only the voter's row. The default ordering joins the budget, whose row would be locked
    # for update too, and two ballots holding its shared lock would then wait for each other (deadlock).
    voter = Voter.objects.select_for_update(of=("self",)).filter(budget=budget, **identity).first()
    if voter is not None:
        return voter, False
    try:
        with transaction.atomic():
            return Voter.objects.create(budget=budget, **identity), True
    except IntegrityError:
        return Voter.objects.select_for_update(of=("self",)).get(budget=budget, **identity), False


def _store_ballot(budget: Budget, identity: str, choices: Choices) -> None:
    """Insert the ballot, or replace its choices. Same race, same answer as `_voter_row`."""
    keys = voter_keys(budget.pk, identity)
    ballot = Ballot.objects.select_for_update(of=("self",)).filter(budget=budget, voter_key__in=keys).first()
    if ballot is None:
        try:
            with transaction.atomic():
                Ballot.objects.create(budget=budget, voter_key=keys[0], choices=choices)
                return
        except IntegrityError:
            ballot = Ballot.objects.select_for_update(of=("self",)).get(budget=budget, voter_key=keys[0])
    ballot.choices, ballot.voter_key = choices, keys[0]
    # The fields only: one ballot per key and a non-empty key are the database's constraints (and this row
    # is locked), and the budget is the one locked above. Checking them here cost five more queries.
    ballot.full_clean(exclude=["budget"], validate_unique=False, validate_constraints=False)
    ballot.save(update_fields=["choices", "voter_key"])


@transaction.atomic
def ballot_submit(
    *, actor: User, budget: Budget, choices: Iterable[Sequence[Any]], confirmed_eligibility: bool = False
) -> Voter:
    """Cast or change the actor's own ballot."""
    budget = _lock_for_voting(budget)
    stored = ballot_check(
        actor=actor, budget=budget, choices=choices, confirmed_eligibility=confirmed_eligibility
    )
    voter, created = _voter_row(budget, user=actor)
    changes = []
    if voter.method != VotingMethod.ONLINE or voter.recorded_by_id is not None:
        # A ballot recorded for them on paper is now their own, and nobody else may change it; it no longer
        # comes from a paper sheet.
        voter.method, voter.recorded_by, voter.sheet = VotingMethod.ONLINE, None, ""
        changes += ["method", "recorded_by", "sheet"]
    if confirmed_eligibility and not voter.confirmed_eligibility:
        voter.confirmed_eligibility = True
        changes.append("confirmed_eligibility")
    if not created:
        voter.changed_at = timezone.now()
        changes.append("changed_at")
    if changes:
        voter.save(update_fields=changes)
    _store_ballot(budget, user_identity(actor), stored)
    audit.record(
        actor=actor,
        action="ballot.cast" if created else "ballot.changed",
        target=voter,
        space=budget.space,
        summary=(_("Voted in “%(budget)s”") if created else _("Changed their ballot in “%(budget)s”"))
        % {"budget": budget.title},
    )
    return voter


@transaction.atomic
def paper_ballot_record(
    *,
    actor: User,
    budget: Budget,
    choices: Iterable[Sequence[Any]],
    member: User | None = None,
    reference: str = "",
    sheet: str = "",
    confirmed_eligibility: bool = False,
) -> Voter:
    """A facilitator records a ballot cast on paper or with help: for a member of the space whom they may
    act for (`spaces.access.can_act_for`: no account, or asked for help), or for a resident without an
    account, by the reference number written on the paper ballot. A ballot the member cast online
    themself is never replaced (`Conflict`).

    `sheet` is the number printed on the ballot sheet (see the printable ballot): unique in the budget, so
    each typed-in ballot traces to one paper. For a resident without an account it is also their reference
    when no other reference is given."""
    budget = _lock_for_voting(budget, exclusive=True)
    decision = access.can_record_paper_ballots(actor, budget)
    if not decision:
        raise PermissionDenied(decision.reason)
    reference, sheet = (reference or "").strip(), (sheet or "").strip()
    if member is None and not reference and sheet:
        reference = sheet
    if (member is None) == (not reference):
        raise ValidationError(
            {"member": [_("Choose the member who voted, or give the reference number of a paper ballot.")]}
        )
    stored = checked_choices(
        budget,
        choices,
        confirm_missing=budget.eligibility == Eligibility.RESIDENTS and not confirmed_eligibility,
        confirm_message=_("Confirm that you checked this person may vote."),
    )
    if member is not None:
        # The same rule as every other "on behalf" path: people without an account, or who asked for help.
        space_access.can_act_for(actor, member, budget.space).enforce("member")
        existing = Voter.objects.filter(budget=budget, user=member).first()
        if existing is not None and existing.method == VotingMethod.ONLINE and member.pk != actor.pk:
            # Once a person has voted themself, their ballot is theirs alone.
            raise space_access.Conflict(
                {
                    "member": [
                        _(
                            "%(name)s has already voted online. Only they can change their ballot, "
                            "until voting closes."
                        )
                        % {"name": member}
                    ]
                }
            )
        who: dict[str, Any] = {"user": member}
        identity = user_identity(member)
    else:
        if not REFERENCE.match(reference):
            raise ValidationError({"reference": [_("Use up to 40 letters, digits, dashes or slashes.")]})
        if budget.eligibility == Eligibility.MEMBERS:
            raise ValidationError(
                {
                    "reference": [
                        _(
                            "Only members vote in this budget. Add the person as a member who takes part with help first, "
                            "then record their ballot for them."
                        )
                    ]
                }
            )
        if Voter.objects.filter(budget=budget, reference=reference).exists():
            raise ValidationError(
                {"reference": [_("A ballot with this reference number is already recorded.")]}
            )
        who = {"reference": reference}
        identity = reference_identity(reference)
    if sheet:
        _check_sheet(budget, sheet, who)
    voter, created = _voter_row(budget, **who)
    old_sheet = voter.sheet
    voter.method, voter.recorded_by, voter.sheet = VotingMethod.PAPER, actor, sheet
    voter.confirmed_eligibility = voter.confirmed_eligibility or confirmed_eligibility
    fields = ["method", "recorded_by", "sheet", "confirmed_eligibility"]
    if not created:
        voter.changed_at = timezone.now()
        fields.append("changed_at")
    voter.save(update_fields=fields)
    _store_ballot(budget, identity, stored)
    summary = (
        (_("Paper ballot recorded for %(name)s") % {"name": member})
        if member is not None
        else _("Paper ballot recorded with reference %(reference)s") % {"reference": reference}
    )
    if sheet:
        summary += " " + _("(ballot sheet %(sheet)s)") % {"sheet": sheet}
    event = audit.record(
        actor=actor,
        on_behalf_of=member,
        action="ballot.paper_recorded",
        target=voter,
        space=budget.space,
        summary=summary,
        changes={"sheet": [old_sheet, sheet]} if old_sheet != sheet else None,
    )
    acted_on_behalf(
        actor=actor,
        person=member,
        act=OnBehalfAct.BALLOT,
        url=budget.get_absolute_url(),
        space=budget.space,
        key=str(event.pk),
    )
    return voter


def _check_sheet(budget: Budget, sheet: str, who: dict[str, Any]) -> None:
    """A sheet number is typed in once per budget. The budget row is locked (`_lock_for_voting`), so no
    other ballot of this budget is being recorded meanwhile: this check and the save cannot interleave; the
    unique constraint `one_voter_per_sheet_per_budget` still stands behind it."""
    if not REFERENCE.match(sheet):
        raise ValidationError(
            {"sheet": [_("Type the number as it is printed on the sheet: letters, digits and dashes.")]}
        )
    taken = (
        Voter.objects.filter(budget=budget, sheet=sheet).exclude(**who).select_related("recorded_by").first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "sheet": [
                    _(
                        "Ballot sheet %(sheet)s was already typed in on %(when)s. Check the number on the "
                        "sheet: each sheet is counted once."
                    )
                    % {
                        "sheet": sheet,
                        "when": date_format(
                            timezone.localtime(taken.changed_at or taken.voted_at), "j M Y, H:i"
                        ),
                    }
                ]
            },
            code="sheet_taken",
        )
