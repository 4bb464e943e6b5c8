"""Importing another timebank's history from CSV (the CSV going out is read in `selectors.exports`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.validators import has_control_characters, one_line, sensible_date_error, single_line
from coproduce.lib import ledger
from coproduce.people.models import Organisation, User

from .. import access
from ..models import Account, MemberStatus, TimebankMember, Transfer, TransferKind
from ..selectors.exports import IMPORT_COLUMNS
from .accounts import account_for_organisation, account_for_user, community_pot
from .ledger import transfer_create

MAX_IMPORT_ROWS = 20_000


@dataclass
class ImportResult:
    transfers: int
    minutes: int
    already_imported: int


def _account_for(
    text: str, people: dict[str, User], organisations: dict[str, Organisation]
) -> Callable[[], Account] | None:
    """ "someone@example.org", "org:riverside-trust" or "pot" -> an account maker, or None."""
    value = text.strip()
    if value.lower() == "pot":
        return community_pot
    if value.lower().startswith("org:"):
        organisation = organisations.get(value[4:].strip().lower())
        return (lambda: account_for_organisation(organisation)) if organisation else None
    person = people.get(value.lower())
    return (lambda: account_for_user(person)) if person else None


@transaction.atomic
def history_import(*, actor: User, data: bytes | str, source: str = "") -> ImportResult:
    """Import another timebank's history: all rows or none. Columns: date (YYYY-MM-DD), giver and
    receiver (the email address of a member of this timebank, "org:<organisation slug>" or "pot"), hours,
    description. A person who is not an approved member of the timebank is refused, with the row.

    Balance limits are not applied to imported history: it already happened elsewhere. Importing the
    same file twice imports nothing the second time.
    """
    access.require_coordinator(actor)
    raw = data.encode() if isinstance(data, str) else data
    digest = hashlib.sha256(raw).hexdigest()[:16]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file must be a CSV file saved as UTF-8.")) from error
    reader = csv.DictReader(io.StringIO(text))
    rows: list[dict] = []
    header: list[str] = []
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [c for c in IMPORT_COLUMNS if c not in header]
        if missing:
            raise ValidationError(
                _("The first row must name the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(IMPORT_COLUMNS), "missing": ", ".join(missing)}
            )
        reader.fieldnames = header
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_IMPORT_ROWS:
                raise ValidationError(_("Import at most %(n)s rows at a time.") % {"n": MAX_IMPORT_ROWS})
    except csv.Error as error:
        raise ValidationError(_unreadable(len(rows) + 2 if header else 1, error)) from error
    if not rows:
        raise ValidationError(_("The file has no rows to import."))

    emails = {(row.get(c) or "").strip().lower() for row in rows for c in ("giver", "receiver")}
    people: dict[str, User] = {
        (u.email or "").lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(
            # Nothing that could not be an address goes to the database (PostgreSQL refuses NUL).
            email_lower__in=[e for e in emails if "@" in e and not has_control_characters(e)]
        )
    }
    # Imported time goes only to members: a credit to anyone else would be a balance they never
    # agreed to hold, in a timebank they never joined.
    members = set(
        TimebankMember.objects.filter(
            user__in=list(people.values()), status=MemberStatus.APPROVED
        ).values_list("user_id", flat=True)
    )
    organisations = {o.slug: o for o in Organisation.objects.all()}

    errors: list[str] = []
    plan: list[tuple[int, dt.date, Callable[[], Account], Callable[[], Account], int, str]] = []
    today = timezone.localdate()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        problems = []
        try:
            when = dt.date.fromisoformat((row.get("date") or "").strip())
            if when > today:
                problems.append(_("the date is in the future"))
            elif problem := sensible_date_error(when):
                problems.append(problem)
        except ValueError:
            problems.append(_("the date must look like 2024-03-31"))
            when = None
        makers = []
        for column in ("giver", "receiver"):
            value = (row.get(column) or "").strip()
            maker = _account_for(value, people, organisations) if value else None
            person = people.get(value.lower())
            if maker is None:
                problems.append(
                    _("nobody here matches the %(column)s “%(value)s”")
                    % {"column": column, "value": one_line(value)[:254]}
                )
            elif person is not None and person.pk not in members:
                problems.append(
                    _("the %(column)s “%(value)s” (%(name)s) is not a member of the timebank")
                    % {"column": column, "value": value, "name": person.display_name}
                )
            makers.append((value.lower(), maker))
        if makers[0][0] and makers[0][0] == makers[1][0]:
            problems.append(_("the giver and the receiver are the same"))
        try:
            minutes = ledger.parse_hours(row.get("hours") or "")
        except ledger.LedgerError:
            problems.append(_("the hours must be a positive number in quarter hours, like 1.5"))
            minutes = 0
        description = " ".join((row.get("description") or "").split())
        if not description:
            problems.append(_("the description is empty"))
        else:
            try:
                single_line(description)
            except ValidationError as error:
                problems.append(_("the description: %(problem)s") % {"problem": " ".join(error.messages)})
        (_g, giver), (_r, receiver) = makers
        if problems or when is None or giver is None or receiver is None:
            errors.append(_("Row %(n)s: %(problems)s.") % {"n": number, "problems": "; ".join(problems)})
        else:
            plan.append((number, when, giver, receiver, minutes, description))
    if errors:
        raise ValidationError(
            errors[:50]
            + (
                [_("…and %(n)s more rows with problems.") % {"n": len(errors) - 50}]
                if len(errors) > 50
                else []
            )
        )

    created = before = total = 0
    for number, when, giver, receiver, minutes, description in plan:
        key = f"import:{digest}:{number}"
        if Transfer.objects.filter(key=key).exists():
            before += 1
            continue
        transfer_create(
            actor=actor,
            postings=[(giver(), minutes), (receiver(), -minutes)],
            kind=TransferKind.IMPORT,
            description=description,
            key=key,
            enforce_limits=False,
            happened_at=timezone.make_aware(dt.datetime.combine(when, dt.time(12))),
            audit_summary=_("Imported from %(source)s, row %(n)s")
            % {"source": source or _("a CSV file"), "n": number},
        )
        created += 1
        total += minutes
    audit.record(
        actor=actor,
        action="timebank.history.imported",
        target=actor,
        summary=_("Imported %(n)s transfers (%(hours)s) from %(source)s")
        % {"n": created, "hours": ledger.format_minutes(total), "source": source or _("a CSV file")},
    )
    return ImportResult(transfers=created, minutes=total, already_imported=before)


def _unreadable(number: int, error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return _(
            "Row %(n)s has a cell longer than %(limit)s characters, so the file cannot be read. "
            "Nothing was imported."
        ) % {"n": number, "limit": f"{csv.field_size_limit():,}"}
    return _("Row %(n)s cannot be read as CSV (%(problem)s). Nothing was imported.") % {
        "n": number,
        "problem": str(error),
    }
