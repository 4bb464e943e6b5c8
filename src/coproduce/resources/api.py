"""/api/v1/resources: the network's links and files, with the same rules as the pages. A file is sent as
multipart to /resources/upload and checked from its content, as on the page."""

from __future__ import annotations

from typing import Any

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from coproduce.core.api import PUBLIC

from . import access, selectors, services
from .models import Resource, ResourceKind
from .schemas import ResourceLinkIn, ResourceOut, ResourcePatch

router = Router(tags=["resources"])


def _resource(r: Resource, user) -> dict[str, Any]:
    return {
        "id": r.pk,
        "title": r.title,
        "summary": r.summary,
        "kind": r.kind,
        "url": r.url,
        "download_url": r.download_url,
        "file_name": r.file_name,
        "content_type": r.content_type,
        "size": r.size,
        "tags": r.tag_list,
        "easy_read_of": r.easy_read_of_id,
        "easy_read_versions": [e.pk for e in selectors.easy_read_versions(user, r)],
        "status": r.status,
        "published_at": r.published_at,
        "created_at": r.created_at,
    }


def _original(user, pk: int | None) -> Resource | None:
    return access.get_resource_for(user, pk) if pk else None


@router.get("/resources", response=list[ResourceOut], auth=PUBLIC, summary="Resources, with filters")
def resource_list(
    request,
    tag: str = "",
    kind: ResourceKind | None = None,
    words: str = "",
    easy_read: bool = False,
    limit: int = 50,
    offset: int = 0,
):
    found = selectors.resources(request.user, tag=tag, kind=kind or "", words=words, easy_read=easy_read)
    start = max(0, offset)
    rows = list(found.prefetch_related("easy_read_versions")[start : start + max(1, min(limit, 100))])
    return [_resource(r, request.user) for r in rows]


# Before /resources/{resource_id}: the first route whose path matches answers.
@router.post(
    "/resources/upload",
    response={201: ResourceOut},
    summary="Upload a file (PDF, Word, OpenDocument, image), as a draft: multipart",
)
def resource_upload(
    request,
    file: File[UploadedFile],
    title: Form[str],
    summary: Form[str],
    tags: Form[str] = "",
    easy_read_of_id: Form[int | None] = None,
):
    resource = services.resource_create(
        actor=request.user,
        title=title,
        summary=summary,
        upload=file,
        tags=tags,
        easy_read_of=_original(request.user, easy_read_of_id),
    )
    return Status(201, _resource(resource, request.user))


@router.get("/resources/{resource_id}", response=ResourceOut, auth=PUBLIC, summary="One resource")
def resource_detail(request, resource_id: int):
    return _resource(access.get_resource_for(request.user, resource_id), request.user)


@router.post("/resources", response={201: ResourceOut}, summary="Add a link, as a draft")
def resource_create(request, payload: ResourceLinkIn):
    resource = services.resource_create(
        actor=request.user,
        title=payload.title,
        summary=payload.summary,
        url=payload.url,
        tags=payload.tags,
        easy_read_of=_original(request.user, payload.easy_read_of_id),
    )
    return Status(201, _resource(resource, request.user))


@router.patch("/resources/{resource_id}", response=ResourceOut, summary="Change a resource (its author)")
def resource_edit(request, resource_id: int, payload: ResourcePatch):
    resource = access.get_resource_for(request.user, resource_id)
    data = payload.dict(exclude_unset=True)
    if "easy_read_of_id" in data:
        data["easy_read_of"] = _original(request.user, data.pop("easy_read_of_id"))
    resource = services.resource_edit(actor=request.user, resource=resource, **data)
    return _resource(resource, request.user)


@router.post("/resources/{resource_id}/publish", response=ResourceOut, summary="Publish a draft resource")
def resource_publish(request, resource_id: int):
    resource = access.get_resource_for(request.user, resource_id)
    return _resource(services.resource_publish(actor=request.user, resource=resource), request.user)
