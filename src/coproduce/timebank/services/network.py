"""The network's timebank rules, changed by coordinators: whether exchanges need confirming, and the
limits every account follows unless a coordinator gave it its own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib import ledger
from coproduce.people.models import User

from .. import access
from ..models import Account, TimebankSettings


@transaction.atomic
def network_settings_set(
    *,
    actor: User,
    confirmation_required: bool | None = None,
    min_balance: int | None = None,
    max_balance: int | None = None,
) -> TimebankSettings:
    """Change any of the network's rules at once, all or nothing; a limit left out keeps its value."""
    access.require_coordinator(actor)
    if confirmation_required is not None:
        confirmation_required_set(actor=actor, required=confirmation_required)
    if min_balance is not None or max_balance is not None:
        current = TimebankSettings.current()
        network_limits_set(
            actor=actor,
            min_balance=current.default_min_balance if min_balance is None else min_balance,
            max_balance=current.default_max_balance if max_balance is None else max_balance,
        )
    return TimebankSettings.current()


@transaction.atomic
def confirmation_required_set(*, actor: User, required: bool) -> TimebankSettings:
    access.require_coordinator(actor)
    network = TimebankSettings.current()
    if network.confirmation_required != required:
        network.confirmation_required = required
        network.save(update_fields=["confirmation_required", "updated_at"])
        audit.record(
            actor=actor,
            action="timebank.settings.confirmation_changed",
            target=network,
            changes={"confirmation_required": [not required, required]},
            summary=_("Exchanges now need confirmation")
            if required
            else _("Exchanges no longer need confirmation"),
        )
    return network


@transaction.atomic
def network_limits_set(*, actor: User, min_balance: int, max_balance: int) -> TimebankSettings:
    """Change the network's default limits; accounts without their own limits follow them."""
    access.require_coordinator(actor)
    if min_balance > 0 or max_balance < 0:
        raise ValidationError(_("The lowest balance must be zero or less, and the highest zero or more."))
    network = TimebankSettings.current()
    before = audit.snapshot(network, ["default_min_balance", "default_max_balance"])
    network.default_min_balance, network.default_max_balance = min_balance, max_balance
    changes = audit.diff(network, before, ["default_min_balance", "default_max_balance"])
    if changes:
        network.save(update_fields=[*changes, "updated_at"])
        Account.objects.filter(custom_limits=False).update(min_balance=min_balance, max_balance=max_balance)
        audit.record(
            actor=actor,
            action="timebank.settings.limits_changed",
            target=network,
            changes=changes,
            summary=_("Default limits set to %(low)s … %(high)s")
            % {
                "low": ledger.format_minutes(min_balance),
                "high": ledger.format_minutes(max_balance),
            },
        )
    return network
