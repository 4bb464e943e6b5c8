"""CSV out: every exchange and every balance (for coordinators), a member's statement, and the example
file for importing another timebank's history."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, Sum

from coproduce.lib import ledger

from ..models import Account, Exchange, Posting

IMPORT_COLUMNS = ["date", "giver", "receiver", "hours", "description"]


def _safe(value: Any) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading apostrophe stops that."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write(rows: Iterable[Iterable[Any]], header: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()


def exchanges_csv() -> str:
    """Every exchange, for coordinators: one row each, with both sides and its status."""
    exchanges = (
        Exchange.objects.select_related("recorded_by")
        .prefetch_related("parties__account__user", "parties__account__organisation")
        .order_by("happened_on", "id")
    )
    rows = []
    for exchange in exchanges.iterator(chunk_size=500):
        parties = list(exchange.parties.all())
        rows.append(
            [
                exchange.pk,
                exchange.happened_on.isoformat(),
                exchange.what,
                "; ".join(p.account.owner_name for p in parties if p.side == "gave"),
                "; ".join(p.account.owner_name for p in parties if p.side == "received"),
                ledger.hours_text(exchange.minutes),
                exchange.status,
                exchange.transfer_id or "",
                exchange.recorded_by or "",
            ]
        )
    return _write(
        rows, ["id", "date", "what", "gave", "received", "hours_each", "status", "transfer", "recorded_by"]
    )


def balances_csv() -> str:
    """Every account's balance and limits, for coordinators."""
    accounts = (
        Account.objects.select_related("user", "organisation")
        .annotate(
            credited=Sum("postings__amount", filter=Q(postings__amount__gt=0)),
            debited=Sum("postings__amount", filter=Q(postings__amount__lt=0)),
        )
        .order_by("kind", "id")
    )
    rows = [
        [
            a.pk,
            a.kind,
            a.owner_name,
            ledger.hours_text(a.balance),
            ledger.hours_text(a.credited or 0),
            ledger.hours_text(-(a.debited or 0)),
            ledger.hours_text(a.min_balance),
            ledger.hours_text(a.max_balance),
        ]
        for a in accounts
    ]
    return _write(
        rows, ["account", "kind", "name", "balance_hours", "hours_in", "hours_out", "lowest", "highest"]
    )


def statement_csv(account: Account) -> str:
    """A member's statement: each posting with the balance after it."""
    rows, running = [], 0
    postings = Posting.objects.filter(account=account).select_related("transfer").order_by("id")
    for posting in postings.iterator(chunk_size=500):
        running += posting.amount
        t = posting.transfer
        rows.append(
            [
                t.happened_at.date().isoformat(),
                t.get_kind_display(),
                t.description,
                ledger.hours_text(posting.amount),
                ledger.hours_text(running),
                t.pk,
            ]
        )
    return _write(rows, ["date", "kind", "description", "hours", "balance_after", "transfer"])


def import_template() -> str:
    return _write(
        [["2024-03-31", "giver@example.org", "org:riverside-trust", "1.5", "Gardening"]], IMPORT_COLUMNS
    )
