"""Ledger arithmetic for the timebank, on plain data: no Django here.

Money is time. Amounts are whole minutes (integers, so sums are exact); exchanges move time in
quarter-hour steps. A transfer is a set of postings (account, amount) that sums to zero: what one
account gives, others receive (double entry).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STEP = 15  # minutes: exchanges are recorded in quarter hours
HOUR = 60
# No single entry (an exchange for each person, a gift, a grant, an imported row) is more than this: it
# keeps typing slips out. The database holds exchanges to it too (timebank_exchange_minutes_capped).
MAX_MINUTES = 10_000 * HOUR
TOO_MUCH = "No single entry can be more than 10,000 hours."


class LedgerError(ValueError):
    """Input that cannot become a valid transfer. `code` lets the web layer show a translated message;
    the English message is the default."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Limits:
    minimum: int
    maximum: int


_HOURS_AND_MINUTES = re.compile(
    r"^\s*(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*(?:m(?:in(?:ute)?s?)?)?)?\s*$", re.I
)


def parse_hours(text: str | int | float) -> int:
    """People write time in many ways: "1.5", "1,5", "1:30", "1h30", "90 min" -> 90 minutes.

    Raises LedgerError for anything that is not a whole number of quarter hours.
    """
    if isinstance(text, int | float):
        minutes = round(float(text) * HOUR, 6)
    else:
        raw = text.strip().lower().replace(",", ".")
        if not raw:
            raise LedgerError("Enter a number of hours, for example 1.5 or 1:30.", "not_hours")
        if ":" in raw:
            hours, _, mins = raw.partition(":")
            if not (hours.strip().isdigit() or hours.strip() == "") or not mins.strip().isdigit():
                raise LedgerError("Write hours and minutes like 1:30.", "not_hours")
            minutes = int(hours or 0) * HOUR + int(mins)
        else:
            match = _HOURS_AND_MINUTES.match(raw) if re.search(r"[a-z]", raw) else None
            if match and (match.group(1) or match.group(2)):
                minutes = int(match.group(1) or 0) * HOUR + int(match.group(2) or 0)
            else:
                try:
                    minutes = round(float(raw) * HOUR, 6)
                except ValueError:
                    raise LedgerError(
                        "Enter a number of hours, for example 1.5 or 1:30.", "not_hours"
                    ) from None
    if not math.isfinite(minutes):
        raise LedgerError("Enter a number of hours, for example 1.5 or 1:30.", "not_hours")
    if abs(minutes) > MAX_MINUTES:
        raise LedgerError(TOO_MUCH, "too_much")
    if minutes != int(minutes):
        raise LedgerError("Use quarter hours: 15, 30 or 45 minutes past the hour.", "step")
    return check_step(int(minutes))


def check_step(minutes: int) -> int:
    """A positive whole number of quarter hours, at most MAX_MINUTES, or LedgerError."""
    if minutes <= 0:
        raise LedgerError("The time must be more than zero.", "not_positive")
    if minutes > MAX_MINUTES:
        raise LedgerError(TOO_MUCH, "too_much")
    if minutes % STEP:
        raise LedgerError("Use quarter hours: 15, 30 or 45 minutes past the hour.", "step")
    return minutes


def format_minutes(minutes: int, *, signed: bool = False) -> str:
    """90 -> "1.5 h"; -15 -> "−0.25 h". Plain enough for a statement; templates may say it in words."""
    sign = "−" if minutes < 0 else ("+" if signed and minutes > 0 else "")
    whole, rest = divmod(abs(minutes), HOUR)
    if rest == 0:
        return f"{sign}{whole} h"
    return f"{sign}{whole + rest / HOUR:.2f}".rstrip("0").rstrip(".") + " h"


def hours_text(minutes: int) -> str:
    """A decimal number of hours for CSV files: 90 -> "1.5", -135 -> "-2.25"."""
    sign = "-" if minutes < 0 else ""
    whole, rest = divmod(abs(minutes), HOUR)
    if rest == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole + rest / HOUR:.4f}".rstrip("0").rstrip(".")


def merge(postings: Iterable[tuple[object, int]]) -> dict[object, int]:
    """Combine postings to the same account, dropping those that cancel out; keeps first-seen order."""
    total: dict[object, int] = defaultdict(int)
    for account, amount in postings:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise LedgerError("Amounts must be whole minutes.", "not_minutes")
        total[account] += amount
    return {account: amount for account, amount in total.items() if amount != 0}


def check_balanced(postings: Mapping[object, int]) -> None:
    """Double entry: a transfer's postings sum to zero, and it moves something."""
    if not postings:
        raise LedgerError("A transfer must move some time between two accounts.", "empty")
    if len(postings) < 2:
        raise LedgerError("A transfer needs at least two accounts.", "one_account")
    if sum(postings.values()) != 0:
        raise LedgerError("The amounts given and received must be equal.", "unbalanced")


def breaches(balance: int, amount: int, limits: Limits) -> str | None:
    """Whether adding `amount` to `balance` breaks a limit: "minimum", "maximum" or None.

    Only the direction of travel counts: an account already under its minimum (after its limit was
    raised) may still receive time, and one over its maximum may still give.
    """
    after = balance + amount
    if amount < 0 and after < limits.minimum:
        return "minimum"
    if amount > 0 and after > limits.maximum:
        return "maximum"
    return None


def apply(
    balances: dict[object, int], postings: Mapping[object, int], limits: Mapping[object, Limits]
) -> dict[object, int]:
    """The balances after a transfer, or LedgerError naming the first account whose limit it breaks.

    The model the database must agree with: the property tests run random transfers through both.
    """
    check_balanced(postings)
    for account, amount in postings.items():
        which = breaches(balances.get(account, 0), amount, limits[account])
        if which:
            raise LedgerError(f"{account} would go past its {which} balance.", which)
    after = dict(balances)
    for account, amount in postings.items():
        after[account] = after.get(account, 0) + amount
    return after


def balances_from(postings: Iterable[tuple[object, int]]) -> dict[object, int]:
    """Each account's balance as the sum of its postings."""
    total: dict[object, int] = defaultdict(int)
    for account, amount in postings:
        total[account] += amount
    return dict(total)


@dataclass(frozen=True)
class Discrepancy:
    account: object
    cached: int
    from_postings: int

    def __str__(self) -> str:
        return (
            f"account {self.account}: cached balance {self.cached} min, "
            f"postings sum to {self.from_postings} min"
        )


def discrepancies(cached: Mapping[object, int], posted: Mapping[object, int]) -> list[Discrepancy]:
    """Accounts whose cached balance differs from the sum of their postings."""
    found = []
    for account in sorted(set(cached) | set(posted), key=repr):
        a, b = cached.get(account, 0), posted.get(account, 0)
        if a != b:
            found.append(Discrepancy(account, a, b))
    return found


def reciprocity(given: int, received: int, *, slack: float = 0.1) -> str:
    """ "gives", "receives", "both" or "none": who only gives or only receives (a timebank's health).

    `slack` is the share of one side below which it counts as nothing, so one small exchange in a
    year of giving still reads as "only gives".
    """
    if given == 0 and received == 0:
        return "none"
    total = given + received
    if received <= slack * total:
        return "gives"
    if given <= slack * total:
        return "receives"
    return "both"
