"""Small helpers the apps share for privacy: turning their rows into a person's download, and finding a
person's name in text that others wrote about them (audit summaries, notifications)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from .registry import PersonalDataSection


def plain(value: Any) -> Any:
    """A value as JSON and CSV can hold it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def rows(queryset: Iterable[models.Model], fields: Sequence[str]) -> tuple[dict[str, Any], ...]:
    """Each object as {field: plain value}; `a__b` follows a relation ("space__title")."""
    found = []
    for obj in queryset:
        row = {}
        for name in fields:
            value: Any = obj
            for part in name.split("__"):
                value = getattr(value, part, None) if value is not None else None
            row[name] = plain(value)
        found.append(row)
    return tuple(found)


def section(
    module: str, key: str, title: Any, queryset: Iterable[models.Model], fields: Sequence[str]
) -> PersonalDataSection:
    return PersonalDataSection(module=module, key=key, title=str(title), rows=rows(queryset, fields))


# What an erased person is called wherever their name was: the account's display name, and in text that
# named them (audit summaries, notifications). Stored in English like other stored text; never translated.
FORMER_MEMBER = "Former member"


def identifiers(user: Any) -> list[str]:
    """The strings that identify `user` in text others wrote: their name (when it is more than a couple of
    letters, so that "Jo" does not blank every "Joint") and their email address."""
    found = [value for value in (user.display_name, user.email) if value and len(value) >= 3]
    return sorted(found, key=len, reverse=True)  # the longer first: "Ann Murray" before "Ann"


def scrub(text: str, names: Sequence[str]) -> str:
    """`text` with each of `names` (whole words, any case) replaced by "Former member"."""
    import re

    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", FORMER_MEMBER, text, flags=re.IGNORECASE)
    return text


def scrub_json(value: Any, names: Sequence[str]) -> Any:
    """Like `scrub`, through a JSON value's strings."""
    if isinstance(value, str):
        return scrub(value, names)
    if isinstance(value, list):
        return [scrub_json(item, names) for item in value]
    if isinstance(value, dict):
        return {key: scrub_json(item, names) for key, item in value.items()}
    return value


def scrub_rows(queryset: Any, fields: Sequence[str], names: Sequence[str]) -> int:
    """Scrub `names` from these text (or JSON) fields of the rows that mention one; how many changed. The
    query finds candidates in the database (`icontains`), Python replaces whole words only."""
    from django.db.models import Q
    from django.db.models.functions import Cast

    if not names:
        return 0
    changed = 0
    casts = {f"_{field}_text": Cast(field, models.TextField()) for field in fields}
    match = Q()
    for alias in casts:
        for name in names:
            match |= Q(**{f"{alias}__icontains": name})
    for obj in queryset.annotate(**casts).filter(match):
        updates = {}
        for field in fields:
            new = scrub_json(getattr(obj, field), names)
            if new != getattr(obj, field):
                updates[field] = new
        if updates:
            # An UPDATE, not save(): no "edited" time moves, no signal fires for a change nobody made.
            type(obj)._default_manager.filter(pk=obj.pk).update(**updates)
            changed += 1
    return changed
