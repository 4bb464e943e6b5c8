"""Every change to resources: validated, atomic, audited, and told to the network search.

An upload is checked before anything is stored: its size, then its type from its content (magic bytes; a
Word or OpenDocument file is a zip whose members say so). A refused file leaves nothing behind: no row and
no file on disk."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.lib import filetypes
from coproduce.people.models import User

from . import access
from .models import Resource, ResourceKind, ResourceStatus

KIND = "resources.resource"
EDIT_FIELDS = ["title", "summary", "url", "tags", "easy_read_of"]
ACCEPTED_WORDS = "Upload a PDF, Word, OpenDocument or image file."


def max_upload_bytes() -> int:
    return int(getattr(settings, "RESOURCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def check_upload(upload: UploadedFile) -> filetypes.FileType:
    """The accepted type of an uploaded file, or a ValidationError on "file" saying plainly why not."""
    limit, size = max_upload_bytes(), upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "file": _("This file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": filetypes.size_in_mb(size), "limit": filetypes.size_in_mb(limit)}
            }
        )
    found = filetypes.sniff(upload)
    if found.type is not None:
        return found.type
    said = filetypes.claimed(upload.name or "")
    if said is not None:
        message = _("This file is not %(claimed)s: it looks like %(looks)s. %(accepted)s") % {
            "claimed": said.label,
            "looks": found.looks_like,
            "accepted": _(ACCEPTED_WORDS),
        }
    else:
        message = _("This is not a file we accept: it looks like %(looks)s. %(accepted)s") % {
            "looks": found.looks_like,
            "accepted": _(ACCEPTED_WORDS),
        }
    raise ValidationError({"file": message})


def _tags(value: str) -> str:
    seen: dict[str, str] = {}
    for part in (value or "").split(","):
        word = " ".join(part.split())
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return ", ".join(seen.values())


def _check_easy_read(actor: User, resource: Resource) -> None:
    original = resource.easy_read_of
    if original is None:
        return
    if resource.pk is not None and original.pk == resource.pk:
        raise ValidationError({"easy_read_of": _("A resource cannot be the easy-read version of itself.")})
    if original.easy_read_of_id is not None:
        raise ValidationError(
            {"easy_read_of": _("That resource is itself an easy-read version: choose its original.")}
        )
    access.get_resource_for(actor, original.pk)  # an original they may not see is not offered


def _changed(resource: Resource) -> None:
    registry.search_changed(KIND, [resource.pk])


@transaction.atomic
def resource_create(
    *,
    actor: User,
    title: str,
    summary: str,
    url: str = "",
    upload: UploadedFile | None = None,
    tags: str = "",
    easy_read_of: Resource | None = None,
) -> Resource:
    """A link (`url`) or an uploaded file (`upload`), as a draft its author publishes."""
    access.require(access.can_add(actor))
    if bool(url) == bool(upload):
        raise ValidationError(_("Give a link or a file, not both."))
    resource = Resource(
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        kind=ResourceKind.FILE if upload else ResourceKind.LINK,
        url=(url or "").strip(),
        tags=_tags(tags),
        easy_read_of=easy_read_of,
        author=actor,
    )
    file_type = None
    if upload is not None:
        file_type = check_upload(upload)
        resource.file_name = filetypes.safe_name(upload.name or "", file_type.extension)
        resource.content_type = file_type.content_type
        resource.size = upload.size or 0
        resource.file.name = "pending"  # validated below; the real name is given once it is stored
    resource.full_clean()
    _check_easy_read(actor, resource)
    stored = ""
    if upload is not None:
        # A random prefix: two files of the same name never meet, and no name can be guessed.
        stored = default_storage.save(f"resources/{secrets.token_hex(8)}-{resource.file_name}", upload)
        resource.file.name = stored
    try:
        resource.save()
        audit.record(
            actor=actor,
            action="resource.created",
            target=resource,
            summary=_("Resource “%(title)s” added (%(kind)s)")
            % {"title": resource.title, "kind": resource.get_kind_display().lower()},
            changes={
                "title": [None, resource.title],
                "kind": [None, resource.kind],
                "content_type": [None, resource.content_type],
                "size": [None, resource.size],
            },
        )
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    _changed(resource)
    return resource


@transaction.atomic
def resource_edit(*, actor: User, resource: Resource, **fields: Any) -> Resource:
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not an editable resource field: {', '.join(sorted(unknown))}")
    access.require(access.can_edit(actor, resource))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = audit.snapshot(resource, EDIT_FIELDS)
    for name, value in fields.items():
        if name == "tags":
            value = _tags(value)
        setattr(resource, name, value.strip() if isinstance(value, str) else value)
    if resource.kind == ResourceKind.FILE and resource.url:
        raise ValidationError({"url": _("This resource is a file: it has no link.")})
    resource.full_clean()
    _check_easy_read(actor, resource)
    changes = audit.diff(resource, before, EDIT_FIELDS)
    if not changes:
        return resource
    resource.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action="resource.edited",
        target=resource,
        summary=_("Resource “%(title)s” changed: %(fields)s")
        % {"title": resource.title, "fields": audit.field_names(resource, changes)},
        changes=changes,
    )
    _changed(resource)
    return resource


@transaction.atomic
def resource_publish(*, actor: User, resource: Resource) -> Resource:
    access.require(access.can_edit(actor, resource))
    # A conditional UPDATE: two clicks at once publish it once, with one audit record.
    done = Resource.objects.filter(pk=resource.pk, status=ResourceStatus.DRAFT).update(
        status=ResourceStatus.PUBLISHED, published_at=timezone.now(), updated_at=timezone.now()
    )
    resource.refresh_from_db()
    if not done:
        return resource
    audit.record(
        actor=actor,
        action="resource.published",
        target=resource,
        summary=_("Resource “%(title)s” published") % {"title": resource.title},
        changes={"status": [ResourceStatus.DRAFT, ResourceStatus.PUBLISHED]},
        public=True,
    )
    _changed(resource)
    return resource


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    access.require(access.can_edit(actor, resource))
    stored, pk, title = resource.file.name, resource.pk, resource.title
    audit.record(
        actor=actor,
        action="resource.deleted",
        target=resource,
        summary=_("Resource “%(title)s” deleted") % {"title": title},
        changes={"title": [title, None]},
    )
    resource.delete()
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))
    registry.search_changed(KIND, [pk])
