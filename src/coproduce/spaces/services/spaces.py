"""Creating and changing a space and its stages."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.people.models import Organisation, User

from .. import access
from ..models import STAGE_ORDER, Perspective, Role, Space, Stage, StageStatus, Visibility
from .memberships import _membership_add
from .partnerships import _partners_set
from .telling import members, tell

SPACE_FIELDS = ["title", "purpose", "place", "visibility"]
STAGE_FIELDS = ["status", "starts_on", "ends_on", "summary"]


# Slugs a module gives its own space (meetings: the network's events space); never given to another space.
RESERVED_SLUGS = frozenset({"network-events"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "space"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Space.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def space_create(
    *,
    actor: User,
    title: str,
    purpose: str,
    place: str = "",
    visibility: str = Visibility.PUBLIC,
    organisations: Iterable = (),
    perspective: str = Perspective.FACILITATOR,
    reserved_slug: str = "",
) -> Space:
    """Create a space with its four stages; the creator becomes its first host. `reserved_slug`: one of
    `RESERVED_SLUGS`, for the space a module keeps for itself."""
    if reserved_slug and reserved_slug not in RESERVED_SLUGS:
        raise ValueError(f"not a reserved slug: {reserved_slug}")
    space = Space(
        title=title.strip(),
        purpose=purpose.strip(),
        place=place.strip(),
        visibility=visibility,
        created_by=actor,
        slug=reserved_slug or _unique_slug(title),
    )
    space.full_clean(exclude=["slug"])  # generated, and its uniqueness is settled by the insert below
    for attempt in range(5):
        try:
            with transaction.atomic():
                space.save()
            break
        except IntegrityError:
            # Two spaces with the same title created at the same moment both found the slug free.
            if reserved_slug or attempt == 4 or not Space.objects.filter(slug=space.slug).exists():
                raise
            space.slug = f"{_unique_slug(title)[:70]}-{secrets.token_hex(2)}"
    for position, kind in enumerate(STAGE_ORDER):
        Stage.objects.create(space=space, kind=kind, position=position)
    audit.record(
        actor=actor,
        action="space.created",
        target=space,
        space=space,
        summary=_("Space “%(title)s” created") % {"title": space.title},
        changes={f: [None, getattr(space, f)] for f in SPACE_FIELDS},
        public=True,
    )
    _membership_add(actor=actor, space=space, user=actor, role=Role.HOST, perspective=perspective)
    _partners_set(actor=actor, space=space, organisations=organisations)
    registry.search_changed("spaces.space", [space.pk])
    return space


@transaction.atomic
def space_update(
    *, actor: User, space: Space, organisations: Iterable[Organisation] | None = None, **fields: Any
) -> Space:
    unknown = set(fields) - set(SPACE_FIELDS)
    if unknown:
        raise ValueError(f"not a space field: {', '.join(sorted(unknown))}")
    if not access.has_role(actor, space, access.HOST):
        raise PermissionDenied(_("Only a host can change the space."))
    before = audit.snapshot(space, SPACE_FIELDS)
    for name, value in fields.items():
        setattr(space, name, value.strip() if isinstance(value, str) else value)
    space.full_clean(exclude=["slug"])
    changes = audit.diff(space, before, SPACE_FIELDS)
    if organisations is not None:
        listed = _partners_set(actor=actor, space=space, organisations=organisations)
        if listed:
            changes["organisations"] = listed
    if not changes:
        return space
    space.save(update_fields=[*fields.keys(), "updated_at"])
    audit.record(
        actor=actor,
        action="space.updated",
        target=space,
        space=space,
        summary=_("Space details changed: %(fields)s") % {"fields": audit.field_names(space, changes)},
        changes=changes,
        public=True,
    )
    # A space made private stops showing at once (the search checks when asked); this keeps its words right.
    registry.search_changed("spaces.space", [space.pk])
    return space


@transaction.atomic
def stage_update(*, actor: User, stage: Stage, **fields: Any) -> Stage:
    unknown = set(fields) - set(STAGE_FIELDS)
    if unknown:
        raise ValueError(f"not a stage field: {', '.join(sorted(unknown))}")
    if not access.has_role(actor, stage.space, access.HOST):
        raise PermissionDenied(_("Only a host can change the stages."))
    if "status" in fields and fields["status"] not in StageStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    before = audit.snapshot(stage, STAGE_FIELDS)
    for name, value in fields.items():
        setattr(stage, name, value.strip() if isinstance(value, str) and name == "summary" else value)
    if stage.starts_on and stage.ends_on and stage.ends_on < stage.starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    stage.full_clean()
    changes = audit.diff(stage, before, STAGE_FIELDS)
    if not changes:
        return stage
    stage.save(update_fields=list(changes))
    summary = _("%(stage)s: %(what)s") % {
        "stage": stage.get_kind_display(),
        "what": _("now %(status)s") % {"status": stage.get_status_display().lower()}
        if "status" in changes
        else _("details changed"),
    }
    event = audit.record(
        actor=actor,
        action="stage.updated",
        target=stage,
        space=stage.space,
        summary=summary,
        changes=changes,
        public=True,
    )
    kind = {StageStatus.OPEN.value: "stage_opened", StageStatus.CLOSED.value: "stage_closed"}.get(
        stage.status
    )
    if "status" in changes:
        registry.search_changed("spaces.space", [stage.space_id])  # the stages it is found under
    if "status" in changes and kind:
        tell(
            kind=kind,
            recipients=members(stage.space),
            params={"stage": stage.kind},
            url=f"{stage.space.get_absolute_url()}#stage-{stage.kind}",
            space=stage.space,
            actor=actor,
            # A stage may open, close and open again: each change is its own event.
            key=f"{kind}:{stage.pk}:{event.pk}",
        )
    return stage
