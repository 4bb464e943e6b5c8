"""What the timebank has waiting for a person, for their home page (the manifest's "waiting_for")."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from coproduce.core.registry import Urgency, WaitingItem

from .. import access
from .exchanges import disputes, waiting_for
from .members import pending_members


def _item(kind: str, title: str, url: str, detail: str) -> WaitingItem:
    return WaitingItem(
        module="timebank", kind=kind, title=title, url=url, urgency=Urgency.WAITING_ON_YOU, detail=detail
    )


def waiting_items(user: Any) -> list[WaitingItem]:
    """Exchanges waiting for the person's confirmation; for coordinators also the disputed exchanges to
    resolve and the people waiting to be welcomed. A fixed number of queries, however many there are."""
    if not user.is_authenticated:
        return []
    items = [
        _item(
            "exchange_to_confirm",
            _("Confirm the exchange: %(what)s") % {"what": exchange.what},
            reverse("timebank:exchange", args=[exchange.pk]),
            _("%(hours)s on %(day)s")
            % {"hours": exchange.hours_display, "day": date_format(exchange.happened_on)},
        )
        for exchange in waiting_for(user)
    ]
    if not access.is_coordinator(user):
        return items
    items += [
        _item(
            "dispute",
            _("Resolve the disputed exchange: %(what)s") % {"what": exchange.what},
            reverse("timebank:exchange", args=[exchange.pk]),
            Truncator(exchange.dispute_reason).chars(120),
        )
        for exchange in disputes()
    ]
    items += [
        _item(
            "member_to_welcome",
            _("Welcome %(name)s to the timebank") % {"name": record.user.display_name},
            reverse("timebank:member", args=[record.pk]),
            _("Asked to join on %(day)s") % {"day": date_format(timezone.localtime(record.joined_at))},
        )
        for record in pending_members()
    ]
    return items
