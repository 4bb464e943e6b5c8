"""Recording changes in the audit log. Called by services inside their transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def diff(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields whose value changed."""
    changes = {}
    for field in fields:
        old, new = before.get(field), getattr(instance, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def field_names(model: type[models.Model] | models.Model, fields) -> str:
    """The changed fields as people read them ("start, end"), not as the code names them ("starts_at, ends_at"),
    for the summaries the history shows."""
    names = []
    for name in fields:
        try:
            field = model._meta.get_field(name)
            # A reverse relation or generic key has no verbose name: its code name, read as words.
            names.append(str(getattr(field, "verbose_name", name.replace("_", " "))))
        except FieldDoesNotExist:
            names.append(name.replace("_", " "))
    return ", ".join(names)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {field: getattr(instance, field) for field in fields}


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    summary: str,
    space=None,
    on_behalf_of=None,
    changes: dict[str, Any] | None = None,
    public: bool = False,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        on_behalf_of=on_behalf_of,
        space=space,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        summary=summary[:300],
        changes={key: [_plain(v) for v in value] for key, value in (changes or {}).items()},
        public=public,
    )
