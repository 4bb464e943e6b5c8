"""Offers and requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import Tag, User
from coproduce.people.services import parse_tags

from .. import access
from ..models import Category, Listing, ListingKind

LISTING_FIELDS = ["title", "description", "category", "area", "availability", "ends_on"]


def _set_tags(listing: Listing, tags: str | Iterable[str] | None) -> None:
    names = parse_tags(tags or ())
    listing.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])


def _check_end(ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("The end date cannot be in the past.")})


@transaction.atomic
def listing_create(
    *,
    actor: User,
    kind: str,
    title: str,
    category: Category | None,
    description: str = "",
    tags: str | Iterable[str] = (),
    area: str = "",
    availability: str = "",
    ends_on: dt.date | None = None,
) -> Listing:
    access.require_member(actor)
    if kind not in ListingKind.values:
        raise ValidationError({"kind": _("Choose offer or request.")})
    _check_end(ends_on)
    listing = Listing(
        kind=kind,
        owner=actor,
        title=" ".join(title.split()),
        description=description.strip(),
        category=category,
        area=area.strip(),
        availability=availability.strip(),
        ends_on=ends_on,
    )
    listing.full_clean()
    listing.save()
    _set_tags(listing, tags)
    audit.record(
        actor=actor,
        action=f"timebank.{kind}.created",
        target=listing,
        summary=_("%(kind)s posted: %(title)s")
        % {"kind": listing.get_kind_display(), "title": listing.title},
    )
    return listing


@transaction.atomic
def listing_update(
    *,
    actor: User,
    listing: Listing,
    tags: str | Iterable[str] | None = None,
    is_open: bool | None = None,
    **fields: Any,
) -> Listing:
    access.can_edit_listing(actor, listing).enforce()
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise ValueError(f"not a listing field: {', '.join(sorted(unknown))}")
    # The race: the owner and a coordinator saving the same listing at once. The lock makes the second
    # read what the first saved, so the audit record's "before" is true and no change is lost unseen.
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    tracked = [*LISTING_FIELDS, "is_open"]
    before = audit.snapshot(listing, tracked)
    if "ends_on" in fields and fields["ends_on"] != listing.ends_on:
        _check_end(fields["ends_on"])
    for name, value in fields.items():
        setattr(listing, name, value.strip() if isinstance(value, str) else value)
    if is_open is not None:
        listing.is_open = is_open
    listing.full_clean()
    changes = audit.diff(listing, before, tracked)
    if changes:
        listing.save(update_fields=[*changes, "updated_at"])
    if tags is not None:
        _set_tags(listing, tags)
        changes["tags"] = ["", ""]
    if changes:
        audit.record(
            actor=actor,
            on_behalf_of=listing.owner if listing.owner_id != actor.pk else None,
            action=f"timebank.{listing.kind}.updated",
            target=listing,
            summary=_("%(title)s changed: %(fields)s")
            % {"title": listing.title, "fields": audit.field_names(listing, changes)},
        )
    return listing
