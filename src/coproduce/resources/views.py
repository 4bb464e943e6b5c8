"""Resource pages: the list with filters, one resource, adding (a link or a file), changing, publishing,
and the download, which serves a stored file only as an attachment with the type found from its content."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest

from . import access, selectors, services
from .forms import ResourceFilterForm, ResourceForm
from .models import ResourceKind

PAGE_SIZE = 20


def resource_list(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.resources(
        request.user,
        tag=filters.get("tag", ""),
        kind=filters.get("kind", ""),
        words=filters.get("words", ""),
        easy_read=bool(filters.get("easy_read")),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_add": access.can_add(request.user),
        },
    )


def detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = access.get_resource_for(request.user, resource_id)
    original = resource.easy_read_of
    if original is not None:
        try:
            original = access.get_resource_for(request.user, original.pk)
        except Http404:
            original = None
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "original": original,
            "easy_read": selectors.easy_read_versions(request.user, resource),
            "can_edit": access.can_edit(request.user, resource),
        },
    )


def _form_page(request, form, *, title: str, resource=None) -> HttpResponse:
    return render(
        request,
        "resources/form.html",
        {"form": form, "title": title, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    access.require_role(access.can_add(request.user))
    originals = selectors.originals_for(request.user)
    initial = {}
    if (original := request.GET.get("easy_read_of", "")).isdigit():
        initial["easy_read_of"] = int(original)
    form = ResourceForm(request.POST or None, request.FILES or None, originals=originals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                url=data.get("url") or "",
                upload=data.get("file"),
                tags=data.get("tags", ""),
                easy_read_of=data.get("easy_read_of"),
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="file")
        else:
            messages.success(request, _("Saved as a draft. Check it, then publish it."))
            return redirect(resource)
    return _form_page(request, form, title=_("Add a resource"))


@login_required
def edit(request: SignedInRequest, resource_id: int) -> HttpResponse:
    resource = access.get_resource_for(request.user, resource_id)
    access.require_role(access.can_edit(request.user, resource))
    initial = {
        "title": resource.title,
        "summary": resource.summary,
        "url": resource.url,
        "tags": resource.tags,
        "easy_read_of": resource.easy_read_of_id,
    }
    form = ResourceForm(
        request.POST or None,
        originals=selectors.originals_for(request.user, exclude=resource.pk),
        editing=resource,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in services.EDIT_FIELDS}
        try:
            services.resource_edit(actor=request.user, resource=resource, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(resource)
    return _form_page(request, form, title=_("Change the resource"), resource=resource)


@login_required
@require_POST
def publish(request: SignedInRequest, resource_id: int) -> HttpResponse:
    resource = access.get_resource_for(request.user, resource_id)
    access.require_role(access.can_edit(request.user, resource))
    services.resource_publish(actor=request.user, resource=resource)
    messages.success(request, _("Published: everyone can see it now."))
    return redirect(resource)


@login_required
@require_POST
def delete(request: SignedInRequest, resource_id: int) -> HttpResponse:
    resource = access.get_resource_for(request.user, resource_id)
    access.require_role(access.can_edit(request.user, resource))
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, _("The resource is deleted."))
    return redirect("resources:list")


def download(request: HttpRequest, resource_id: int) -> FileResponse:
    """The stored file, always as an attachment with its stored (safe) type and nosniff: never shown inline,
    so an upload can never run as a page of this site."""
    resource = access.get_resource_for(request.user, resource_id)
    if resource.kind != ResourceKind.FILE or not resource.file.name:
        raise Http404
    try:
        handle = default_storage.open(resource.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=resource.file_name, content_type=resource.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
