"""A person's data (UK GDPR): their download (right of access and portability) and the erasure of their
account (right to erasure), across every module, through the module manifests (core/registry.py).

Erasure keeps the account's row as a nameless, inactive "Former member" with no email, password or profile,
so that what must stay counted stays counted without saying whose it was: ballots (which never named the
voter), ledger postings (the account keeps its balance, so the ledger still sums to zero and `coproduce
timebank verify` passes), supports, dots and contributions. Each module removes what it holds that is only
about the person (special category data first) and scrubs their name from text others were sent.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.core.models import AuditEvent
from coproduce.core.privacy import FORMER_MEMBER, identifiers, scrub_rows, section
from coproduce.core.registry import PersonalDataSection

from ..access import can_handle_data_of
from ..models import ContactPreference, User

ERASED_NAME = FORMER_MEMBER


# --- The download ---------------------------------------------------------------------------------------


def personal_data(person: User) -> list[PersonalDataSection]:
    """People's own part: the profile, organisations, API tokens (never their secrets) and what the audit
    log says the person did or had done on their behalf."""
    profile = section(
        "people",
        "profile",
        _("Your profile"),
        [person],
        [
            "id",
            "email",
            "display_name",
            "pronouns",
            "bio",
            "what_i_bring",
            "accessibility_needs",
            "contact_preference",
            "is_staff",
            "date_joined",
            "last_login",
        ],
    )
    tags = PersonalDataSection(
        module="people",
        key="tags",
        title=_("Your skills and interests"),
        rows=tuple(
            [{"kind": "skill", "name": t.name} for t in person.skills.all()]
            + [{"kind": "interest", "name": t.name} for t in person.interests.all()]
        ),
    )
    organisations = section(
        "people",
        "organisations",
        _("Your organisations"),
        person.organisation_memberships.select_related("organisation"),
        ["organisation__name", "is_admin", "approved", "joined_at"],
    )
    tokens = section(
        "people",
        "api_tokens",
        _("Your API tokens"),
        person.api_tokens.all(),
        ["name", "prefix", "created_at", "last_used_at"],
    )
    history = section(
        "people",
        "history",
        _("What the audit log records you did, or had done for you"),
        AuditEvent.objects.filter(Q(actor=person) | Q(on_behalf_of=person)).order_by("at", "id"),
        ["at", "action", "summary"],
    )
    return [profile, tags, organisations, tokens, history]


def _all_sections(person: User) -> list[PersonalDataSection]:
    return registry.personal_data(person)


def personal_data_json(person: User) -> dict[str, Any]:
    """Everything every module holds about `person`, as one JSON document."""
    sections = _all_sections(person)
    return {
        "person": person.pk,
        "made_at": timezone.now().isoformat(),
        "sections": [
            {"module": s.module, "key": s.key, "title": s.title, "rows": [dict(r) for r in s.rows]}
            for s in sections
        ],
    }


def personal_data_csv(person: User) -> bytes:
    """The same as a zip of CSV files, one per section (`<module>-<key>.csv`), with a README."""
    buffer = io.BytesIO()
    sections = _all_sections(person)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = [
            _("Your data from coproduce, made on %(when)s.") % {"when": f"{timezone.now():%Y-%m-%d}"},
            "",
        ]
        for s in sections:
            name = f"{s.module}-{s.key}.csv"
            lines.append(f"{name}: {s.title} ({len(s.rows)})")
            out = io.StringIO()
            headers = list(s.rows[0].keys()) if s.rows else ["(none)"]
            writer = csv.DictWriter(out, fieldnames=headers)
            writer.writeheader()
            for row in s.rows:
                writer.writerow(
                    {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
                )
            archive.writestr(name, out.getvalue())
        archive.writestr("README.txt", "\n".join(lines) + "\n")
    return buffer.getvalue()


# --- Erasure --------------------------------------------------------------------------------------------


def _erase_own(person: User) -> dict[str, int]:
    """People's own rows, and the person's name and address wherever others were told them."""
    from django.contrib.admin.models import LogEntry

    names = identifiers(person)
    done = {
        "organisation_memberships": person.organisation_memberships.all().delete()[0],
        "claim_codes": person.claim_codes.all().delete()[0],
        "api_tokens": person.api_tokens.all().delete()[0],
        # allauth's copy of the email address, and sessions: an unusable password ends every session.
        "email_addresses": _delete_email_addresses(person),
        # The audit log keeps what happened, with the name gone from its summaries and changes.
        "audit_events": scrub_rows(AuditEvent.objects.all(), ["summary", "changes"], names),
        "admin_log": scrub_rows(LogEntry.objects.all(), ["object_repr", "change_message"], names),
    }
    # Changes to the profile itself recorded old and new values: keep that it changed, not the values.
    done["audit_events"] += (
        AuditEvent.objects.filter(target_type="people.user", target_id=person.pk)
        .exclude(changes={})
        .update(changes={})
    )
    return done


def _delete_email_addresses(person: User) -> int:
    try:
        from allauth.account.models import EmailAddress
    except ImportError:  # pragma: no cover - allauth is always installed
        return 0
    return EmailAddress.objects.filter(user=person).delete()[0]


@transaction.atomic
def person_erase(*, actor: User, person: User) -> dict[str, dict[str, int]]:
    """Erase `person`'s account: every module forgets them (their `erase`), the row becomes a "Former member"
    who cannot sign in, and the audit log records that it was done, by whom, and how much each module
    removed, without the name. The person themself or a network administrator may do it."""
    if not can_handle_data_of(actor, person):
        raise PermissionDenied(_("Only the person or a network administrator can erase an account."))
    # Lock the row: two erasures at once (the person and an administrator) do the work once.
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("This account has already been erased."))
    if actor.pk != person.pk and person.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can erase a superuser's account."))
    done = registry.erase_everywhere(person)
    done["people"] = _erase_own(person)
    person.email = None
    person.display_name = ERASED_NAME
    person.pronouns = person.bio = person.what_i_bring = person.accessibility_needs = ""
    person.contact_preference = ContactPreference.NONE
    person.assisted_by = None
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.set_unusable_password()
    person.erased_at = timezone.now()
    person.save()
    person.skills.clear()
    person.interests.clear()
    person.groups.clear()
    person.user_permissions.clear()
    audit.record(
        actor=None if actor.pk == person.pk else actor,
        action="person.erased",
        target=person,
        summary=(
            _("A person erased their account.")
            if actor.pk == person.pk
            else _("A network administrator erased a person's account.")
        ),
        # How much each module removed or made anonymous ("ideas.supports": [None, 3]), never what it was.
        changes={
            f"{module}.{what}": [None, n]
            for module, counts in done.items()
            for what, n in counts.items()
            if n
        },
    )
    return done


# --- Retention ------------------------------------------------------------------------------------------


def expire_special_category(now: datetime | None = None) -> dict[str, int]:
    """Remove special category data older than its retention period (settings.RETENTION_DAYS), in every
    module that keeps it: {kind: how many removed}. Safe to run often: each run removes only what is due."""
    now = now or timezone.now()
    done = {}
    with transaction.atomic():
        for kind, days in settings.RETENTION_DAYS.items():
            done[kind] = registry.expire(kind, now - timedelta(days=days))
        if any(done.values()):
            # The audit log has no single target for this: the event names the kinds and how many.
            AuditEvent.objects.create(
                action="privacy.expired",
                target_type="privacy.retention",
                summary=_("Special category data past its retention period was removed."),
                changes={kind: [None, n] for kind, n in done.items()},
            )
    return done
