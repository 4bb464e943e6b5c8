"""Offers and requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from coproduce.core import ahead, kept_pages, shared
from coproduce.core.views import apply_errors

from .. import access, forms, selectors, services
from ..models import ListingKind

ahead.reads("timebank:listings")(access.member_read)


@login_required
def listings(request) -> HttpResponse:
    audience = access.listings_audience(request.user)

    def build() -> str:
        # The search form and what it found depend only on the search: the same for every member.
        form = forms.SearchForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        found = selectors.listings(**{k: v for k, v in filters.items() if v})
        page = Paginator(found, 20).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "query": query.urlencode()}
        return render_to_string("timebank/_listings_found.html", context)

    search = tuple(sorted(request.GET.lists()))

    def page() -> dict:
        found = shared.kept(request, "timebank.listings", audience=audience, parts=search, build=build)
        return {"found": mark_safe(found), "timebank_menu": access.nav_flags(request.user)}  # noqa: S308

    # The whole page is kept for those shown the same list and the same menu.
    html = kept_pages.page(
        request,
        "timebank.listings",
        audience=access.listings_page_audience(request.user),
        parts=search,
        template="timebank/listings.html",
        build=page,
    )
    return HttpResponse(html)


@login_required
def listing_new(request) -> HttpResponse:
    access.require_member(request.user)
    initial = {
        "kind": request.GET.get("kind") if request.GET.get("kind") in ListingKind.values else None,
        "area": getattr(access.member_of(request.user), "area", ""),
    }
    form = forms.ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Posted. People in the timebank can see it now."))
            return redirect(listing)
    return render(request, "timebank/listing_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def listing(request, listing_id: int) -> HttpResponse:
    item = access.get_listing_for(request.user, listing_id)
    return render(
        request,
        "timebank/listing.html",
        {
            "listing": item,
            "matches": selectors.matches_for(item),
            "may_edit": access.can_edit_listing(request.user, item),
        },
    )


@login_required
def listing_edit(request, listing_id: int) -> HttpResponse:
    item = access.get_listing_for(request.user, listing_id, write=True)
    initial = {
        "title": item.title,
        "category": item.category,
        "description": item.description,
        "tags": ", ".join(t.name for t in item.tags.all()),
        "area": item.area,
        "availability": item.availability,
        "ends_on": item.ends_on,
        "is_open": item.is_open,
    }
    form = forms.ListingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.listing_update(
                actor=request.user, listing=item, tags=data.pop("tags"), is_open=data.pop("is_open"), **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(
        request,
        "timebank/listing_form.html",
        {"form": form, "listing": item},
        status=400 if form.errors else 200,
    )
